import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { listAuditEvents } from './audit-list.ts';
import { auditCsv } from './audit-csv.ts';
import { auditEventView, auditFilters, auditListQuery, chainVerification, checkpointVerification } from './domain/audit-event.ts';
import { pageBody } from './domain/page.ts';
import { verifyAuditChain } from './audit-verify.ts';
import { loadCheckpointTrust, verifyAuditCheckpoints } from './checkpoint-verify.ts';

const READ = { access: { permission: 'audit.log.read' } } as const;
const VERIFY = { access: { permission: 'audit.log.verify' } } as const;
const EXPORT = { access: { permission: 'audit.log.export' } } as const;
const tags = ['audit'];

/** `signingKeyFile`: the checkpoint key (and the log beside it) the verify route checks checkpoints with. */
export function auditRoutes(app: AppInstance, signingKeyFile: string): void {
  app.get(
    '/v1/audit/events',
    {
      config: READ,
      schema: {
        tags,
        summary: "List the tenant's audit entries, newest first, paginated",
        querystring: auditListQuery,
        response: { 200: pageBody(auditEventView) },
      },
    },
    (request) => listAuditEvents(serviceContext(request), request.query),
  );

  app.get(
    '/v1/audit/events.csv',
    {
      config: EXPORT,
      schema: { tags, summary: "Export the tenant's audit entries as CSV, newest first", querystring: auditFilters },
    },
    async (request, reply) => {
      const stream = auditCsv(serviceContext(request), request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-events.csv"')
        .send(stream);
    },
  );

  app.get(
    '/v1/audit/verify',
    {
      config: VERIFY,
      schema: {
        tags,
        summary: "Check the tenant's audit hash chain and its signed checkpoints; name the first broken entry, a cut-off end or rewritten history",
        response: { 200: z.object({ data: z.intersection(chainVerification, z.object({ checkpoints: checkpointVerification })) }) },
      },
    },
    async (request) => {
      const ctx = serviceContext(request);
      const chain = await verifyAuditChain(ctx.db, ctx.tenantId);
      const trust = await loadCheckpointTrust(signingKeyFile, new Set([ctx.tenantId]));
      return { data: { ...chain, checkpoints: await verifyAuditCheckpoints(ctx.db, ctx.tenantId, trust) } };
    },
  );
}
