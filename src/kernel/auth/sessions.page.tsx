import { CsrfField, Layout, Notice, PostButton, When, type Chrome } from '../../web/index.ts';
import type { MySession } from './my-sessions.service.ts';


interface Props {
  sessions: readonly MySession[];
  notice?: string | undefined;
  chrome: Chrome;
}

/** Every live browser session of the user, each with its own sign-out button; works without JavaScript. */
export function SessionsPage({ sessions, notice, chrome }: Props) {
  const others = sessions.filter((session) => !session.current).length;
  return (
    <Layout title="Where you are signed in">
      <h1>Where you are signed in</h1>
      <Notice text={notice} />
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Browser</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
            <th scope="col">IP address</th>
            <th scope="col">
              <span class="muted">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr key={session.id} id={`session-${session.id}`}>
              <td>
                <span title={session.userAgent ?? undefined}>{session.device}</span> {session.current && <span class="badge">This browser</span>}
              </td>
              <td>
                <When at={session.createdAt} />
              </td>
              <td>
                <When at={session.lastSeenAt} />
              </td>
              <td>{session.ip ?? '—'}</td>
              <td>
                <PostButton action={`/account/sessions/${session.id}/revoke`} csrfToken={chrome.csrfToken} label={session.current ? 'Sign out here' : 'Sign out'} secondary />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {others > 0 && (
        <form method="post" action="/account/sessions/revoke-others" class="toolbar">
          <CsrfField token={chrome.csrfToken} />
          <button class="button" type="submit">
            Sign out everywhere else
          </button>
        </form>
      )}
      <p>
        <a href="/account">Back to your account</a>
      </p>
    </Layout>
  );
}
