import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isUniqueViolation, type Db, type Tx } from '../db/index.ts';
import { identityErrors } from './errors.ts';
import { signOutEverywhere } from './sign-out.ts';
import { nowOf, type At } from './time.ts';
import { appUser, type UserStatus } from './user.table.ts';

export interface User {
  id: string;
  email: string;
  displayName: string;
  status: UserStatus;
  emailVerifiedAt: Date | null;
  tokenVersion: number;
  createdAt: Date;
}

/** The columns of a User, for queries that join app_user. */
export const userColumns = {
  id: appUser.id,
  email: appUser.email,
  displayName: appUser.displayName,
  status: appUser.status,
  emailVerifiedAt: appUser.emailVerifiedAt,
  tokenVersion: appUser.tokenVersion,
  createdAt: appUser.createdAt,
};

const EMAIL_KEY = 'app_user_email_key';
const emailShape = z.email().max(254);

/**
 * The one spelling of an address: trimmed, NFC, lower-case. Lower-casing the local part is
 * stricter than RFC 5321 but is what every mail provider people use does, and it keeps
 * "Ana@x" and "ana@x" one account (the unique index is on lower(email) as well).
 */
export const normaliseEmail = (email: string): string => email.trim().normalize('NFC').toLowerCase();

export async function createUser(db: Db | Tx, input: { email: string; displayName: string }): Promise<User> {
  const email = normaliseEmail(input.email);
  if (!emailShape.safeParse(email).success) throw identityErrors.invalidEmail();
  try {
    const [row] = await db.insert(appUser).values({ email, displayName: input.displayName.trim() }).returning(userColumns);
    if (!row) throw new Error('insert into app_user returned no row');
    return row;
  } catch (error) {
    if (isUniqueViolation(error, EMAIL_KEY)) throw identityErrors.emailTaken();
    throw error;
  }
}

export async function getUser(db: Db | Tx, userId: string): Promise<User | undefined> {
  const [row] = await db.select(userColumns).from(appUser).where(eq(appUser.id, userId)).limit(1);
  return row;
}

export async function findUserByEmail(db: Db | Tx, email: string): Promise<User | undefined> {
  const [row] = await db
    .select(userColumns)
    .from(appUser)
    .where(sql`lower(${appUser.email}) = ${normaliseEmail(email)}`)
    .limit(1);
  return row;
}

/**
 * Enables or disables an account. Disabling also signs the user out everywhere in the same
 * transaction: sessions and token families revoked, token_version bumped (live access tokens die
 * on their next request).
 */
export function setUserStatus(db: Db | Tx, userId: string, status: UserStatus, options: At = {}): Promise<User> {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(appUser).set({ status, updatedAt: nowOf(options) }).where(eq(appUser.id, userId)).returning(userColumns);
    if (!row) throw identityErrors.userNotFound();
    if (status === 'active') return row;
    await signOutEverywhere(tx, userId, 'disabled', options);
    return (await getUser(tx, userId)) ?? row;
  });
}
