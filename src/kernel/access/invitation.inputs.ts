import { z } from 'zod';
import { memberRoleKeys } from './inputs.ts';

/** Invitation settings, for the API and the page alike. */
export const invitationInput = z.strictObject({
  email: z.email({ error: 'must be an email address' }).max(254).optional(),
  roles: memberRoleKeys.min(1, { error: 'choose at least one role' }),
  maxUses: z.int({ error: 'must be a whole number' }).min(1).max(1000).default(1),
  expiresInHours: z.int({ error: 'must be a whole number' }).min(1).max(24 * 30).default(24 * 7),
});
export type InvitationRequest = z.output<typeof invitationInput>;
