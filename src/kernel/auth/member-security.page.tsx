import { Layout, Notice, PostButton, When, type Chrome } from '../../web/index.ts';
import type { Session } from '../identity/index.ts';
import { summariseUserAgent } from './user-agent.ts';

interface Props {
  person: { userId: string; displayName: string; email: string };
  sessions: readonly Session[];
  /** Shown once, right after an administrator issued it. */
  temporaryPassword?: string | undefined;
  canManage: boolean;
  chrome: Chrome;
}

/** An administrator's view of one member's sign-in: where they are signed in, and a password reset without email. */
export function MemberSecurityPage({ person, sessions, temporaryPassword, canManage, chrome }: Props) {
  return (
    <Layout title={`Sign-in of ${person.displayName}`}>
      <h1>Sign-in of {person.displayName}</h1>
      <p class="muted">{person.email}</p>
      {temporaryPassword && (
        <>
          <Notice text={`Temporary password for ${person.displayName}, shown only now. Hand it over in person; it must be changed at the next sign-in. Their sessions have ended.`} />
          <p>
            <code id="temporary-password">{temporaryPassword}</code>
          </p>
        </>
      )}
      <h2>Signed in on</h2>
      {sessions.length === 0 ? (
        <p>Not signed in anywhere in this business.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">IP address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id}>
                <td>
                  <span title={session.userAgent ?? undefined}>{summariseUserAgent(session.userAgent)}</span>
                </td>
                <td>{session.ip ?? '—'}</td>
                <td>
                  <When at={session.createdAt} />
                </td>
                <td>
                  <When at={session.lastSeenAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && (
        <>
          <h2>Password</h2>
          <p>Forgotten password and no email? Issue a temporary one: it works once, to choose a new password.</p>
          <PostButton action={`/access/members/${person.userId}/temporary-password`} csrfToken={chrome.csrfToken} label="Issue a temporary password" />
        </>
      )}
      <p>
        <a href="/access/members">Back to the team</a>
      </p>
    </Layout>
  );
}
