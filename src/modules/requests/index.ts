/** Requests' public surface: the only file other modules and editions import. */
export { requestsEvents } from './events.ts';
export { requestsModule } from './manifest.ts';
export { REQUEST_PERMISSIONS } from './permissions.ts';
export { createRequest, addComment, changeRequestStatus, listRequests, getRequest } from './requests.service.ts';
export type { RequestDetail, RequestSummary, RequestInput, SyncScope } from './domain/request.ts';
