import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { pageBody } from './domain/page.ts';
import { securityEventView, securityListQuery } from './domain/security-event.ts';
import { listSecurityEvents } from './security-list.ts';

const READ = { access: { permission: 'audit.security.read' } } as const;

export function securityRoutes(app: AppInstance): void {
  app.get(
    '/v1/security/events',
    {
      config: READ,
      schema: {
        tags: ['audit'],
        summary: "List the tenant's security events (failed sign-ins, denials, spikes), newest first, paginated",
        querystring: securityListQuery,
        response: { 200: pageBody(securityEventView) },
      },
    },
    (request) => listSecurityEvents(serviceContext(request), request.query),
  );
}
