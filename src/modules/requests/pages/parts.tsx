import { SCOPE_LABELS, STATUS_LABELS, type RequestStatus, type SyncScope } from '../domain/request.ts';

export function StatusBadge({ status }: { status: RequestStatus }) {
  return <span class={`badge status-${status === 'completed' ? 'closed' : status === 'pending' ? 'waiting_on_customer' : 'open'}`}>{STATUS_LABELS[status]}</span>;
}

/** Whether the record may leave this node in federation bundles. */
export function ScopeBadge({ scope }: { scope: SyncScope }) {
  return (
    <span class={`badge scope-${scope}`} title={scope === 'public' ? 'May be shared with peer communities' : 'Stays in this community'}>
      {SCOPE_LABELS[scope]}
    </span>
  );
}
