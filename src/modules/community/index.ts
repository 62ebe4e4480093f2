/** Community's public surface: the only file other modules, editions and the CLI import. */
export { communityEvents } from './events.ts';
export { communityModule } from './manifest.ts';
export { CREDENTIAL_TRUSTED } from './credentials.rows.ts';
export { bootstrapAdmin, type AdminBootstrap, type AdminBootstrapOutcome } from './bootstrap.service.ts';
export { approveSignIn, denySignIn, listPendingSignIns, type PendingSignIn } from './credentials.service.ts';
export { createInvite, invitePath, type Invite, type CreatedInvite } from './invites.service.ts';
export { inviteInput, type InviteInput } from './domain/invite.ts';
export { usernamesOf } from './people.ts';
export { addMemberDirectly } from './members.service.ts';
