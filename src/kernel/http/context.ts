import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.ts';
import type { Tenant } from '../tenancy/index.ts';
import { AppError } from './errors.ts';

/** What every use case receives first: who is asking, for which tenant, and where to write. */
export interface ServiceContext {
  db: Db;
  tenantId: string;
  requestId: string;
  log: FastifyBaseLogger;
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant | null;
  }
  interface FastifyInstance {
    db: Db;
  }
}

export function serviceContext(request: FastifyRequest): ServiceContext {
  if (!request.tenant) throw new AppError('AUTHN', 'Select a tenant before using this endpoint.');
  return { db: request.server.db, tenantId: request.tenant.id, requestId: request.id, log: request.log };
}
