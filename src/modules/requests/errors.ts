import { AppError } from '../../kernel/errors.ts';

export const requestsErrors = {
  /** Also what another community's request, or someone else's pending one, looks like. */
  requestNotFound: () => new AppError('NOT_FOUND', 'Request was not found.', { reason: 'REQUESTS_REQUEST_NOT_FOUND' }),
  commentNotFound: () => new AppError('NOT_FOUND', 'Comment was not found.', { reason: 'REQUESTS_COMMENT_NOT_FOUND' }),
  transitionRefused: (message: string) => new AppError('CONFLICT', message, { reason: 'REQUESTS_STATUS_TRANSITION' }),
  pendingRequest: () => new AppError('CONFLICT', 'This request is pending verification of its author; comments open once it is verified.', { reason: 'REQUESTS_PENDING' }),
  notAuthor: () => new AppError('AUTHZ', 'Only its author or an administrator can change this.', { reason: 'REQUESTS_NOT_AUTHOR' }),
  personRequired: () => new AppError('AUTHZ', 'Requests are written by signed-in people.', { reason: 'REQUESTS_PERSON_REQUIRED' }),
};
