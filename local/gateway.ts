/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): matches the request against the
 * one route table, builds the same event API Gateway would, calls the route's handler and writes its
 * structured result back. It adds nothing of its own but the size cap API Gateway also has.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routes, type RouteSpec } from '../lib/spec/routes';
import { invokeFunction } from './functions';
import { meter } from './meter';
import { API_SECURITY_HEADERS } from '../lambdas/platform/security-headers';

const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

interface CompiledRoute {
  route: RouteSpec;
  pattern: RegExp;
  params: string[];
}

const compile = (route: RouteSpec): CompiledRoute => {
  const params: string[] = [];
  const escaped = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(
    `^${escaped.replace(/\{(\w+)\}/g, (_m, name: string) => {
      params.push(name);
      return '([^/]+)';
    })}$`,
  );
  return { route, pattern, params };
};

export type ExtraHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const plainAddress = (a: string) => a.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/**
 * The client's address, as API Gateway's sourceIp gives it in AWS. Behind a reverse proxy on this machine
 * (nginx, caddy) every request comes from the proxy: when the peer is one of `trusted` (TRUSTED_PROXIES),
 * the address is the right-most X-Forwarded-For hop that is not itself a trusted proxy, so the per-address
 * limits count citizens, not the proxy. Anyone else's X-Forwarded-For is ignored (it is theirs to forge).
 */
export function clientIp(req: Pick<IncomingMessage, 'headers' | 'socket'>, trusted: ReadonlySet<string>): string {
  const peer = plainAddress(req.socket.remoteAddress ?? '127.0.0.1');
  if (!trusted.has(peer)) return peer;
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map(plainAddress)
    .filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i--) if (!trusted.has(forwarded[i])) return forwarded[i];
  return peer;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...API_SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > API_GATEWAY_MAX_BODY) {
        resolve('too_large');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const TEXTUAL = /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/i;

function toEvent(req: IncomingMessage, url: URL, match: CompiledRoute, values: string[], body: Buffer, trusted: ReadonlySet<string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const pathParameters: Record<string, string> = {};
  match.params.forEach((p, i) => {
    // A segment that is not valid percent-encoding (`%E0%A4%A`, `%ZZ`) is passed on as it came: the
    // handler's path schema refuses it with a 400, where decodeURIComponent would throw (a 500).
    try {
      pathParameters[p] = decodeURIComponent(values[i]);
    } catch {
      pathParameters[p] = values[i];
    }
  });
  const textual = TEXTUAL.test(headers['content-type'] ?? '');
  const now = new Date();
  const routeKey = `${match.route.method} ${match.route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies: headers.cookie ? headers.cookie.split(/;\s*/) : undefined,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: match.params.length ? pathParameters : undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method: match.route.method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: clientIp(req, trusted), userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? (textual ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !textual,
  };
}

function writeResult(res: ServerResponse, result: unknown): void {
  // Payload 2.0: a result without statusCode is itself the JSON body of a 200.
  const structured: APIGatewayProxyStructuredResultV2 =
    result && typeof result === 'object' && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  // As CloudFront's response headers policy adds them to whatever the API answers.
  const headers: Record<string, string | string[]> = { ...API_SECURITY_HEADERS };
  for (const [k, v] of Object.entries(structured.headers ?? {})) headers[k] = String(v);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  res.writeHead(structured.statusCode ?? 200, headers);
  const body = structured.body ?? '';
  res.end(structured.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/**
 * `served`: the routes this platform answers (production mode leaves out the demo and test routes); any
 * other is a 404, as in AWS. `trustedProxies`: the reverse proxies whose X-Forwarded-For is believed.
 */
export function createGateway(extra: ExtraHandler[] = [], served: readonly RouteSpec[] = routes, trustedProxies: readonly string[] = []): Server {
  const compiled = served.map(compile);
  const trusted = new Set(trustedProxies.map(plainAddress));
  return createServer((req, res) => {
    void (async () => {
      try {
        if (extra.some((h) => h(req, res))) return;
        const url = new URL(req.url ?? '/', 'http://localhost');
        const candidates = compiled.map((c) => ({ c, m: c.pattern.exec(url.pathname) })).filter((x) => x.m);
        const hit = candidates.find((x) => x.c.route.method === req.method);
        if (!hit) {
          if (candidates.length) send(res, 405, { error: { code: 'method_not_allowed', message: `${req.method} is not allowed on ${url.pathname}` } });
          else send(res, 404, { error: { code: 'not_found', message: `No route for ${req.method} ${url.pathname}` } });
          return;
        }
        const body = await readBody(req);
        if (body === 'too_large') {
          send(res, 413, { error: { code: 'payload_too_large', message: 'The request body is too large' } });
          return;
        }
        const event = toEvent(req, url, hit.c, (hit.m as RegExpExecArray).slice(1), body, trusted);
        meter.apiRequest(event.routeKey);
        writeResult(res, await invokeFunction(hit.c.route.function, event));
      } catch (err) {
        // A handler that throws past its own error middleware: API Gateway answers 500 with no details.
        process.stderr.write(`${JSON.stringify({ level: 'error', message: 'handler failed', error: (err as Error).message })}\n`);
        if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'Internal Server Error' } });
        else res.end();
      }
    })();
  });
}
