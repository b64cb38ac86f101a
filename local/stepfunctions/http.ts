// The AWS JSON 1.0 wire protocol, as @aws-sdk/client-sfn speaks it: POST / with
// X-Amz-Target: AWSStepFunctions.<Operation>; errors are HTTP 400 {"__type": code, "message"}.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../net';
import { randomUUID } from 'node:crypto';
import { SfnApiError } from './errors';
import { isObject } from './json';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AWSStepFunctions.';

export type OperationHandler = (operation: string, body: Record<string, unknown>) => Promise<unknown>;

/** Serves the operations on loopback (local/net.ts): its URL, and a stop that also ends keep-alives. */
export async function listen(handler: OperationHandler, port: number, log: (msg: string) => void): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void serve(req, res, handler, log);
  });
  // Keep-alive sockets from SDK clients would otherwise hold close() open.
  server.keepAliveTimeout = 1000;
  return listenOnLoopback(server, port);
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: OperationHandler, log: (msg: string) => void): Promise<void> {
  const send = (status: number, payload: unknown, errorType?: string) => {
    const body = JSON.stringify(payload ?? {});
    res.writeHead(status, {
      'Content-Type': CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(body),
      'x-amzn-RequestId': randomUUID(),
      ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
    });
    res.end(body);
  };
  const fail = (code: string, message: string, status = 400) => send(status, { __type: code, message }, code);
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST') return fail('UnknownOperationException', `Unsupported method ${req.method ?? ''}`);
    const target = req.headers['x-amz-target'];
    const operation = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    if (!operation) return fail('UnknownOperationException', `Missing or unknown X-Amz-Target: ${String(target)}`);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return fail('SerializationException', 'Request body is not valid JSON');
      }
    }
    if (!isObject(body)) return fail('SerializationException', 'Request body must be a JSON object');
    send(200, await handler(operation, body));
  } catch (err) {
    if (err instanceof SfnApiError) return fail(err.code, err.message);
    log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    fail('InternalFailure', err instanceof Error ? err.message : String(err), 500);
  }
}
