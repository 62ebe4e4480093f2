import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { randomToken, sha256 } from './crypto.ts';
import { identityOneTimeToken, type OneTimePurpose } from './one-time-token.table.ts';
import { addSeconds, nowOf, type At } from './time.ts';

/** How long a link stays valid unless the caller says otherwise: a reset for an hour, a verification for two days. */
export const DEFAULT_ONE_TIME_TTL_SECONDS: Record<OneTimePurpose, number> = {
  password_reset: 60 * 60,
  email_verification: 48 * 60 * 60,
};

/**
 * A token for an emailed link. Issuing one cancels the user's earlier unused tokens of the same
 * purpose, so only the newest link works.
 */
export function issueOneTimeToken(
  db: Db | Tx,
  input: { userId: string; purpose: OneTimePurpose; ttlSeconds?: number },
  options: At = {},
): Promise<{ token: string; expiresAt: Date }> {
  const now = nowOf(options);
  const token = randomToken();
  const expiresAt = addSeconds(now, input.ttlSeconds ?? DEFAULT_ONE_TIME_TTL_SECONDS[input.purpose]);
  return db.transaction(async (tx) => {
    await tx
      .delete(identityOneTimeToken)
      .where(and(eq(identityOneTimeToken.userId, input.userId), eq(identityOneTimeToken.purpose, input.purpose), isNull(identityOneTimeToken.usedAt)));
    await tx.insert(identityOneTimeToken).values({ tokenHash: sha256(token), userId: input.userId, purpose: input.purpose, createdAt: now, expiresAt });
    return { token, expiresAt };
  });
}

const usable = (token: string, purpose: OneTimePurpose, now: Date) =>
  and(
    eq(identityOneTimeToken.tokenHash, sha256(token)),
    eq(identityOneTimeToken.purpose, purpose),
    isNull(identityOneTimeToken.usedAt),
    gt(identityOneTimeToken.expiresAt, now),
  );

/**
 * Spends a token in one statement, so two concurrent uses cannot both succeed. Null when it is
 * unknown, of another purpose, used or expired.
 */
export async function consumeOneTimeToken(db: Db | Tx, token: string, purpose: OneTimePurpose, options: At = {}): Promise<{ userId: string } | null> {
  const now = nowOf(options);
  const [row] = await db
    .update(identityOneTimeToken)
    .set({ usedAt: now })
    .where(usable(token, purpose, now))
    .returning({ userId: identityOneTimeToken.userId });
  return row ?? null;
}

/** The user a still-usable token belongs to, without spending it: lets a link's page say up front whether it still works. */
export async function findUsableOneTimeToken(db: Db | Tx, token: string, purpose: OneTimePurpose, options: At = {}): Promise<{ userId: string } | null> {
  const [row] = await db.select({ userId: identityOneTimeToken.userId }).from(identityOneTimeToken).where(usable(token, purpose, nowOf(options))).limit(1);
  return row ?? null;
}

/** The user a still-usable token belongs to, locked until the transaction ends, without spending it. */
export async function lockUsableToken(tx: Tx, token: string, purpose: OneTimePurpose, now: Date): Promise<{ id: string; userId: string } | undefined> {
  const [row] = await tx
    .select({ id: identityOneTimeToken.id, userId: identityOneTimeToken.userId })
    .from(identityOneTimeToken)
    .where(usable(token, purpose, now))
    .for('update');
  return row;
}

export async function markTokenUsed(tx: Tx, id: string, now: Date): Promise<void> {
  await tx.update(identityOneTimeToken).set({ usedAt: now }).where(eq(identityOneTimeToken.id, id));
}
