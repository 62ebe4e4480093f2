import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';
import { INVITE_MODES } from './domain/invite.ts';

const id = z.guid();

/** The community's events: invites, people joining, and sign-ins becoming trusted (requests promotes what their person drafted). */
export const communityEvents = defineEvents({
  'community.invite.created': z.object({ inviteId: id, inviterUserId: id, mode: z.enum(INVITE_MODES) }),
  'community.member.registered': z.object({ userId: id, inviteId: id, inviterUserId: id, mode: z.enum(INVITE_MODES) }),
  'community.credential.trusted': z.object({ credentialId: id, userId: id, via: z.enum(['code', 'admin', 'cli', 'invite', 'bootstrap']) }),
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof communityEvents> {}
}
