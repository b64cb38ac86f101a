// The S3 REST protocol, path-style (/<bucket>/<key>), for the few operations the platform uses:
// PutObject and GetObject through presigned URLs (the browser), HeadObject and DeleteObject from the
// SDK, CreateBucket/HeadBucket for the runtime, and multipart uploads (@aws-sdk/lib-storage's Upload;
// Create, UploadPart, Complete, Abort, ListParts). Bodies may be aws-chunked with a trailing checksum
// (chunked.ts), as the SDK sends stream bodies by default. Errors are S3's XML documents with S3's statuses, which
// the SDK turns into the same exceptions it throws in AWS.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Transform } from 'node:stream';
import { AwsChunkedDecoder } from './chunked';
import { badRequest, errorXml, escapeXml, notImplemented, S3Error } from './errors';
import { UNSIGNED_PAYLOAD, uriEncode, verifySigV4, type Credentials, type Verified } from './sigv4';
import { CHECKSUM_ALGORITHMS, checkBucketName, type ChecksumAlgorithm, type Digests, type LocalObjectStore, type StoredObject } from './store';

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
    const unsupported = url.query.map(([name]) => name).filter((n) => !/^(x-amz-|x-id$|response-|uploads$|uploadId$|partNumber$|max-parts$|part-number-marker$)/i.test(n));
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

    const has = (name: string): boolean => url.query.some(([n]) => n === name);
    if (has('uploads') || has('uploadId') || has('partNumber')) {
      return await multipart(req, res, requestId, method, url, url.bucket, url.key, verified, opts);
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

/** A request body as the store takes it: the stream, its decoder if aws-chunked, and the checks of its digests. */
interface RequestBody {
  contentLength: number;
  decode?: Transform;
  /** Throws BadDigest & co. if the digests contradict Content-MD5, the signed payload hash or a checksum. */
  accept(d: Digests): void;
  /** The x-amz-checksum-* values the request carried (header, query or trailer), checked by accept. */
  claimedChecksums(): Partial<Record<ChecksumAlgorithm, string>>;
}

const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

function requestBody(req: IncomingMessage, url: ParsedUrl, verified: Verified, maxBytes: number): RequestBody {
  const chunked = verified.payloadHash.startsWith('STREAMING-') || /aws-chunked/i.test(single(req.headers['content-encoding']) ?? '');
  if (chunked && verified.payloadHash !== STREAMING_UNSIGNED_TRAILER) {
    throw notImplemented(`The local S3 implements aws-chunked bodies only with x-amz-content-sha256: ${STREAMING_UNSIGNED_TRAILER} (not ${verified.payloadHash})`);
  }
  // For aws-chunked bodies Content-Length counts the encoding; the object's size is the decoded length.
  const lengthName = chunked ? 'x-amz-decoded-content-length' : 'content-length';
  const lengthHeader = single(req.headers[lengthName]);
  if (lengthHeader === undefined) throw new S3Error(411, 'MissingContentLength', `You must provide the ${lengthName} HTTP header.`);
  if (!/^\d+$/.test(lengthHeader)) throw badRequest('InvalidArgument', `${lengthName} must be a number of bytes`);
  const contentLength = Number(lengthHeader);
  if (contentLength > maxBytes) {
    throw badRequest('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of the local S3 (${maxBytes} bytes)`);
  }
  const otherChecksums = [...Object.keys(req.headers), ...url.query.map(([n]) => n.toLowerCase())].filter(
    (n) => n.startsWith('x-amz-checksum-') && !['x-amz-checksum-crc32', 'x-amz-checksum-sha1', 'x-amz-checksum-sha256', 'x-amz-checksum-type', 'x-amz-checksum-algorithm'].includes(n),
  );
  if (otherChecksums.length > 0) throw notImplemented(`The local S3 does not implement ${otherChecksums.join(', ')}`);
  const declaredTrailers = (single(req.headers['x-amz-trailer']) ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  const badTrailer = declaredTrailers.find((t) => !['x-amz-checksum-crc32', 'x-amz-checksum-sha1', 'x-amz-checksum-sha256'].includes(t));
  if (badTrailer !== undefined) throw notImplemented(`The local S3 does not implement the trailer ${badTrailer}`);
  const decoder = chunked ? new AwsChunkedDecoder() : undefined;

  const checksum = (name: string): string | undefined =>
    single(req.headers[name]) ?? url.query.find(([n]) => n.toLowerCase() === name)?.[1] ?? decoder?.trailers[name];
  const contentMd5 = single(req.headers['content-md5']);
  const claimedChecksums = (): Partial<Record<ChecksumAlgorithm, string>> =>
    Object.fromEntries(CHECKSUM_ALGORITHMS.map((alg) => [alg, checksum(`x-amz-checksum-${alg.toLowerCase()}`)]).filter(([, v]) => v !== undefined));
  return {
    contentLength,
    decode: decoder,
    claimedChecksums,
    accept(d: Digests) {
      if (contentMd5 !== undefined && contentMd5 !== d.md5.toString('base64')) {
        throw badRequest('BadDigest', 'The Content-MD5 you specified did not match what we received.');
      }
      if (!chunked && verified.payloadHash !== UNSIGNED_PAYLOAD && verified.payloadHash !== d.sha256.toString('hex')) {
        throw badRequest('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
      }
      for (const name of declaredTrailers) {
        if (decoder?.trailers[name] === undefined) throw badRequest('MalformedTrailerError', `The trailer ${name} was declared in x-amz-trailer but not sent.`);
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
  };
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
  const body = requestBody(req, url, verified, opts.maxObjectBytes);
  await opts.store.requireBucket(bucket);
  const meta = await opts.store.put(bucket, key, req, {
    contentLength: body.contentLength,
    decode: body.decode,
    contentType: single(req.headers['content-type']) ?? 'binary/octet-stream',
    accept: body.accept,
  });
  send(res, requestId, 200, { ETag: meta.etag });
}

// ---- multipart uploads ---------------------------------------------------------------------------

const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** S3's lower bound for every part but the last, checked at Complete. */
const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;
/** A CompleteMultipartUpload document of 10,000 parts with all checksums stays well under this. */
const MAX_COMPLETE_XML_BYTES = 4 * 1024 * 1024;

const xmlElements = (fields: Record<string, string | number | undefined>): string =>
  Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');

function sendXml(res: ServerResponse, requestId: string, root: string, inner: string, headers: Record<string, string> = {}): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_XMLNS}">${inner}</${root}>`;
  res
    .writeHead(200, {
      ...CORS_HEADERS,
      'Content-Type': 'application/xml',
      'Content-Length': String(Buffer.byteLength(body)),
      'x-amz-request-id': requestId,
      ...headers,
    })
    .end(body);
}

const unescapeXml = (s: string): string =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|quot|amp|lt|gt|apos);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ({ quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" } as Record<string, string>)[e];
  });

/** The part list of a CompleteMultipartUpload document (S3's own schema: flat, no attributes on parts). */
function parseCompleteXml(xml: string): { partNumber: number; etag: string; checksums: Partial<Record<ChecksumAlgorithm, string>> }[] {
  const malformed = () => badRequest('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  if (!/<CompleteMultipartUpload[\s>]/.test(xml) || !/<\/CompleteMultipartUpload>\s*$/.test(xml)) throw malformed();
  const parts = [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, inner]) => {
    const fields = Object.fromEntries([...inner.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map(([, name, value]) => [name, unescapeXml(value.trim())]));
    const partNumber = Number(fields.PartNumber);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER || !fields.ETag) throw malformed();
    const checksums = Object.fromEntries(
      CHECKSUM_ALGORITHMS.map((alg) => [alg, fields[`Checksum${alg}`]]).filter(([, v]) => v !== undefined),
    ) as Partial<Record<ChecksumAlgorithm, string>>;
    return { partNumber, etag: fields.ETag, checksums };
  });
  if (parts.length === 0) throw malformed();
  return parts;
}

async function readSmallBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw badRequest('MaxMessageLengthExceeded', 'Your request was too big.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function multipart(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  method: string,
  url: ParsedUrl,
  bucket: string,
  key: string,
  verified: Verified,
  opts: S3ServerOptions,
): Promise<void> {
  const param = (name: string): string | undefined => url.query.find(([n]) => n === name)?.[1];
  const uploadId = param('uploadId');
  const partNumberText = param('partNumber');
  await opts.store.requireBucket(bucket);

  // CreateMultipartUpload: POST ?uploads
  if (method === 'POST' && param('uploads') !== undefined && uploadId === undefined) {
    await drain(req);
    const algorithm = single(req.headers['x-amz-checksum-algorithm'])?.toUpperCase();
    if (algorithm !== undefined && !CHECKSUM_ALGORITHMS.includes(algorithm as ChecksumAlgorithm)) {
      throw notImplemented(`The local S3 implements x-amz-checksum-algorithm ${CHECKSUM_ALGORITHMS.join(', ')} only`);
    }
    const type = single(req.headers['x-amz-checksum-type'])?.toUpperCase();
    if (type !== undefined && type !== 'COMPOSITE') throw notImplemented('The local S3 implements x-amz-checksum-type COMPOSITE only');
    const id = await opts.store.createMultipartUpload(bucket, key, {
      contentType: single(req.headers['content-type']) ?? 'binary/octet-stream',
      checksumAlgorithm: algorithm as ChecksumAlgorithm | undefined,
    });
    return sendXml(
      res,
      requestId,
      'InitiateMultipartUploadResult',
      xmlElements({ Bucket: bucket, Key: key, UploadId: id }),
      algorithm ? { 'x-amz-checksum-algorithm': algorithm, 'x-amz-checksum-type': 'COMPOSITE' } : {},
    );
  }
  if (uploadId === undefined) throw badRequest('InvalidRequest', 'A multipart request needs the uploadId query parameter.');

  // UploadPart: PUT ?partNumber=N&uploadId=...
  if (method === 'PUT') {
    if (partNumberText === undefined) throw badRequest('InvalidRequest', 'UploadPart needs the partNumber query parameter.');
    const partNumber = /^\d{1,5}$/.test(partNumberText) ? Number(partNumberText) : Number.NaN;
    if (!(partNumber >= 1 && partNumber <= MAX_PART_NUMBER)) {
      throw badRequest('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`);
    }
    if (req.headers['x-amz-copy-source'] !== undefined) throw notImplemented('UploadPartCopy is not implemented by the local S3');
    const body = requestBody(req, url, verified, opts.maxObjectBytes);
    const { part, upload } = await opts.store.putPart(bucket, key, uploadId, partNumber, req, body);
    // The part's checksums the request carried, and the upload's algorithm's (which lib-storage passes on to Complete).
    const algorithms = new Set([...Object.keys(body.claimedChecksums()), ...(upload.checksumAlgorithm ? [upload.checksumAlgorithm] : [])] as ChecksumAlgorithm[]);
    const checksumHeaders = Object.fromEntries([...algorithms].map((alg) => [`x-amz-checksum-${alg.toLowerCase()}`, part.checksums[alg]]));
    return send(res, requestId, 200, { ETag: part.etag, ...checksumHeaders });
  }
  if (partNumberText !== undefined) throw badRequest('InvalidRequest', 'partNumber is only valid with UploadPart (PUT).');

  // CompleteMultipartUpload: POST ?uploadId=...
  if (method === 'POST') {
    const xml = await readSmallBody(req, MAX_COMPLETE_XML_BYTES);
    const contentMd5 = single(req.headers['content-md5']);
    if (contentMd5 !== undefined && contentMd5 !== createHash('md5').update(xml).digest('base64')) {
      throw badRequest('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    if (/^[0-9a-f]{64}$/.test(verified.payloadHash) && verified.payloadHash !== createHash('sha256').update(xml).digest('hex')) {
      throw badRequest('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    if (verified.payloadHash.startsWith('STREAMING-')) throw notImplemented('An aws-chunked CompleteMultipartUpload body is not implemented by the local S3');
    await opts.store.getUpload(bucket, key, uploadId); // NoSuchUpload before MalformedXML, as S3 answers
    const parts = parseCompleteXml(xml.toString('utf8'));
    const { meta, upload, checksum } = await opts.store.completeMultipartUpload(bucket, key, uploadId, parts, {
      maxObjectBytes: opts.maxObjectBytes,
      minPartBytes: MIN_PART_BYTES,
    });
    const host = single(req.headers.host) ?? '127.0.0.1';
    const location = `http://${host}/${uriEncode(bucket)}/${key.split('/').map(uriEncode).join('/')}`;
    return sendXml(
      res,
      requestId,
      'CompleteMultipartUploadResult',
      xmlElements({
        Location: location,
        Bucket: bucket,
        Key: key,
        ETag: meta.etag,
        ...(checksum && upload.checksumAlgorithm ? { [`Checksum${upload.checksumAlgorithm}`]: checksum, ChecksumType: 'COMPOSITE' } : {}),
      }),
    );
  }

  // AbortMultipartUpload: DELETE ?uploadId=...
  if (method === 'DELETE') {
    await drain(req);
    await opts.store.abortMultipartUpload(bucket, key, uploadId);
    return send(res, requestId, 204, {});
  }

  // ListParts: GET ?uploadId=...[&max-parts=N][&part-number-marker=N]
  if (method === 'GET') {
    const maxParts = Math.min(Number(param('max-parts') ?? 1000), 1000);
    const marker = Number(param('part-number-marker') ?? 0);
    if (!Number.isInteger(maxParts) || maxParts < 0 || !Number.isInteger(marker) || marker < 0) {
      throw badRequest('InvalidArgument', 'max-parts and part-number-marker must be non-negative integers');
    }
    const { upload, parts } = await opts.store.listParts(bucket, key, uploadId);
    const after = parts.filter((p) => p.partNumber > marker);
    const page = after.slice(0, maxParts);
    const partsXml = page
      .map(
        (p) =>
          `<Part>${xmlElements({
            PartNumber: p.partNumber,
            LastModified: p.lastModified,
            ETag: p.etag,
            Size: p.size,
            ...(upload.checksumAlgorithm ? { [`Checksum${upload.checksumAlgorithm}`]: p.checksums[upload.checksumAlgorithm] } : {}),
          })}</Part>`,
      )
      .join('');
    return sendXml(
      res,
      requestId,
      'ListPartsResult',
      xmlElements({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumberMarker: marker,
        NextPartNumberMarker: page.length > 0 ? page[page.length - 1].partNumber : marker,
        MaxParts: maxParts,
        IsTruncated: String(after.length > page.length),
        ChecksumAlgorithm: upload.checksumAlgorithm,
      }) + partsXml,
    );
  }
  throw new S3Error(405, 'MethodNotAllowed', `The specified method is not allowed against this resource: ${method}`);
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

