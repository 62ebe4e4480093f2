import { z } from 'zod';
import { text } from '../../../kernel/text/index.ts';

/** `join`: the newcomer is a trusted member at once; `approval`: an administrator approves them first. */
export const INVITE_MODES = ['join', 'approval'] as const;
export type InviteMode = (typeof INVITE_MODES)[number];

export const MAX_INVITE_USES = 100;
export const MAX_INVITE_DAYS = 90;
export const USERNAME = /^[a-z0-9_]{3,32}$/;

const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME, { error: 'must be 3 to 32 lower-case letters, digits or _' });

export const inviteInput = z.strictObject({
  mode: z.enum(INVITE_MODES, { error: 'must be join or approval' }).default('join'),
  maxUses: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(MAX_INVITE_USES, { error: `must be at most ${MAX_INVITE_USES}` }).default(1),
  expiresInDays: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(MAX_INVITE_DAYS, { error: `must be at most ${MAX_INVITE_DAYS}` }).default(7),
  note: text(500).optional(),
  suggestedUsername: z.union([z.literal(''), username]).optional(),
});
export type InviteInput = z.output<typeof inviteInput>;

export const registrationInput = z.strictObject({
  displayName: text(100).pipe(z.string().min(1, { error: 'is required' })),
  username,
  email: z.email({ error: 'must be an email address' }).max(254),
  password: z.string().min(1, { error: 'is required' }).max(200),
});
export type RegistrationInput = z.output<typeof registrationInput>;

export interface InviteState {
  uses: number;
  maxUses: number;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Why an invite cannot be used now, or undefined when it can. */
export function inviteRefusal(invite: InviteState, now: Date): 'revoked' | 'expired' | 'exhausted' | undefined {
  if (invite.revokedAt) return 'revoked';
  if (now >= invite.expiresAt) return 'expired';
  if (invite.uses >= invite.maxUses) return 'exhausted';
  return undefined;
}
