import { CheckboxField, counted, CsrfField, FormErrorSummary, DataTable, Layout, Notice, PostButton, SelectField, TextField, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { NAME_MAX, type Register } from '../domain/schemas.ts';

/** What the person typed, kept as text so a rejected form comes back exactly as sent. */
export interface RegisterFormValues {
  locationId: string;
  name: string;
  code: string;
  currency: string;
  pricesIncludeTax: boolean;
  taxCode: string;
  taxLabel: string;
  taxRate: string;
  maxDiscount: string;
}

export interface RegisterEditValues {
  name: string;
  maxDiscount: string;
}

/** A register's terminal as the page shows it. */
export interface TerminalStatus {
  name: string;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
}

export interface LocationGroup {
  id: string;
  label: string;
  registers: (Register & { terminal: TerminalStatus | null })[];
}

interface Access {
  /** pos.register.manage: create, rename, archive. */
  manage: boolean;
  /** …and auth.terminal.manage: pair and revoke terminals. */
  terminals: boolean;
}

interface ListProps {
  groups: LocationGroup[];
  /** Active locations a new register may be placed at. */
  locations: { value: string; label: string }[];
  access: Access;
  values: RegisterFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  chrome: Chrome;
}


function TerminalCell({ register }: { register: LocationGroup['registers'][number] }) {
  const { terminal } = register;
  if (!register.deviceId || !terminal) return <span class="badge">No terminal</span>;
  if (terminal.revokedAt) return <span class="badge">Terminal revoked</span>;
  return (
    <>
      <span class="badge">Paired</span> {terminal.name}
      <br />
      <span class="muted">{terminal.lastSeenAt ? <>Last seen <When at={terminal.lastSeenAt} /></> : 'Not used yet'}</span>
    </>
  );
}

function RegisterActions({ register, access, csrfToken }: { register: LocationGroup['registers'][number]; access: Access; csrfToken: string }) {
  const live = register.deviceId !== null && register.terminal !== null && register.terminal.revokedAt === null;
  return (
    <div class="actions">
      {access.terminals && !register.archivedAt && !live && <PostButton action={`/pos/registers/${register.id}/terminal`} csrfToken={csrfToken} label={`Pair this browser with ${register.name}`} />}
      {access.terminals && register.deviceId && <PostButton action={`/pos/registers/${register.id}/terminal/revoke`} csrfToken={csrfToken} label={`Revoke the terminal of ${register.name}`} secondary />}
      <PostButton action={`/pos/registers/${register.id}/${register.archivedAt ? 'restore' : 'archive'}`} csrfToken={csrfToken} label={`${register.archivedAt ? 'Restore' : 'Deactivate'} ${register.name}`} secondary />
    </div>
  );
}

function RegisterForm({ values, errors, locations, csrfToken }: { values: RegisterFormValues; errors: FieldErrors; locations: ListProps['locations']; csrfToken: string }) {
  return (
    <form method="post" action="/pos/registers" novalidate>
      <CsrfField token={csrfToken} />
      <SelectField name="locationId" label="Location" value={values.locationId} options={locations} error={errors.locationId} />
      <TextField name="name" label="Name" value={values.name} error={errors.name} required maxLength={NAME_MAX} hint="e.g. Front counter" />
      <TextField name="code" label="Code" value={values.code} error={errors.code} required maxLength={16} hint="Printed in sale numbers, e.g. T1 (letters, digits, _ or -)" />
      <TextField name="currency" label="Currency" value={values.currency} error={errors.currency} required maxLength={3} hint="e.g. EUR" />
      <CheckboxField name="pricesIncludeTax" label="Prices include tax" checked={values.pricesIncludeTax} />
      <fieldset>
        <legend>Tax rate</legend>
        <TextField name="taxCode" label="Tax code" value={values.taxCode} error={errors.taxCode} required maxLength={8} hint="e.g. STD" />
        <TextField name="taxLabel" label="Tax label" value={values.taxLabel} error={errors.taxLabel} required maxLength={NAME_MAX} hint="Printed on receipts, e.g. VAT 19%" />
        <TextField name="taxRate" label="Tax rate (%)" value={values.taxRate} error={errors.taxRate} required inputMode="decimal" />
      </fieldset>
      <TextField name="maxDiscount" label="Discount limit (%)" value={values.maxDiscount} error={errors.maxDiscount} required inputMode="decimal" hint="Larger discounts need a manager" />
      <button class="button" type="submit">
        Create register
      </button>
    </form>
  );
}

/** /pos/registers: the business's registers by location, with their terminal and shift, and a form for a new one. */
export function RegisterListPage({ groups, locations, access, values, errors, formError, notice, chrome }: ListProps) {
  return (
    <Layout title="Registers">
      <h1>Registers</h1>
      <Notice text={notice} />
      {groups.length === 0 && <p class="muted">No registers yet.</p>}
      {groups.map((group) => (
        <section key={group.id} aria-labelledby={`location-${group.id}`}>
          <h2 id={`location-${group.id}`}>{group.label}</h2>
          <DataTable
            rows={group.registers}
            rowKey={(register) => register.id}
            caption={counted(group.registers.length, 'register')}
            empty="No registers here."
            columns={[
              { header: 'Name', rowHeader: true, cell: (register) => (access.manage && !register.archivedAt ? <a href={`/pos/registers/${register.id}/edit`}>{register.name}</a> : register.name) },
              { header: 'Code', cell: (register) => <code>{register.code}</code> },
              { header: 'Terminal', cell: (register) => <TerminalCell register={register} /> },
              { header: 'Shift', cell: (register) => (register.openShiftId ? 'Open' : 'Closed') },
              { header: 'Status', cell: (register) => <span class="badge">{register.archivedAt ? 'Deactivated' : 'Active'}</span> },
              access.manage && { header: 'Actions', cell: (register) => <RegisterActions register={register} access={access} csrfToken={chrome.csrfToken} /> },
            ]}
          />
        </section>
      ))}
      {access.manage && (
        <section aria-labelledby="new-register">
          <h2 id="new-register">New register</h2>
          {locations.length === 0 ? (
            <p class="muted">
              Add a <a href="/locations">location</a> first: every register stands at one.
            </p>
          ) : (
            <>
              <FormErrorSummary errors={errors} formError={formError} />
              <RegisterForm values={values} errors={errors} locations={locations} csrfToken={chrome.csrfToken} />
            </>
          )}
        </section>
      )}
    </Layout>
  );
}

interface EditProps {
  register: Register;
  values: RegisterEditValues;
  errors: FieldErrors;
  formError?: string | undefined;
  chrome: Chrome;
}

export function RegisterEditPage({ register, values, errors, formError, chrome }: EditProps) {
  const title = `Edit ${register.name}`;
  return (
    <Layout title={title}>
      <p>
        <a href="/pos/registers">← Registers</a>
      </p>
      <h1>{title}</h1>
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action={`/pos/registers/${register.id}`} novalidate>
        <CsrfField token={chrome.csrfToken} />
        <TextField name="name" label="Name" value={values.name} error={errors.name} required maxLength={NAME_MAX} />
        <TextField name="maxDiscount" label="Discount limit (%)" value={values.maxDiscount} error={errors.maxDiscount} required inputMode="decimal" hint="Larger discounts need a manager" />
        <button class="button" type="submit">
          Save changes
        </button>
      </form>
    </Layout>
  );
}
