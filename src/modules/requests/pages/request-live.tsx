import { useEffect, useState } from 'preact/hooks';
import { PostButton as Post } from '../../../web/post-button.tsx';
import { TimeZoneContext, When } from '../../../web/when.tsx';
import type { RequestDetail, SyncScope } from '../domain/request.ts';
import { ScopeBadge, StatusBadge } from './parts.tsx';

export const REQUEST_LIVE_ISLAND = 'request-live';

export interface RequestLiveProps {
  detail: RequestDetail;
  /** `tenant:<id>:requests.activity`. */
  channel: string;
  csrfToken: string;
  timeZone: string;
  canWrite: boolean;
  canModerate: boolean;
}

const otherScope = (scope: SyncScope): SyncScope => (scope === 'private' ? 'public' : 'private');

/**
 * The live part of a request page: status, actions and comments. Server-rendered like any page;
 * in the browser it listens on the requests channel and reloads the request when it changes, so
 * new comments and completions appear without a reload.
 */
export function RequestLive({ detail: initial, channel, csrfToken, timeZone, canWrite, canModerate }: RequestLiveProps) {
  const [detail, setDetail] = useState(initial);
  useEffect(() => listen(channel, initial.id, setDetail), [channel, initial.id]);
  const base = `/requests/${detail.id}`;
  const mayScope = canWrite && (detail.mine || canModerate);
  return (
    <TimeZoneContext.Provider value={timeZone}>
      <p class="request-meta" data-live-status={detail.status}>
        <StatusBadge status={detail.status} /> <ScopeBadge scope={detail.syncScope} /> asked by <strong>{detail.author}</strong> <When at={detail.createdAt} />
        {detail.completedAt && (
          <>
            {' · completed by '}
            <strong>{detail.completedBy}</strong> <When at={detail.completedAt} />
          </>
        )}
      </p>
      <div class="toolbar">
        {canWrite && detail.status === 'open' && <Post action={`${base}/complete`} csrfToken={csrfToken} label="Mark completed" />}
        {canWrite && detail.status === 'completed' && <Post action={`${base}/reopen`} csrfToken={csrfToken} label="Reopen" secondary />}
        {mayScope && <Post action={`${base}/scope`} csrfToken={csrfToken} label={`Make ${otherScope(detail.syncScope)}`} secondary fields={{ syncScope: otherScope(detail.syncScope) }} />}
      </div>
      <h2>Comments ({detail.comments.filter((comment) => !comment.removed).length})</h2>
      {detail.comments.length === 0 ? (
        <p class="muted">No comments yet.</p>
      ) : (
        <ol class="comments">
          {detail.comments.map((comment) => (
            <li key={comment.id} class={comment.removed ? 'comment removed' : 'comment'}>
              <p class="comment-meta">
                <strong>{comment.author}</strong> <When at={comment.createdAt} /> <ScopeBadge scope={comment.syncScope} />
              </p>
              {comment.removed ? <p class="muted">Removed by a moderator.</p> : <p class="comment-body">{comment.body}</p>}
              {!comment.removed && (
                <div class="toolbar">
                  {canWrite && (comment.mine || canModerate) && (
                    <Post action={`${base}/comments/${comment.id}/scope`} csrfToken={csrfToken} label={`Make ${otherScope(comment.syncScope)}`} secondary fields={{ syncScope: otherScope(comment.syncScope) }} />
                  )}
                  {canModerate && <Post action={`${base}/comments/${comment.id}/remove`} csrfToken={csrfToken} label="Remove" secondary />}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </TimeZoneContext.Provider>
  );
}

const RECONNECT_MS = 3000;

/** Subscribes to the channel (browser only) and reloads the request on each of its events; answers the clean-up. */
function listen(channel: string, requestId: string, update: (detail: RequestDetail) => void): () => void {
  let socket: WebSocket | undefined;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const reload = async () => {
    const response = await fetch(`/v1/requests/${requestId}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (response.ok) update(((await response.json()) as { data: RequestDetail }).data);
  };
  const open = () => {
    socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/realtime`);
    socket.addEventListener('open', () => socket?.send(JSON.stringify({ type: 'subscribe', channel })));
    socket.addEventListener('message', (message) => {
      const parsed = JSON.parse(String(message.data)) as { type: string; event?: { requestId?: string } };
      // A resync means events may be lost: reloading is the whole state anyway.
      if ((parsed.type === 'event' && parsed.event?.requestId === requestId) || parsed.type === 'resync') void reload();
    });
    socket.addEventListener('close', () => {
      if (!stopped) retry = setTimeout(open, RECONNECT_MS);
    });
  };
  open();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    socket?.close();
  };
}
