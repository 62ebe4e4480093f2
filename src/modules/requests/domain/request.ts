import { z } from 'zod';
import { text } from '../../../kernel/text/index.ts';

export const REQUEST_STATUSES = ['open', 'pending', 'completed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const SYNC_SCOPES = ['private', 'public'] as const;
export type SyncScope = (typeof SYNC_SCOPES)[number];

export const STATUS_LABELS: Record<RequestStatus, string> = { open: 'Open', pending: 'Pending verification', completed: 'Completed' };
export const SCOPE_LABELS: Record<SyncScope, string> = { private: 'Private', public: 'Public' };

export const TITLE_MAX = 200;
export const BODY_MAX = 5000;
export const COMMENT_MAX = 2000;
export const PAGE_SIZE_MAX = 100;

const required = (max: number) => text(max).pipe(z.string().min(1, { error: 'is required' }));

export const requestInput = z.strictObject({
  title: required(TITLE_MAX),
  body: required(BODY_MAX),
  syncScope: z.enum(SYNC_SCOPES, { error: 'must be private or public' }).default('private'),
});
export type RequestInput = z.output<typeof requestInput>;

export const commentInput = z.strictObject({
  body: required(COMMENT_MAX),
  syncScope: z.enum(SYNC_SCOPES, { error: 'must be private or public' }).default('private'),
});
export type CommentInput = z.output<typeof commentInput>;

export const scopeInput = z.strictObject({ syncScope: z.enum(SYNC_SCOPES, { error: 'must be private or public' }) });

export const requestListQuery = z.object({
  status: z.enum(REQUEST_STATUSES).optional(),
  scope: z.enum(SYNC_SCOPES).optional(),
  /** Only the caller's own requests. */
  mine: z.stringbool().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(20),
});
export type RequestListQuery = z.output<typeof requestListQuery>;

/** Completing needs an open request; reopening a completed one. Pending requests wait for their author's verification. */
export function transitionRefusal(status: RequestStatus, action: 'complete' | 'reopen'): string | undefined {
  if (action === 'complete' && status !== 'open') return status === 'pending' ? 'A request pending verification cannot be completed yet.' : 'This request is already completed.';
  if (action === 'reopen' && status !== 'completed') return 'Only a completed request can be reopened.';
  return undefined;
}

/** Who sees a request: everyone sees open and completed ones; a pending one only its author and moderators. */
export const visibleTo = (status: RequestStatus, isAuthor: boolean, moderates: boolean): boolean => status !== 'pending' || isAuthor || moderates;

// Answers.

export const requestSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  author: z.string(),
  status: z.enum(REQUEST_STATUSES),
  syncScope: z.enum(SYNC_SCOPES),
  commentCount: z.number(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  completedBy: z.string().nullable(),
});
export type RequestSummary = z.output<typeof requestSummary>;

export const comment = z.object({
  id: z.uuid(),
  author: z.string(),
  /** Empty once a moderator removed the comment. */
  body: z.string(),
  syncScope: z.enum(SYNC_SCOPES),
  createdAt: z.iso.datetime(),
  removed: z.boolean(),
  /** Written by the caller. */
  mine: z.boolean(),
});
export type Comment = z.output<typeof comment>;

export const requestDetail = requestSummary.extend({ comments: z.array(comment), mine: z.boolean() });
export type RequestDetail = z.output<typeof requestDetail>;

export interface Page<T> {
  data: T[];
  pagination: { page: number; pageSize: number; total: number; totalPages: number };
}
