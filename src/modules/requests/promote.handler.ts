import { defineEventHandler } from '../../kernel/jobs/index.ts';
import { CREDENTIAL_TRUSTED } from '../community/index.ts';
import { promotePendingRequests } from './requests.service.ts';

/** When a sign-in of a person becomes trusted, what they drafted while half-authenticated opens. */
export const promotePendingHandler = defineEventHandler({
  name: 'promote-pending',
  events: [CREDENTIAL_TRUSTED],
  async handle(uow, event) {
    await promotePendingRequests(uow, event.payload.userId);
  },
});
