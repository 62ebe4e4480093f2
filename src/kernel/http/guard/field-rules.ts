import type { FastifyRequest } from 'fastify';
import type { AppInstance, FieldRule } from '../../module/index.ts';
import { AppError } from '../../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The resource the route reads or writes, so field rules of that resource apply to it. */
    resource?: string;
  }
  interface FastifyInstance {
    fieldRules: ReadonlyMap<string, readonly FieldRule[]>;
  }
}

type Record_ = Record<string, unknown>;
const isRecord = (value: unknown): value is Record_ => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Fields of the resource this actor may not see. */
export function hiddenFields(request: FastifyRequest, resource: string): string[] {
  return (request.server.fieldRules.get(resource) ?? []).filter((rule) => !request.permissions.has(rule.read)).map((rule) => rule.field);
}

/** Whether the actor may set this field of the resource (true when no rule covers it). */
export function canWriteField(request: FastifyRequest, resource: string, field: string): boolean {
  const rule = request.server.fieldRules.get(resource)?.find((candidate) => candidate.field === field);
  return !rule || request.permissions.has(rule.write);
}

/** Refuses a write naming any field the actor may not set; AUTHZ names the fields. */
export function assertWritableFields(request: FastifyRequest, resource: string, fields: Iterable<string>): void {
  const refused = [...fields].filter((field) => !canWriteField(request, resource, field));
  if (refused.length > 0)
    throw new AppError('AUTHZ', `You may not set ${refused.join(', ')}.`, { reason: 'FIELD_FORBIDDEN', fields: refused });
}

/** A copy of the object without the hidden fields; anything else unchanged. */
export function withoutFields<T>(item: T, hidden: readonly string[]): T {
  if (!isRecord(item) || hidden.length === 0) return item;
  return Object.fromEntries(Object.entries(item).filter(([field]) => !hidden.includes(field))) as T;
}

/**
 * Applies modules' field rules to routes that declare a `resource`: before the handler, a body
 * setting a forbidden field is refused; before serialisation, hidden fields leave `data` (one
 * item or a list). Deny by default — the rule's permission must be held, not merely not denied.
 */
export function installFieldRules(app: AppInstance, rules: readonly FieldRule[]): void {
  const byResource = new Map<string, FieldRule[]>();
  for (const rule of rules) byResource.set(rule.resource, [...(byResource.get(rule.resource) ?? []), rule]);
  app.decorate('fieldRules', byResource as ReadonlyMap<string, readonly FieldRule[]>);

  app.addHook('preHandler', async (request) => {
    const resource = request.routeOptions.config.resource;
    if (resource && isRecord(request.body)) assertWritableFields(request, resource, Object.keys(request.body));
  });

  app.addHook('preSerialization', async (request, _reply, payload: unknown) => {
    const resource = request.routeOptions.config.resource;
    if (!resource || !isRecord(payload) || !('data' in payload)) return payload;
    const hidden = hiddenFields(request, resource);
    if (hidden.length === 0) return payload;
    const data = Array.isArray(payload.data) ? payload.data.map((item) => withoutFields(item, hidden)) : withoutFields(payload.data, hidden);
    return { ...payload, data };
  });
}
