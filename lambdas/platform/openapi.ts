/** The OpenAPI 3.1 document, generated from the route table and its zod schemas (one source). */
import * as z from 'zod';
import type { RouteSpec } from '../../lib/spec/routes';
import { ApiError } from './schemas';

type JsonSchema = Record<string, unknown>;

/** Named schemas (zod .meta({id})) are hoisted into components.schemas and referenced from there. */
const components: Record<string, JsonSchema> = {};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const raw = JSON.stringify(z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }));
  const { $schema: _drop, $defs, ...rest } = JSON.parse(raw.replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  Object.assign(components, ($defs ?? {}) as Record<string, JsonSchema>);
  return rest;
}

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 400: 'Invalid input: details name each bad field', 401: 'No or bad token', 403: 'Not allowed',
  404: 'Not found', 409: 'Conflict', 413: 'Body too large', 415: 'Body must be JSON', 429: 'Too many requests', 500: 'Internal error', 503: 'Not ready',
};

function parameters(schema: z.ZodType | undefined, where: 'path' | 'header' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input');
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, p]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: p }));
}

export function openApiDocument(routes: RouteSpec[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes) {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, schema] of Object.entries(r.responses)) {
      responses[status] = { description: REASONS[Number(status)] ?? 'OK', content: { 'application/json': { schema: jsonSchema(schema, 'output') } } };
    }
    for (const status of [...r.errors, 500]) {
      responses[String(status)] = { description: REASONS[status] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } };
    }
    if (r.auth === 'official') responses['401'] ??= { description: REASONS[401], content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.function,
      summary: r.summary,
      ...(r.localOnly ? { description: 'One-machine mode only: this route does not exist in the cloud stack.' } : {}),
      security: r.auth === 'official' ? [{ officialToken: [] }] : [],
      parameters: [...parameters(r.request?.path, 'path'), ...parameters(r.request?.query, 'query'), ...parameters(r.request?.headers, 'header')],
      ...(r.request?.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.request.body, 'input') } } } } : {}),
      ...(r.request?.upload ? { requestBody: { required: true, content: Object.fromEntries(r.request.upload.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary', maxLength: r.request?.upload?.maxBytes } }])) } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ...components, ApiError: jsonSchema(ApiError, 'output') },
      securitySchemes: {
        officialToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token in AWS; POST /api/dev/login on one machine' },
      },
    },
  };
}
