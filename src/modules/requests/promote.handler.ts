import type { EventHandlerDefinition } from '../../kernel/jobs/types.ts';
import { CREDENTIAL_TRUSTED } from '../community/index.ts';
import { promotePendingRequests } from './requests.service.ts';

/** When a sign-in of a person becomes trusted, what they drafted while half-authenticated opens. */
export const promotePendingHandler: EventHandlerDefinition = {
  name: 'promote-pending',
  events: [CREDENTIAL_TRUSTED],
  async handle(uow, event) {
    const { userId } = event.payload as { userId?: unknown };
    if (typeof userId === 'string') await promotePendingRequests(uow, userId);
  },
};
