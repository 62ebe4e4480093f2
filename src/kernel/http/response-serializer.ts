import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { serializerCompiler as checkingSerializerCompiler } from 'fastify-type-provider-zod';
import { toJSONSchema, type ZodType } from 'zod';
import { $ZodType } from 'zod/v4/core';

type Serialize = (data: unknown) => string;

/**
 * The JSON Schema without its `required` lists: fast-json-stringify writes required properties
 * before the others, Zod writes all in the schema's order, and the answers must be the same bytes
 * (a response missing a required field is what the check, in development and tests, is for).
 */
function inSchemaOrder(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(inSchemaOrder);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).flatMap(([key, value]) => (key === 'required' && Array.isArray(value) ? [] : [[key, inSchemaOrder(value)]])));
}

function hasComposedObjects(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.some(hasComposedObjects);
  if (typeof schema !== 'object' || schema === null) return false;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'allOf' || key === 'oneOf') return true;
    if (key === 'anyOf' && Array.isArray(value) && value.some((branch) => typeof branch === 'object' && branch !== null && ('properties' in branch || 'anyOf' in branch))) return true;
    if (hasComposedObjects(value)) return true;
  }
  return false;
}

/**
 * A serializer built once from the response schema's JSON Schema (fast-json-stringify, which
 * writes only the declared properties, in the schema's order, as Zod's output does), or undefined
 * when the schema has no JSON form (transforms, dates, codecs) or is an intersection: those keep Zod's serializer.
 */
function compiled(schema: unknown): Serialize | undefined {
  if (!(schema instanceof $ZodType)) return undefined;
  try {
    const jsonSchema = toJSONSchema(schema as ZodType, { io: 'output', unrepresentable: 'throw', target: 'draft-07' });
    // Intersections and unions of objects: fast-json-stringify merges or picks their parts its own way (GET /v1/audit/verify).
    if (hasComposedObjects(jsonSchema)) return undefined;
    return fastJson(inSchemaOrder(jsonSchema) as Parameters<typeof fastJson>[0]) as Serialize;
  } catch {
    return undefined;
  }
}

/**
 * Response serialization. Zod's serializer checks every response against its schema and then
 * stringifies it: in production that check costs a tenth of a list request, for answers built by
 * the app's own code. With `check` off (production by default, RESPONSE_VALIDATION) responses go
 * through a compiled serializer; with it on (development, tests) Zod checks each response and the
 * compiled serializer must answer the very same bytes, so every test also proves what production
 * would send.
 */
export function responseSerializerCompiler(options: { check: boolean }): FastifySerializerCompiler<unknown> {
  return (route) => {
    const checking = checkingSerializerCompiler(route as Parameters<typeof checkingSerializerCompiler>[0]) as Serialize;
    const fast = compiled(route.schema);
    if (!fast) return checking;
    if (!options.check) return fast;
    return (data) => {
      const expected = checking(data);
      const answer = fast(data);
      if (answer !== expected) throw new Error(`${route.method} ${route.url} (${route.httpStatus}): the compiled serializer answered ${answer} where the schema's answer is ${expected}`);
      return answer;
    };
  };
}
