import { CsrfField, ErrorAlert, Layout, Notice, PostButton, TextField, type Chrome, type FieldErrors } from '../../../web/index.ts';
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
      <TextField name="timeZone" label="Time zone" value={values.timeZone} error={errors.timeZone} required hint="e.g. Europe/Berlin" />
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
    <Layout title="Locations" nav={chrome.nav} tenantName={chrome.tenantName} signedIn={chrome.signedIn} csrfToken={chrome.csrfToken}>
      <h1>Locations</h1>
      <Notice text={notice} />
      {locations.length === 0 ? (
        <p class="muted">No locations yet.</p>
      ) : (
        <table class="data">
          <caption class="muted">
            {locations.length} location{locations.length === 1 ? '' : 's'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Code</th>
              <th scope="col">Address</th>
              <th scope="col">Time zone</th>
              <th scope="col">Status</th>
              {canWrite && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {locations.map((location) => (
              <tr key={location.id}>
                <td>{canWrite ? <a href={`/locations/${location.id}/edit`}>{location.name}</a> : location.name}</td>
                <td>
                  <code>{location.code}</code>
                </td>
                <td>{location.address ?? '—'}</td>
                <td>{location.timeZone}</td>
                <td>
                  <span class="badge">{location.archivedAt ? 'Archived' : 'Active'}</span>
                </td>
                {canWrite && (
                  <td>
                    <PostButton
                      action={`/locations/${location.id}/${location.archivedAt ? 'restore' : 'archive'}`}
                      csrfToken={chrome.csrfToken}
                      label={`${location.archivedAt ? 'Restore' : 'Archive'} ${location.name}`}
                      secondary
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && (
        <section aria-labelledby="new-location">
          <h2 id="new-location">New location</h2>
          <ErrorAlert text={formError ?? (Object.keys(errors).length > 0 ? 'Please correct the fields marked below.' : undefined)} />
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
    <Layout title={title} nav={chrome.nav} tenantName={chrome.tenantName} signedIn={chrome.signedIn} csrfToken={chrome.csrfToken}>
      <p>
        <a href="/locations">← Locations</a>
      </p>
      <h1>{title}</h1>
      <ErrorAlert text={formError ?? (Object.keys(errors).length > 0 ? 'Please correct the fields marked below.' : undefined)} />
      <LocationForm action={`/locations/${location.id}`} values={values} errors={errors} csrfToken={chrome.csrfToken} submitLabel="Save changes" />
    </Layout>
  );
}
