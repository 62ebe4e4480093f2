import { deriveIdentityKeys, hashToken, verifyAccessToken } from '../../../src/kernel/identity/index.ts';
import { TEST_ROOT_SECRET, type TestApp } from '../../support/app.ts';

const keys = deriveIdentityKeys(TEST_ROOT_SECRET);

/** The community's key of the credential in these request headers: the session of a Cookie, or the token family of a bearer token. */
async function credentialKeyOf(t: TestApp, headers: Record<string, string>): Promise<string | undefined> {
  const session = /plinth_session=([^;]+)/.exec(headers.cookie ?? '')?.[1];
  if (session) {
    const { rows } = await t.database.pool.query<{ id: string }>('SELECT id FROM identity_session WHERE token_hash = $1', [hashToken(session)]);
    return rows[0] && `session:${rows[0].id}`;
  }
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  if (!bearer) return undefined;
  const outcome = await verifyAccessToken(t.app.db, keys, bearer);
  return outcome.ok ? `token:${outcome.claims.familyId}` : undefined;
}

/**
 * Marks the credential of these headers as verified in the community, as an emailed code would:
 * for tests that check what a member may do, not how their sign-in is verified.
 */
export async function trustCredential(t: TestApp, tenantId: string, userId: string, headers: Record<string, string>): Promise<void> {
  const key = await credentialKeyOf(t, headers);
  if (!key) return;
  await t.database.pool.query(
    `INSERT INTO community_credential (tenant_id, credential_key, user_id, state, decided_at, decided_via)
     VALUES ($1, $2, $3, 'trusted', now(), 'code')
     ON CONFLICT (tenant_id, credential_key) DO UPDATE SET state = 'trusted'`,
    [tenantId, key, userId],
  );
}
