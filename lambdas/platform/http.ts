/**
 * The middy stack every HTTP handler uses: size limit → JSON body → zod validation of body, path, query
 * and headers → (official routes) token verification → the domain call; errors become the API's envelope.
 * Handlers stay adapters: they declare their contract and call one domain function.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { DomainError, InvalidInputError, PayloadTooLargeError, UnsupportedMediaTypeError, type FieldIssue } from './errors';
import { attachment } from './content-disposition';
import { logger } from './logger';
import { serviceUnavailableFor } from './transient-errors';
import { API_SECURITY_HEADERS } from './security-headers';
import type { Official } from '../domain/registry/schemas';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Token verification (./auth: jose and the officials' schema) and the account check (is it disabled? the
 * registry) are loaded by httpRoute for official routes only, when the handler module loads, as an import would: a function with public routes only never
 * evaluates it (nor, once bundled, builds the schema it alone uses).
 */
let auth: typeof import('./auth') | undefined;
const tokenVerification = () => (auth ??= require('./auth') as typeof import('./auth'));
let accounts: typeof import('../domain/registry/account-status') | undefined;
const accountStatus = () => (accounts ??= require('../domain/registry/account-status') as typeof import('../domain/registry/account-status'));

export interface Contract {
  body?: z.ZodType;
  path?: z.ZodType;
  query?: z.ZodType;
  headers?: z.ZodType;
  auth: 'public' | 'official';
  /** The body is a file (a CSV or XLSX sheet, say) of one of these media types, at most maxBytes: `file` in the request. */
  upload?: { contentTypes: readonly string[]; maxBytes: number };
  /** An account still on its one-time password may use this official route (change it, sign out, who am I). */
  duringPasswordChange?: boolean;
  /** Runs before anything else is done for the request, e.g. a client rate limit (lambdas/platform/rate-limit.ts). */
  guard?: (event: APIGatewayProxyEventV2) => Promise<void>;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RequestOf<C extends Contract> {
  body: Infer<C['body']>;
  path: Infer<C['path']>;
  query: Infer<C['query']>;
  headers: Infer<C['headers']>;
  official: C['auth'] extends 'official' ? Official : undefined;
  /** Official routes: the account still has its one-time password (only routes with duringPasswordChange get here so). */
  mustChangePassword: C['auth'] extends 'official' ? boolean : undefined;
  file: C['upload'] extends object ? Buffer : undefined;
  event: APIGatewayProxyEventV2;
}

export interface Reply {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A file download instead of a JSON body: sent base64-encoded as an attachment (see reply.file). */
  file?: { contentType: string; fileName: string; data: Buffer };
}

export const reply = Object.assign(
  (statusCode: number, body?: unknown, headers?: Record<string, string>): Reply => ({ statusCode, body, headers }),
  {
    /** 200 with the bytes of a file to download (CSV, XLSX …) as `Content-Disposition: attachment`. */
    file: (contentType: string, fileName: string, data: Buffer, headers?: Record<string, string>): Reply => ({ statusCode: 200, headers, file: { contentType, fileName, data } }),
  },
);

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

function toJson(r: Reply): Result {
  if (r.file) {
    return {
      statusCode: r.statusCode,
      headers: { ...API_SECURITY_HEADERS, 'content-type': r.file.contentType, 'content-disposition': attachment(r.file.fileName), 'cache-control': 'no-store', ...r.headers },
      body: r.file.data.toString('base64'),
      isBase64Encoded: true,
    };
  }
  return {
    statusCode: r.statusCode,
    headers: { ...API_SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...r.headers },
    body: r.body === undefined ? '' : JSON.stringify(r.body),
  };
}

export function errorReply(statusCode: number, code: string, message: string, details?: FieldIssue[], headers?: Record<string, string>): Result {
  return toJson({ statusCode, headers, body: { error: { code, message, ...(details ? { details } : {}) } } });
}

function issues(error: z.ZodError, where: FieldIssue['in']): FieldIssue[] {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('.') : where === 'body' ? '(body)' : `(${where})`,
    message: i.message,
    in: where,
  }));
}

/**
 * Registered last: every error becomes the API's envelope; internals of unknown errors never leave.
 * Throttling and transient AWS errors (after the SDK's retries) are a 503 with Retry-After, not a 500.
 */
export const httpErrorHandler = (): MiddlewareObj<Event, Result> => ({
  onError: (request) => {
    const err = serviceUnavailableFor(request.error) ?? request.error;
    if (err instanceof DomainError) {
      if (err.statusCode >= 500) logger.warn('request failed', { error: err.message, code: err.code, ...(err !== request.error ? { cause: request.error?.name, route: request.event.routeKey } : {}) });
      request.response = errorReply(err.statusCode, err.code, err.message, err.details, err.headers);
      return;
    }
    logger.error('unhandled error', { error: err, route: request.event.routeKey });
    request.response = errorReply(500, 'internal', 'Something went wrong on our side. Please try again later.');
  },
});

function rawBody(event: Event): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** The bytes of an uploaded file: base64 unless API Gateway passed it as text (text/csv is UTF-8 then). */
function uploadedFile(event: Event, upload: NonNullable<Contract['upload']>, problems: FieldIssue[]): Buffer | undefined {
  const data = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  if (data.length > upload.maxBytes) throw new PayloadTooLargeError(`The file must be at most ${Math.round(upload.maxBytes / 1024 / 1024)} MB`);
  const type = (event.headers?.['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (data.length && !upload.contentTypes.includes(type)) throw new UnsupportedMediaTypeError(`Send the file as one of ${upload.contentTypes.join(', ')}`);
  if (!data.length) problems.push({ field: '(body)', message: 'a file is required as the request body', in: 'body' });
  return data;
}

function validateRequest<C extends Contract>(contract: C): MiddlewareObj<Event, Result, Error, Context & { request?: unknown }> {
  return {
    before: async (request) => {
      const event = request.event;
      // Abuse limits count every request, valid or not: a flood of malformed bodies costs as much.
      if (contract.guard) await contract.guard(event);
      // Who is asking comes first: an unauthenticated caller learns nothing about the contract.
      let account: { official: Official; mustChangePassword: boolean } | undefined;
      if (contract.auth === 'official') {
        const session = await tokenVerification().verifyOfficialSession(event.headers?.authorization);
        account = await accountStatus().currentOfficial(session.official, { generation: session.generation, duringPasswordChange: contract.duringPasswordChange });
      }
      const problems: FieldIssue[] = [];
      const parsed: Record<string, unknown> = {};
      if (contract.upload) parsed.file = uploadedFile(event, contract.upload, problems);
      if (contract.body) {
        const text = rawBody(event);
        if (text !== undefined && Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
          throw new PayloadTooLargeError(`The request body must be at most ${MAX_BODY_BYTES / 1024} KB`);
        }
        const type = event.headers?.['content-type'] ?? '';
        if (text !== undefined && !/^application\/json\b/i.test(type)) {
          throw new UnsupportedMediaTypeError('Send the body as application/json');
        }
        let json: unknown;
        if (text === undefined) json = undefined;
        else {
          try {
            json = JSON.parse(text) as unknown;
          } catch {
            throw new InvalidInputError('The request body is not valid JSON', [{ field: '(body)', message: 'must be valid JSON', in: 'body' }]);
          }
        }
        if (json === undefined) problems.push({ field: '(body)', message: 'a JSON body is required', in: 'body' });
        else {
          const r = contract.body.safeParse(json);
          if (r.success) parsed.body = r.data;
          else problems.push(...issues(r.error, 'body'));
        }
      }
      const parts: Array<[keyof Contract, 'path' | 'query' | 'header', unknown]> = [
        ['path', 'path', event.pathParameters ?? {}],
        ['query', 'query', event.queryStringParameters ?? {}],
        ['headers', 'header', event.headers ?? {}],
      ];
      for (const [key, where, value] of parts) {
        const schema = contract[key] as z.ZodType | undefined;
        if (!schema) continue;
        const r = schema.safeParse(value);
        if (r.success) parsed[key] = r.data;
        else problems.push(...issues(r.error, where));
      }
      if (problems.length) throw new InvalidInputError('The request is invalid: see details for each field', problems);
      parsed.official = account?.official;
      parsed.mustChangePassword = account?.mustChangePassword;
      (request.context as Context & { request?: unknown }).request = parsed;
    },
  };
}

/** Builds a Lambda handler for an HTTP API route from its contract and one domain call. */
export function httpRoute<C extends Contract>(contract: C, handle: (req: RequestOf<C>) => Promise<Reply>) {
  if (contract.auth === 'official') {
    tokenVerification();
    accountStatus();
  }
  return middy<Event, Result, Error, Context & { request?: unknown }>()
    .use(validateRequest(contract))
    .use(httpErrorHandler())
    .handler(async (event, context) => {
      const parsed = (context.request ?? {}) as Omit<RequestOf<C>, 'event'>;
      return toJson(await handle({ ...parsed, event } as RequestOf<C>));
    });
}
