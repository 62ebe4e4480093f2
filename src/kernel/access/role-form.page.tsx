import { CheckboxGroup, CsrfField, FormErrorSummary, Layout, TextField, type Chrome, type FieldErrors } from '../../web/index.ts';
import type { PermissionGroup } from './permission-groups.ts';

/** What the person sent, kept as sent so a rejected form comes back unchanged. */
export interface RoleFormValues {
  key: string;
  name: string;
  permissions: string[];
}

interface Props {
  /** A role's key is fixed once created (members and templates refer to it). */
  mode: { kind: 'create' } | { kind: 'edit'; id: string };
  values: RoleFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  groups: readonly PermissionGroup[];
  chrome: Chrome;
}

export function RoleFormPage({ mode, values, errors, formError, groups, chrome }: Props) {
  const title = mode.kind === 'create' ? 'New role' : `Edit ${values.name || values.key}`;
  const action = mode.kind === 'create' ? '/access/roles' : `/access/roles/${mode.id}`;
  return (
    <Layout title={title}>
      <p>
        <a href="/access/roles">← Roles</a>
      </p>
      <h1>{title}</h1>
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action={action} novalidate>
        <CsrfField token={chrome.csrfToken} />
        {mode.kind === 'create' ? (
          <TextField name="key" label="Key" value={values.key} error={errors.key} required maxLength={48} hint="Lower-case letters, digits and _, e.g. stock_keeper; cannot be changed later" autoFocus />
        ) : (
          <p>
            Key: <code>{values.key}</code>
          </p>
        )}
        <TextField name="name" label="Name" value={values.name} error={errors.name} required maxLength={80} autoFocus={mode.kind === 'edit'} />
        <h2>Permissions</h2>
        {errors.permissions && (
          <p class="alert error" id="field-permissions-error">
            {errors.permissions}
          </p>
        )}
        {groups.map((group) => (
          <CheckboxGroup
            key={group.module}
            name="permissions"
            legend={group.label}
            idPrefix={`permission-${group.module}`}
            options={group.permissions.map((permission) => ({ value: permission.key, label: permission.description, hint: permission.key }))}
            checked={values.permissions}
          />
        ))}
        <button class="button" type="submit">
          {mode.kind === 'create' ? 'Create role' : 'Save changes'}
        </button>
      </form>
    </Layout>
  );
}
