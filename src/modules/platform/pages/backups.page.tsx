import { counted, CsrfField, DataTable, ErrorAlert, Notice, PostButton, TextField, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import type { BackupView } from '../domain/backups.ts';
import { Page } from './parts.tsx';

/** What this platform member may do with backups (the routes check again). */
export interface BackupAbilities {
  backup: boolean;
  restore: boolean;
}

const KIND_LABELS = { backup: 'Backup', restore: 'Restore' } as const;

/** Bytes as people read them. */
export const fileSize = (bytes: number | null) =>
  bytes === null ? '—' : bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The file's name without the job's id (the page already is that job's), as people read it. */
const shownFileName = (fileName: string) => fileName.replace(/-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\.)/i, '');

const checkText = (job: BackupView) => (job.verification ? (job.verification.ok ? 'Verified: every table matches' : `Differs: ${job.verification.mismatches.map((mismatch) => mismatch.table).join(', ') || 'audit chain'}`) : '—');

function JobResult({ job, can }: { job: BackupView; can: BackupAbilities }) {
  if (job.status === 'failed') return <span class="error">{job.error}</span>;
  if (job.kind === 'backup') return job.status === 'done' && can.backup ? <a href={`/v1/platform/backups/${job.id}/download`}>Download {shownFileName(job.fileName)}</a> : null;
  return job.restoredTenantId ? (
    <>
      <a href={`/console/tenants/${job.restoredTenantId}`}>{job.targetName ?? job.targetSlug}</a>: {checkText(job)}
    </>
  ) : null;
}

/** The business page's list of backups and restores, with "Back up now". */
export function BackupsSection({ tenantId, backups, can, csrfToken }: { tenantId: string; backups: readonly BackupView[]; can: BackupAbilities; csrfToken: string }) {
  return (
    <section aria-labelledby="backups-heading">
      <h2 id="backups-heading">Backups</h2>
      <p class="muted">A backup is one consistent copy of all of the business’s data, written to a file by a job; a restore copies it into a new, suspended business and checks every table.</p>
      {can.backup && <PostButton action={`/console/tenants/${tenantId}/backups`} csrfToken={csrfToken} label="Back up now" />}
      <DataTable
        rows={backups}
        rowKey={(job) => job.id}
        caption={counted(backups.length, 'backup or restore', 'backups and restores')}
        empty="No backups yet."
        columns={[
          { header: 'Requested', rowHeader: true, cell: (job) => <a href={`/console/backups/${job.id}`}><When at={job.requestedAt} /></a> },
          { header: 'Kind', cell: (job) => KIND_LABELS[job.kind] },
          { header: 'Status', cell: (job) => <span class="badge">{job.status}</span> },
          { header: 'Size', num: true, cell: (job) => fileSize(job.sizeBytes) },
          { header: 'Rows', num: true, cell: (job) => job.rowCount ?? '—' },
          { header: 'Result', cell: (job) => <JobResult job={job} can={can} /> },
        ]}
      />
    </section>
  );
}

interface BackupPageProps {
  job: BackupView;
  business: { id: string; name: string };
  can: BackupAbilities;
  values?: { slug: string; name: string };
  errors?: FieldErrors;
  notice?: string | undefined;
  formError?: string | undefined;
  chrome: Chrome;
}

/** One backup (its file, tables, and the restore form) or one restore (its new business and check). */
export function BackupPage({ job, business, can, values = { slug: '', name: '' }, errors = {}, notice, formError, chrome }: BackupPageProps) {
  const title = `${KIND_LABELS[job.kind]} of ${business.name}`;
  return (
    <Page title={title} chrome={chrome}>
      <p>
        <a href={`/console/tenants/${business.id}`}>← {business.name}</a>
      </p>
      <h1>{title}</h1>
      <Notice text={notice} />
      <ErrorAlert text={formError} />
      <dl>
        <dt>Status</dt>
        <dd>
          <span class="badge">{job.status}</span>
          {job.status === 'queued' || job.status === 'running' ? ' (reload the page to follow the job)' : ''}
        </dd>
        <dt>Requested</dt>
        <dd>
          <When at={job.requestedAt} /> by {job.requestedBy}
        </dd>
        <dt>Finished</dt>
        <dd><When at={job.finishedAt} /></dd>
        {job.kind === 'backup' ? (
          <>
            <dt>File</dt>
            <dd>
              {job.status === 'done' && can.backup ? <a href={`/v1/platform/backups/${job.id}/download`}>{shownFileName(job.fileName)}</a> : <code>{shownFileName(job.fileName)}</code>} ({fileSize(job.sizeBytes)})
            </dd>
            <dt>SHA-256 of the file</dt>
            <dd>
              <code>{job.sha256 ?? '—'}</code>
            </dd>
          </>
        ) : (
          <>
            <dt>From backup</dt>
            <dd>{job.backupId && <a href={`/console/backups/${job.backupId}`}>{shownFileName(job.fileName)}</a>}</dd>
            <dt>New business</dt>
            <dd>{job.restoredTenantId ? <a href={`/console/tenants/${job.restoredTenantId}`}>{job.targetName}</a> : `${job.targetName ?? ''} (${job.targetSlug ?? ''}), not created yet`}</dd>
            <dt>Check</dt>
            <dd>{checkText(job)}</dd>
            {job.verification && (
              <>
                <dt>Audit log of the new business</dt>
                <dd>{job.verification.auditChain.ok ? `Unbroken (${job.verification.auditChain.entries ?? 0} entries)` : `Broken at entry ${job.verification.auditChain.brokenAtSeq ?? '?'}`}</dd>
              </>
            )}
          </>
        )}
        {job.error && (
          <>
            <dt>Error</dt>
            <dd class="error">{job.error}</dd>
          </>
        )}
      </dl>

      {job.verification && job.verification.mismatches.length > 0 && (
        <DataTable
          rows={job.verification.mismatches}
          rowKey={(mismatch) => mismatch.table}
          caption="Tables that differ from the backup"
          empty=""
          columns={[
            { header: 'Table', rowHeader: true, cell: (mismatch) => mismatch.table },
            { header: 'Rows in backup', num: true, cell: (mismatch) => mismatch.expected.rows },
            { header: 'Rows restored', num: true, cell: (mismatch) => mismatch.actual.rows },
          ]}
        />
      )}

      {job.tables && (
        <details>
          <summary>Rows per table</summary>
          <DataTable
            rows={Object.entries(job.tables)}
            rowKey={([table]) => table}
            caption={counted(Object.keys(job.tables).length, 'table')}
            empty="No tables."
            columns={[
              { header: 'Table', rowHeader: true, cell: ([table]) => table },
              { header: 'Rows', num: true, cell: ([, sums]) => sums.rows },
              { header: 'Checksum (SHA-256)', cell: ([, sums]) => <code>{sums.sha256.slice(0, 16)}…</code> },
            ]}
          />
        </details>
      )}

      {job.kind === 'backup' && job.status === 'done' && can.restore && (
        <section aria-labelledby="restore-heading">
          <h2 id="restore-heading">Restore into a new business</h2>
          <p class="muted">The copy starts suspended, with the same members and roles; devices, staff PINs, invitations and payment-provider links are not copied.</p>
          <form method="post" action={`/console/backups/${job.id}/restore`}>
            <CsrfField token={chrome.csrfToken} />
            <TextField name="slug" label="Address of the new business (optional)" value={values.slug} error={errors.slug} maxLength={63} hint="Lower-case letters, digits and dashes; empty: the source’s with a suffix." />
            <TextField name="name" label="Name of the new business (optional)" value={values.name} error={errors.name} maxLength={200} />
            <button class="button" type="submit">
              Restore into a new business
            </button>
          </form>
        </section>
      )}
    </Page>
  );
}
