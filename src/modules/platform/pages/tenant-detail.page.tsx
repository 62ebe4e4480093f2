import { formatMoney } from '../../../kernel/money/index.ts';
import { CsrfField, ErrorAlert, Notice, PostButton, SelectField, TextField, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import type { BackupView } from '../domain/backups.ts';
import type { Plan, TenantDetail } from '../domain/types.ts';
import { BackupsSection, type BackupAbilities } from './backups.page.tsx';
import { Page, TextArea } from './parts.tsx';

/** What this platform member may do here (the routes check again). */
export interface TenantAbilities {
  approve: boolean;
  status: boolean;
  configure: boolean;
}

interface Props {
  tenant: TenantDetail;
  plans: Plan[];
  can: TenantAbilities;
  backups: readonly BackupView[];
  backupCan: BackupAbilities;
  notice?: string | undefined;
  formError?: string | undefined;
  errors?: FieldErrors;
  /** A chosen plan that would switch modules off, waiting for the confirmation that names them. */
  planChange?: PlanChange | undefined;
  chrome: Chrome;
}

/** What assigning a plan would switch off for this business (modules on now that the plan does not include). */
export interface PlanChange {
  planId: string;
  planName: string;
  switchedOff: readonly string[];
}

/** Asks before a plan switches modules off, naming them; without JavaScript, as a second form. */
function ConfirmPlanChange({ action, change, businessName, csrfToken }: { action: string; change: PlanChange; businessName: string; csrfToken: string }) {
  return (
    <div class="alert error" role="alert">
      <p>
        Moving {businessName} to <strong>{change.planName}</strong> switches off: {change.switchedOff.join(', ')}. Its people lose those pages and API routes at once; their data is kept.
      </p>
      <form method="post" action={action}>
        <CsrfField token={csrfToken} />
        <input type="hidden" name="planId" value={change.planId} />
        <input type="hidden" name="confirm" value="switch-off" />
        <button class="button" type="submit">
          Switch them off and assign {change.planName}
        </button>
      </form>
    </div>
  );
}

const LIMIT_LABELS = { members: 'Active members', locations: 'Locations in use', terminals: 'Terminals' } as const;

function ReasonForm({ action, label, csrfToken, error, required = true }: { action: string; label: string; csrfToken: string; error?: string | undefined; required?: boolean }) {
  const name = 'reason';
  return (
    <form method="post" action={action}>
      <CsrfField token={csrfToken} />
      <TextArea name={name} label={required ? `Reason for “${label}” (the owner may read it)` : `Reason for “${label}” (optional)`} error={error} required={required} maxLength={1000} />
      <button class="button secondary" type="submit">
        {label}
      </button>
    </form>
  );
}

export function TenantDetailPage({ tenant, plans, can, backups, backupCan, notice, formError, errors = {}, planChange, chrome }: Props) {
  const base = `/console/tenants/${tenant.id}`;
  const token = chrome.csrfToken;
  return (
    <Page title={tenant.name} chrome={chrome}>
      <p>
        <a href="/console/tenants">← Businesses</a>
      </p>
      <h1>{tenant.name}</h1>
      <Notice text={notice} />
      <ErrorAlert text={formError} />
      <dl>
        <dt>Address</dt>
        <dd>
          <code>{tenant.slug}</code>
        </dd>
        <dt>Edition</dt>
        <dd>{tenant.edition}</dd>
        <dt>Status</dt>
        <dd>
          <span class="badge">{tenant.status}</span>
        </dd>
        <dt>Members</dt>
        <dd>{tenant.memberCount}</dd>
        <dt>Signed up</dt>
        <dd><When at={tenant.createdAt} /></dd>
        {tenant.signup && (
          <>
            <dt>Applicant</dt>
            <dd>
              {tenant.signup.ownerName} ({tenant.signup.ownerEmail})
            </dd>
            {tenant.signup.decision && (
              <>
                <dt>Decision</dt>
                <dd>
                  {tenant.signup.decision} <When at={tenant.signup.decidedAt} />
                  {tenant.signup.reason ? `: ${tenant.signup.reason}` : ''}
                </dd>
              </>
            )}
          </>
        )}
      </dl>

      <section aria-labelledby="status-heading">
        <h2 id="status-heading">Status</h2>
        {tenant.status === 'pending' && can.approve && (
          <>
            <PostButton action={`${base}/approve`} csrfToken={token} label="Approve" />
            <ReasonForm action={`${base}/reject`} label="Reject" csrfToken={token} error={errors.reject} />
          </>
        )}
        {tenant.status === 'active' && can.status && <ReasonForm action={`${base}/suspend`} label="Suspend" csrfToken={token} error={errors.suspend} />}
        {tenant.status === 'suspended' && can.status && <PostButton action={`${base}/resume`} csrfToken={token} label="Resume" />}
        {(tenant.status === 'active' || tenant.status === 'suspended') && can.status && <ReasonForm action={`${base}/close`} label="Close for good" csrfToken={token} required={false} />}
        {tenant.status === 'closed' && <p class="muted">Closed businesses stay closed; their data is kept.</p>}
      </section>

      <section aria-labelledby="plan-heading">
        <h2 id="plan-heading">Plan and limits</h2>
        <p>
          {tenant.plan ? (
            <>
              <strong>{tenant.plan.name}</strong> ({formatMoney(tenant.plan.priceMinor, tenant.plan.currency)} per {tenant.plan.interval})
            </>
          ) : (
            'No plan: no limits, every module of the edition.'
          )}
        </p>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Limit</th>
              <th scope="col" class="num">
                Allowed
              </th>
              <th scope="col" class="num">
                In use
              </th>
            </tr>
          </thead>
          <tbody>
            {tenant.limits.map((limit) => (
              <tr key={limit.key}>
                <th scope="row">{LIMIT_LABELS[limit.key]}</th>
                <td class="num">{limit.max ?? 'no limit'}</td>
                <td class="num">{limit.used ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {can.configure && planChange && <ConfirmPlanChange action={`${base}/plan`} change={planChange} businessName={tenant.name} csrfToken={token} />}
        {can.configure && plans.length > 0 && (
          <form method="post" action={`${base}/plan`}>
            <CsrfField token={token} />
            <SelectField name="planId" label="Plan" value={tenant.plan?.id ?? ''} error={errors.planId} options={plans.map((plan) => ({ value: plan.id, label: `${plan.name} (${plan.key})` }))} />
            <button class="button secondary" type="submit">
              Assign plan
            </button>
          </form>
        )}
      </section>

      <section aria-labelledby="modules-heading">
        <h2 id="modules-heading">Modules</h2>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col">State</th>
              {can.configure && <th scope="col">Change</th>}
            </tr>
          </thead>
          <tbody>
            {tenant.modules.map((module) => (
              <tr key={module.id}>
                <th scope="row">{module.id}</th>
                <td>{module.enabled ? 'On' : module.inPlan ? 'Off' : 'Off (not in plan)'}</td>
                {can.configure && (
                  <td>
                    {(module.enabled || module.inPlan) && (
                      <PostButton action={`${base}/modules`} csrfToken={token} label={module.enabled ? `Switch ${module.id} off` : `Switch ${module.id} on`} fields={{ module: module.id, enabled: String(!module.enabled) }} secondary />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="flags-heading">
        <h2 id="flags-heading">Feature flags</h2>
        {tenant.flags.length === 0 ? (
          <p class="muted">No flags set: every flag is off.</p>
        ) : (
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Flag</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {tenant.flags.map((flag) => (
                <tr key={flag.flag}>
                  <th scope="row">
                    <code>{flag.flag}</code>
                  </th>
                  <td>{flag.enabled ? 'On' : 'Off'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {can.configure && (
          <form method="post" action={`${base}/flags`}>
            <CsrfField token={token} />
            <TextField name="flag" label="Flag" error={errors.flag} required maxLength={63} hint="e.g. beta.reports" />
            <SelectField name="enabled" label="State" value="true" options={[{ value: 'true', label: 'On' }, { value: 'false', label: 'Off' }]} />
            <button class="button secondary" type="submit">
              Set flag
            </button>
          </form>
        )}
      </section>

      <BackupsSection tenantId={tenant.id} backups={backups} can={backupCan} csrfToken={token} />
    </Page>
  );
}
