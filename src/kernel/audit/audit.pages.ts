import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import { nameActors } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { addDays, DEFAULT_TIME_ZONE, instantOfLocalDateTime, isCalendarDate } from '../time/index.ts';
import { chrome, sendPage, type FieldErrors } from '../../web/index.ts';
import { auditFilterChoices, listAuditEvents } from './audit-list.ts';
import { AuditPage, type AuditPageFilters } from './audit.page.tsx';
import type { AuditFilters } from './domain/audit-event.ts';

const READ = { access: { permission: 'audit.log.read' } } as const;
const PAGE_SIZE = 50;

// A hand-edited query shows the unfiltered log rather than an error page; a mistyped day is said next to its field.
const filterText = z.string().trim().max(200).catch('').default('');
const pageQuery = z.object({
  from: filterText,
  to: filterText,
  actor: filterText,
  action: filterText,
  entity: filterText,
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
});

/** The page's filters as the log's: days on the business's clocks become the instants they start and (for `to`, inclusive) end at. */
function logFilters(typed: AuditPageFilters, timeZone: string): { filters: AuditFilters; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const dayStart = (field: 'from' | 'to', day: string) => {
    if (!day) return undefined;
    if (!isCalendarDate(day)) {
      errors[field] = 'Enter a day such as 2026-12-01.';
      return undefined;
    }
    return instantOfLocalDateTime(`${field === 'to' ? addDays(day, 1) : day} 00:00`, timeZone)?.toISOString();
  };
  const filters: AuditFilters = {
    from: dayStart('from', typed.from),
    to: dayStart('to', typed.to),
    actor: typed.actor || undefined,
    action: typed.action || undefined,
    targetType: typed.entity || undefined,
  };
  return { filters, errors };
}

const csvQuery = (filters: AuditFilters) =>
  new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string')).toString();

/** `/audit`: the business's audit log in words, for owners (and whoever holds audit.log.read). */
export function auditPageRoutes(app: AppInstance): void {
  app.get('/audit', { config: READ, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const { page, ...typed } = request.query;
    const { filters, errors } = logFilters(typed, request.tenant?.timeZone ?? DEFAULT_TIME_ZONE);
    const entries = await listAuditEvents(ctx, { ...filters, page, pageSize: PAGE_SIZE });
    const choices = await auditFilterChoices(ctx);
    const nameOf = await nameActors(ctx, [...choices.actors, ...entries.data.map((entry) => entry.actor)]);
    const csvHref = request.permissions.has('audit.log.export') ? `/v1/audit/events.csv?${csvQuery(filters)}` : undefined;
    return sendPage(reply, AuditPage({ entries, filters: typed, errors, choices, nameOf, csvHref, chrome: chrome(request, reply) }));
  });
}
