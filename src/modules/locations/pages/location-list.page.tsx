import { counted, CsrfField, FormErrorSummary, DataTable, Layout, Notice, PostButton, TextField, TimeZoneField, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { LOCATION_ADDRESS_MAX, LOCATION_CODE_MAX, LOCATION_NAME_MAX, type Location } from '../domain/location.ts';

/** What the person typed, kept as text so a rejected form comes back exactly as sent. */
export interface LocationFormValues {
  name: string;
  code: string;
  address: string;
  timeZone: string;
}

interface FormProps {
  action: string;
  values: LocationFormValues;
  errors: FieldErrors;
  csrfToken: string;
  submitLabel: string;
}

export function LocationForm({ action, values, errors, csrfToken, submitLabel }: FormProps) {
  return (
    <form method="post" action={action} novalidate>
      <CsrfField token={csrfToken} />
      <TextField name="name" label="Name" value={values.name} error={errors.name} required maxLength={LOCATION_NAME_MAX} />
      <TextField name="code" label="Code" value={values.code} error={errors.code} required maxLength={LOCATION_CODE_MAX} hint="Short code, e.g. MAIN or WH1" />
      <TextField name="address" label="Address" value={values.address} error={errors.address} maxLength={LOCATION_ADDRESS_MAX} />
      <TimeZoneField name="timeZone" label="Time zone" value={values.timeZone} error={errors.timeZone} />
      <button class="button" type="submit">
        {submitLabel}
      </button>
    </form>
  );
}

interface ListProps {
  locations: Location[];
  notice?: string | undefined;
  canWrite: boolean;
  values: LocationFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  chrome: Chrome;
}

export function LocationListPage({ locations, notice, canWrite, values, errors, formError, chrome }: ListProps) {
  return (
    <Layout title="Locations">
      <h1>Locations</h1>
      <Notice text={notice} />
      <DataTable
        rows={locations}
        rowKey={(location) => location.id}
        caption={counted(locations.length, 'location')}
        empty="No locations yet."
        columns={[
          { header: 'Name', cell: (location) => (canWrite ? <a href={`/locations/${location.id}/edit`}>{location.name}</a> : location.name) },
          { header: 'Code', cell: (location) => <code>{location.code}</code> },
          { header: 'Address', cell: (location) => location.address ?? '—' },
          { header: 'Time zone', cell: (location) => location.timeZone },
          { header: 'Status', cell: (location) => <span class="badge">{location.archivedAt ? 'Archived' : 'Active'}</span> },
          canWrite && {
            header: 'Actions',
            cell: (location) => (
              <PostButton
                action={`/locations/${location.id}/${location.archivedAt ? 'restore' : 'archive'}`}
                csrfToken={chrome.csrfToken}
                label={`${location.archivedAt ? 'Restore' : 'Archive'} ${location.name}`}
                secondary
              />
            ),
          },
        ]}
      />
      {canWrite && (
        <section aria-labelledby="new-location">
          <h2 id="new-location">New location</h2>
          <FormErrorSummary errors={errors} formError={formError} />
          <LocationForm action="/locations" values={values} errors={errors} csrfToken={chrome.csrfToken} submitLabel="Create location" />
        </section>
      )}
    </Layout>
  );
}

interface EditProps {
  location: Location;
  values: LocationFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  chrome: Chrome;
}

export function LocationEditPage({ location, values, errors, formError, chrome }: EditProps) {
  const title = `Edit ${location.name}`;
  return (
    <Layout title={title}>
      <p>
        <a href="/locations">← Locations</a>
      </p>
      <h1>{title}</h1>
      <FormErrorSummary errors={errors} formError={formError} />
      <LocationForm action={`/locations/${location.id}`} values={values} errors={errors} csrfToken={chrome.csrfToken} submitLabel="Save changes" />
    </Layout>
  );
}
