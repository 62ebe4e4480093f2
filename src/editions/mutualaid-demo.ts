import type { ServiceContext } from '../kernel/context.ts';
import { createUser, findUserByEmail } from '../kernel/identity/index.ts';
import { addMemberDirectly } from '../modules/community/index.ts';
import { addComment, changeRequestStatus, createRequest, listRequests } from '../modules/requests/index.ts';

/** The demo's own deps: nobody watches the seed, so nothing is published. */
const quiet = { realtime: { publishAfterCommit: async () => {} } };

async function demoMember(ctx: ServiceContext, email: string, displayName: string, username: string, roleKeys: readonly string[]): Promise<ServiceContext> {
  const user = (await findUserByEmail(ctx.db, email)) ?? (await createUser(ctx.db, { email, displayName }));
  await addMemberDirectly(ctx, { userId: user.id, username, roleKeys });
  return { ...ctx, actor: { kind: 'user', userId: user.id, sessionId: 'demo-seed' } };
}

/** The demo community: its coordinator (the demo owner), two members, and a few requests; seeded once. */
export async function seedCommunity(ctx: ServiceContext): Promise<void> {
  const coordinator = await demoMember(ctx, 'owner@demo-community.example', 'Riverside Mutual Aid (demo) owner', 'coordinator', ['owner']);
  const ana = await demoMember(ctx, 'ana@demo-community.example', 'Ana Schmidt', 'ana', ['member']);
  const ben = await demoMember(ctx, 'ben@demo-community.example', 'Ben Okafor', 'ben', ['member']);
  if ((await listRequests(coordinator, { page: 1, pageSize: 1 })).pagination.total > 0) return;
  const groceries = await createRequest(ana, { title: 'Groceries for Thursday', body: 'I am recovering from surgery and cannot carry bags. Could someone bring groceries on Thursday afternoon? List ready.', syncScope: 'private' });
  await addComment(ben, quiet, groceries.id, { body: 'I can do it after 3 pm. Send me the list!', syncScope: 'private' });
  const ride = await createRequest(ben, { title: 'Ride to the clinic on Monday', body: 'Appointment at 9:30 at the Nordstadt clinic; I need a ride there and back.', syncScope: 'public' });
  await addComment(ana, quiet, ride.id, { body: 'I drive past there at 9; happy to take you.', syncScope: 'public' });
  await changeRequestStatus(ben, quiet, ride.id, 'complete');
  await createRequest(coordinator, { title: 'Volunteers for the Saturday food share', body: 'We need three people to sort donations from 10 to 12 at the community hall.', syncScope: 'public' });
}
