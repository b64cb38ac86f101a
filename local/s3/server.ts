// The S3 REST protocol, path-style (/<bucket>/<key>), for the few operations the platform uses:
// PutObject and GetObject through presigned URLs (the browser), HeadObject and DeleteObject from the
// SDK, CreateBucket/HeadBucket for the runtime. Errors are S3's XML documents with S3's statuses, which
// the SDK turns into the same exceptions it throws in AWS.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { badRequest, errorXml, notImplemented, S3Error } from './errors';
import { UNSIGNED_PAYLOAD, verifySigV4, type Credentials, type Verified } from './sigv4';
import { checkBucketName, type Digests, type LocalObjectStore, type StoredObject } from './store';

export interface S3ServerOptions {
  store: LocalObjectStore;
  credentials: Credentials;
  region: string;
  now: () => number;
  maxObjectBytes: number;
  log: (msg: string) => void;
}

/** The browser front end uploads and downloads directly, from any origin (as the bucket's CORS rule without webOrigin). */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, x-amz-request-id',
};
const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'GET, PUT, HEAD',
  'Access-Control-Allow-Headers': 'content-type',
  'Access-Control-Max-Age': '3000',
};

/** GetObject's response-* overrides, as S3 honours them on signed requests. */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-disposition': 'Content-Disposition',
  'response-content-language': 'Content-Language',
  'response-content-encoding': 'Content-Encoding',
  'response-cache-control': 'Cache-Control',
  'response-expires': 'Expires',
};

interface ParsedUrl {
  rawPath: string;
  query: [string, string][];
  bucket?: string;
  key?: string;
}

function parseUrl(url: string): ParsedUrl {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  try {
    // decodeURIComponent, not URLSearchParams: in S3 a "+" is a plus, not a space.
    const query = rawQuery
      .split('&')
      .filter((p) => p !== '')
      .map((p): [string, string] => {
        const eq = p.indexOf('=');
        return eq < 0 ? [decodeURIComponent(p), ''] : [decodeURIComponent(p.slice(0, eq)), decodeURIComponent(p.slice(eq + 1))];
      });
    if (!rawPath.startsWith('/')) throw new Error('relative path');
    const slash = rawPath.indexOf('/', 1);
    const bucketPart = slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash);
    const keyPart = slash < 0 ? '' : rawPath.slice(slash + 1);
    return {
      rawPath,
      query,
      bucket: bucketPart === '' ? undefined : decodeURIComponent(bucketPart),
      key: keyPart === '' ? undefined : decodeURIComponent(keyPart),
    };
  } catch {
    throw badRequest('InvalidURI', 'Could not parse the specified URI.');
  }
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export function createS3Server(opts: S3ServerOptions): Server {
  const server = createServer((req, res) => {
    void serve(req, res, opts);
  });
  // Keep-alive sockets from SDK clients would otherwise hold close() open.
  server.keepAliveTimeout = 1000;
  return server;
}

async function serve(req: IncomingMessage, res: ServerResponse, opts: S3ServerOptions): Promise<void> {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const method = req.method ?? 'GET';
  let resource = '/';
  try {
    if (method === 'OPTIONS') {
      // Preflights carry no credentials; the browser then sends the signed request itself.
      res.writeHead(200, { ...PREFLIGHT_HEADERS, 'Content-Length': '0', 'x-amz-request-id': requestId }).end();
      req.resume();
      return;
    }
    const url = parseUrl(req.url ?? '/');
    resource = url.rawPath;
    const verified = verifySigV4(
      { method, rawPath: url.rawPath, query: url.query, headers: req.headers },
      { credentials: opts.credentials, region: opts.region, service: 's3', now: opts.now() },
    );
    const unsupported = url.query.map(([name]) => name).filter((n) => !/^(x-amz-|x-id$|response-)/i.test(n));
    if (unsupported.length > 0) throw notImplemented(`The local S3 does not implement the subresource ${unsupported.join(', ')}`);
    if (url.bucket === undefined) throw notImplemented('ListBuckets is not implemented by the local S3');
    checkBucketName(url.bucket);

    if (url.key === undefined) {
      if (method === 'PUT') {
        await drain(req); // a CreateBucketConfiguration body, if any: one region here
        await opts.store.createBucket(url.bucket);
        return send(res, requestId, 200, { Location: `/${url.bucket}` });
      }
      if (method === 'HEAD') {
        await opts.store.requireBucket(url.bucket);
        return send(res, requestId, 200, { 'x-amz-bucket-region': opts.region });
      }
      throw notImplemented(`${method} on a bucket is not implemented by the local S3`);
    }

    switch (method) {
      case 'PUT':
        return await putObject(req, res, requestId, url, url.bucket, url.key, verified, opts);
      case 'GET':
      case 'HEAD':
        return await getObject(res, requestId, method, url, url.bucket, url.key, opts);
      case 'DELETE':
        await opts.store.requireBucket(url.bucket);
        await opts.store.delete(url.bucket, url.key);
        return send(res, requestId, 204, {});
      default:
        throw new S3Error(405, 'MethodNotAllowed', `The specified method is not allowed against this resource: ${method}`);
    }
  } catch (err) {
    if (!(err instanceof S3Error)) opts.log(`local S3: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const s3err = err instanceof S3Error ? err : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
    // req.destroyed alone is no sign: a fully read request auto-destroys; only a closed socket is.
    if (res.headersSent || res.destroyed || req.socket.destroyed) {
      res.destroy();
      return;
    }
    // Read what is left of an upload before answering, so the client sees the error rather than a reset
    // connection; a body too large to be worth reading (or chunked, of unknown length) closes it instead.
    const length = Number(single(req.headers['content-length']) ?? (req.headers['transfer-encoding'] ? Number.POSITIVE_INFINITY : 0));
    const closing = !req.complete && !(length <= opts.maxObjectBytes);
    if (!req.complete && !closing) await drain(req).catch(() => undefined);
    const body = method === 'HEAD' ? '' : errorXml(s3err, resource, requestId);
    res.writeHead(s3err.status, {
      ...CORS_HEADERS,
      'Content-Type': 'application/xml',
      'Content-Length': String(Buffer.byteLength(body)),
      'x-amz-request-id': requestId,
      ...(method === 'HEAD' ? { 'x-amz-error-code': s3err.code } : {}),
      ...(closing ? { Connection: 'close' } : {}),
    });
    res.end(body);
  }
}

function send(res: ServerResponse, requestId: string, status: number, headers: Record<string, string>): void {
  res.writeHead(status, { ...CORS_HEADERS, 'Content-Length': '0', 'x-amz-request-id': requestId, ...headers }).end();
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) {
    // discard
  }
}

async function putObject(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  url: ParsedUrl,
  bucket: string,
  key: string,
  verified: Verified,
  opts: S3ServerOptions,
): Promise<void> {
  const lengthHeader = single(req.headers['content-length']);
  if (lengthHeader === undefined) throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
  if (!/^\d+$/.test(lengthHeader)) throw badRequest('InvalidArgument', 'Content-Length must be a number of bytes');
  const contentLength = Number(lengthHeader);
  if (contentLength > opts.maxObjectBytes) {
    throw badRequest('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of the local S3 (${opts.maxObjectBytes} bytes)`);
  }
  if (verified.payloadHash.startsWith('STREAMING-') || /aws-chunked/i.test(single(req.headers['content-encoding']) ?? '')) {
    throw notImplemented('aws-chunked uploads (streaming SigV4 or trailing checksums) are not implemented by the local S3');
  }
  const checksum = (name: string): string | undefined => single(req.headers[name]) ?? url.query.find(([n]) => n.toLowerCase() === name)?.[1];
  const otherChecksums = [...Object.keys(req.headers), ...url.query.map(([n]) => n.toLowerCase())].filter(
    (n) => n.startsWith('x-amz-checksum-') && !['x-amz-checksum-crc32', 'x-amz-checksum-sha1', 'x-amz-checksum-sha256', 'x-amz-checksum-type'].includes(n),
  );
  if (otherChecksums.length > 0) throw notImplemented(`The local S3 does not implement ${otherChecksums.join(', ')}`);
  await opts.store.requireBucket(bucket);

  const contentMd5 = single(req.headers['content-md5']);
  const meta = await opts.store.put(bucket, key, req, {
    contentLength,
    contentType: single(req.headers['content-type']) ?? 'binary/octet-stream',
    accept(d: Digests) {
      if (contentMd5 !== undefined && contentMd5 !== d.md5.toString('base64')) {
        throw badRequest('BadDigest', 'The Content-MD5 you specified did not match what we received.');
      }
      if (verified.payloadHash !== UNSIGNED_PAYLOAD && verified.payloadHash !== d.sha256.toString('hex')) {
        throw badRequest('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
      // Real S3 checks these too: a presigned URL carrying the checksum of an empty body fails here as it would there.
      const checks: [string, () => string][] = [
        ['x-amz-checksum-crc32', () => d.crc32.toString('base64')],
        ['x-amz-checksum-sha1', () => d.sha1.toString('base64')],
        ['x-amz-checksum-sha256', () => d.sha256.toString('base64')],
      ];
      for (const [name, actual] of checks) {
        const claimed = checksum(name);
        if (claimed !== undefined && claimed !== actual()) {
          throw badRequest('BadDigest', `The ${name.slice('x-amz-checksum-'.length).toUpperCase()} you specified did not match the calculated checksum.`);
        }
      }
    },
  });
  send(res, requestId, 200, { ETag: meta.etag });
}

async function getObject(
  res: ServerResponse,
  requestId: string,
  method: 'GET' | 'HEAD',
  url: ParsedUrl,
  bucket: string,
  key: string,
  opts: S3ServerOptions,
): Promise<void> {
  await opts.store.requireBucket(bucket);
  const found: StoredObject | undefined = await opts.store.head(bucket, key);
  if (!found) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
  const headers: Record<string, string> = {
    ...CORS_HEADERS,
    'Content-Type': found.meta.contentType,
    'Content-Length': String(found.meta.size),
    ETag: found.meta.etag,
    'Last-Modified': new Date(found.meta.lastModified).toUTCString(),
    'x-amz-request-id': requestId,
  };
  for (const [name, value] of url.query) {
    const header = RESPONSE_OVERRIDES[name];
    if (!header) continue;
    if (/[\r\n\0]/.test(value)) throw badRequest('InvalidArgument', `${name} must not contain line breaks`);
    headers[header] = value;
  }
  res.writeHead(200, headers);
  if (method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(found.file), res);
}

