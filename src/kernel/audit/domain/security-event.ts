import { z } from 'zod';
import { SECURITY_SEVERITIES } from '../security-event.table.ts';
import { exact, instant, pageQuery } from './page.ts';

export const securityListQuery = z.strictObject({
  ...pageQuery,
  kind: exact(63),
  severity: z.enum(SECURITY_SEVERITIES).optional(),
  from: instant,
  to: instant,
});
export type SecurityListQuery = z.output<typeof securityListQuery>;

export const securityEventView = z.object({
  id: z.uuid(),
  occurredAt: z.string(),
  kind: z.string(),
  severity: z.enum(SECURITY_SEVERITIES),
  actor: z.string(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type SecurityEventView = z.output<typeof securityEventView>;
