import { CheckboxGroup, CsrfField, FormErrorSummary, Notice, PostButton, SelectField, TextField, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import type { Announcement } from '../domain/types.ts';
import { Page, TextArea } from './parts.tsx';

export interface AnnouncementFormValues {
  kind: string;
  title: string;
  body: string;
  severity: string;
  audience: string;
  editions: string[];
  tenantIds: string[];
  startsAt: string;
  endsAt: string;
}

interface Props {
  announcements: Announcement[];
  canWrite: boolean;
  values: AnnouncementFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  /** What the audience is chosen from. */
  choices: { editions: readonly { id: string; title: string }[]; businesses: readonly { id: string; name: string }[] };
  /** The console's clocks, on which the form's times are typed. */
  timeZone: string;
  chrome: Chrome;
}

const audienceText = (announcement: Announcement) =>
  announcement.audience === 'all' ? 'All businesses' : announcement.audience === 'editions' ? `Editions: ${announcement.editions.join(', ')}` : `${announcement.tenantIds.length} chosen business(es)`;

export function AnnouncementsPage({ announcements, canWrite, values, errors, formError, notice, choices, timeZone, chrome }: Props) {
  return (
    <Page title="Announcements" chrome={chrome}>
      <h1>Announcements and maintenance</h1>
      <Notice text={notice} />
      {announcements.length === 0 ? (
        <p class="muted">Nothing announced yet.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Kind</th>
              <th scope="col">Severity</th>
              <th scope="col">Audience</th>
              <th scope="col">Shown from</th>
              <th scope="col">Window</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {announcements.map((announcement) => (
              <tr key={announcement.id}>
                <td>{announcement.title}</td>
                <td>{announcement.kind}</td>
                <td>{announcement.severity}</td>
                <td>{audienceText(announcement)}</td>
                <td><When at={announcement.visibleFrom} /></td>
                <td>
                  <When at={announcement.startsAt} /> – <When at={announcement.endsAt} />
                </td>
                <td>
                  {announcement.withdrawnAt ? (
                    'Withdrawn'
                  ) : canWrite ? (
                    <PostButton action={`/console/announcements/${announcement.id}/withdraw`} csrfToken={chrome.csrfToken} label={`Withdraw “${announcement.title}”`} secondary />
                  ) : (
                    'Published'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && (
        <section aria-labelledby="new-announcement">
          <h2 id="new-announcement">Publish</h2>
          <FormErrorSummary errors={errors} formError={formError} />
          <form method="post" action="/console/announcements" novalidate>
            <CsrfField token={chrome.csrfToken} />
            <SelectField name="kind" label="Kind" value={values.kind} error={errors.kind} options={[{ value: 'announcement', label: 'Announcement' }, { value: 'maintenance', label: 'Maintenance window (warned 3 days ahead)' }]} />
            <TextField name="title" label="Title" value={values.title} error={errors.title} required maxLength={120} />
            <TextArea name="body" label="Text" value={values.body} error={errors.body} required maxLength={2000} />
            <SelectField name="severity" label="Severity" value={values.severity} error={errors.severity} options={[{ value: 'info', label: 'Information' }, { value: 'warning', label: 'Warning' }, { value: 'critical', label: 'Critical' }]} />
            <SelectField name="audience" label="Shown to" value={values.audience} error={errors.audience} options={[{ value: 'all', label: 'All businesses' }, { value: 'editions', label: 'Businesses of the editions below' }, { value: 'tenants', label: 'The businesses below' }]} />
            <CheckboxGroup name="editions" legend="Editions" idPrefix="announcement-edition" options={choices.editions.map((edition) => ({ value: edition.id, label: edition.title }))} checked={values.editions} error={errors.editions} />
            <CheckboxGroup name="tenantIds" legend="Businesses" idPrefix="announcement-business" options={choices.businesses.map((business) => ({ value: business.id, label: business.name }))} checked={values.tenantIds} error={errors.tenantIds} />
            <TextField name="startsAt" label={`Starts (${timeZone})`} value={values.startsAt} error={errors.startsAt} required hint="e.g. 2026-12-01 22:00" />
            <TextField name="endsAt" label={`Ends (${timeZone})`} value={values.endsAt} error={errors.endsAt} required hint="e.g. 2026-12-02 02:00" />
            <button class="button" type="submit">
              Publish
            </button>
          </form>
        </section>
      )}
    </Page>
  );
}
