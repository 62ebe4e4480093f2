import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import type { NavigationItem } from '../module/index.ts';
import type { Tenant } from '../tenancy/index.ts';
import { AppError } from './errors.ts';

export type { ServiceContext } from '../context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant | null;
  }
  interface FastifyInstance {
    db: Db;
    /** Navigation entries of the mounted modules, for page layouts. */
    navigation: readonly NavigationItem[];
  }
}

export function serviceContext(request: FastifyRequest): ServiceContext {
  if (!request.tenant) throw new AppError('AUTHN', 'Select a tenant before using this endpoint.');
  return { db: request.server.db, tenantId: request.tenant.id, actor: { kind: 'anonymous' }, requestId: request.id, log: request.log };
}
