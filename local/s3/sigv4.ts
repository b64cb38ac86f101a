/**
 * AWS Signature Version 4 verification, as S3 does it, for both forms the SDK produces: presigned URLs
 * (query parameters, what the browser uses) and the Authorization header (what handlers' SDK calls use).
 * Both are verified completely: a wrong key, a tampered URL or an edited signed header is a 403, exactly
 * where real S3 would refuse it, so one-machine mode cannot hide a signing bug that AWS would reveal.
 *
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest, forbidden } from './errors';

const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
/** How far the Authorization header's date may be from now (S3: 15 minutes). */
const MAX_SKEW_MS = 15 * 60 * 1000;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  /** The path as it came on the wire (still percent-encoded). */
  rawPath: string;
  /** Decoded query parameters, in wire order (a name may repeat). */
  query: [string, string][];
  headers: IncomingHttpHeaders;
}

export interface VerifyOptions {
  credentials: Credentials;
  region: string;
  service: string;
  now: number;
}

export interface Verified {
  auth: 'query' | 'header';
  /** UNSIGNED-PAYLOAD, a STREAMING-* marker, or the hex SHA-256 the body must have. */
  payloadHash: string;
  signedHeaders: string[];
}

/** AWS's UriEncode: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded (encodeURIComponent leaves !'()* alone). */
export const uriEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** Decodes each path segment and encodes it again the canonical way, so any valid client encoding verifies. */
function canonicalUri(rawPath: string): string {
  try {
    return rawPath
      .split('/')
      .map((segment) => uriEncode(decodeURIComponent(segment)))
      .join('/');
  } catch {
    throw badRequest('InvalidURI', 'Could not parse the specified URI.');
  }
}

function canonicalQuery(query: [string, string][], omit?: string): string {
  return query
    .filter(([name]) => name !== omit)
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text.trim().replace(/\s+/g, ' ');
}

/** `20261128T132521Z` → epoch ms, or NaN. */
function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : Number.NaN;
}

interface Claimed {
  accessKeyId: string;
  scopeDate: string;
  scopeRegion: string;
  scopeService: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  payloadHash: string;
}

function checkScope(claimed: Claimed, opts: VerifyOptions, malformed: string): void {
  if (claimed.accessKeyId !== opts.credentials.accessKeyId) {
    throw forbidden('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  if (!/^\d{8}T\d{6}Z$/.test(claimed.amzDate) || claimed.scopeDate !== claimed.amzDate.slice(0, 8)) {
    throw badRequest(malformed, `Invalid credential date "${claimed.scopeDate}" for X-Amz-Date ${claimed.amzDate}.`);
  }
  if (claimed.scopeRegion !== opts.region) {
    throw badRequest(malformed, `The authorization region '${claimed.scopeRegion}' is wrong; expecting '${opts.region}'.`);
  }
  if (claimed.scopeService !== opts.service) {
    throw badRequest(malformed, `The authorization service '${claimed.scopeService}' is wrong; expecting '${opts.service}'.`);
  }
  if (!claimed.signedHeaders.includes('host')) throw badRequest(malformed, 'The host header must be signed.');
  if (claimed.signedHeaders.some((h, i, all) => h !== h.toLowerCase() || (i > 0 && all[i - 1] >= h))) {
    throw badRequest(malformed, 'SignedHeaders must be lower-case, sorted and unique.');
  }
}

function checkSignature(req: SignedRequest, claimed: Claimed, opts: VerifyOptions, canonicalQueryString: string): void {
  // x-amz-* headers change what S3 does (checksums, encryption, ACLs): sent, they must be signed.
  const unsigned = Object.keys(req.headers).filter((h) => h.startsWith('x-amz-') && !claimed.signedHeaders.includes(h));
  if (unsigned.length > 0) {
    throw forbidden('AccessDenied', `There were headers present in the request which were not signed: ${unsigned.join(', ')}`);
  }
  const canonicalRequest = [
    req.method,
    canonicalUri(req.rawPath),
    canonicalQueryString,
    claimed.signedHeaders.map((h) => `${h}:${headerValue(req.headers, h)}\n`).join(''),
    claimed.signedHeaders.join(';'),
    claimed.payloadHash,
  ].join('\n');
  const scope = `${claimed.scopeDate}/${claimed.scopeRegion}/${claimed.scopeService}/aws4_request`;
  const stringToSign = [ALGORITHM, claimed.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${opts.credentials.secretAccessKey}`, claimed.scopeDate);
  for (const part of [claimed.scopeRegion, claimed.scopeService, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex'));
  const given = Buffer.from(claimed.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw forbidden(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { StringToSign: stringToSign, CanonicalRequest: canonicalRequest },
    );
  }
}

function verifyQuery(req: SignedRequest, opts: VerifyOptions): Verified {
  const param = (name: string): string | undefined => req.query.find(([n]) => n === name)?.[1];
  const malformed = 'AuthorizationQueryParametersError';
  const required = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];
  const missing = required.filter((name) => param(name) === undefined);
  if (missing.length > 0) throw badRequest(malformed, `Query-string authentication requires ${missing.join(', ')}.`);
  if (param('X-Amz-Algorithm') !== ALGORITHM) throw badRequest(malformed, `X-Amz-Algorithm only supports "${ALGORITHM}".`);
  const [accessKeyId = '', scopeDate = '', scopeRegion = '', scopeService = '', terminator = '', ...rest] = param('X-Amz-Credential')!.split('/');
  if (terminator !== 'aws4_request' || rest.length > 0) throw badRequest(malformed, 'X-Amz-Credential is malformed.');
  const claimed: Claimed = {
    accessKeyId,
    scopeDate,
    scopeRegion,
    scopeService,
    amzDate: param('X-Amz-Date')!,
    signedHeaders: param('X-Amz-SignedHeaders')!.split(';'),
    signature: param('X-Amz-Signature')!,
    // The presigner puts UNSIGNED-PAYLOAD here; absent means the same for presigned S3 requests.
    payloadHash: param('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD,
  };
  checkScope(claimed, opts, malformed);
  const expiresText = param('X-Amz-Expires')!;
  const expires = /^\d+$/.test(expiresText) ? Number(expiresText) : Number.NaN;
  if (!(expires >= 1 && expires <= MAX_PRESIGN_SECONDS)) {
    throw badRequest(malformed, `X-Amz-Expires must be between 1 and ${MAX_PRESIGN_SECONDS} seconds.`);
  }
  checkSignature(req, claimed, opts, canonicalQuery(req.query, 'X-Amz-Signature'));
  // Time is checked on a verified URL, so X-Amz-Date and X-Amz-Expires cannot have been edited.
  const signedAt = parseAmzDate(claimed.amzDate);
  if (opts.now > signedAt + expires * 1000) {
    throw forbidden('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': expiresText,
      Expires: new Date(signedAt + expires * 1000).toISOString(),
      ServerTime: new Date(opts.now).toISOString(),
    });
  }
  if (signedAt > opts.now + MAX_SKEW_MS) throw forbidden('AccessDenied', 'Request is not valid yet');
  return { auth: 'query', payloadHash: claimed.payloadHash, signedHeaders: claimed.signedHeaders };
}

function verifyHeader(req: SignedRequest, authorization: string, opts: VerifyOptions): Verified {
  const malformed = 'AuthorizationHeaderMalformed';
  const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/.exec(authorization);
  if (!m) throw badRequest(malformed, 'The authorization header is malformed; only AWS4-HMAC-SHA256 is supported.');
  const [accessKeyId = '', scopeDate = '', scopeRegion = '', scopeService = '', terminator = '', ...rest] = m[1].split('/');
  if (terminator !== 'aws4_request' || rest.length > 0) throw badRequest(malformed, 'The Credential is malformed.');
  const payloadHash = headerValue(req.headers, 'x-amz-content-sha256');
  if (!payloadHash) throw badRequest('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  if (payloadHash !== UNSIGNED_PAYLOAD && !payloadHash.startsWith('STREAMING-') && !/^[0-9a-f]{64}$/.test(payloadHash)) {
    throw badRequest('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a SHA-256 hex digest.');
  }
  const claimed: Claimed = {
    accessKeyId,
    scopeDate,
    scopeRegion,
    scopeService,
    amzDate: headerValue(req.headers, 'x-amz-date'),
    signedHeaders: m[2].split(';'),
    signature: m[3],
    payloadHash,
  };
  checkScope(claimed, opts, malformed);
  checkSignature(req, claimed, opts, canonicalQuery(req.query));
  const signedAt = parseAmzDate(claimed.amzDate);
  if (Math.abs(opts.now - signedAt) > MAX_SKEW_MS) {
    throw forbidden('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: claimed.amzDate,
      ServerTime: new Date(opts.now).toISOString(),
    });
  }
  return { auth: 'header', payloadHash, signedHeaders: claimed.signedHeaders };
}

/** Verifies the request's SigV4 signature (either form); throws the S3Error S3 would answer. */
export function verifySigV4(req: SignedRequest, opts: VerifyOptions): Verified {
  const authorization = headerValue(req.headers, 'authorization');
  const presigned = req.query.some(([name]) => name === 'X-Amz-Signature' || name === 'X-Amz-Algorithm' || name === 'X-Amz-Credential');
  if (authorization && presigned) throw badRequest('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.');
  if (presigned) return verifyQuery(req, opts);
  if (authorization) return verifyHeader(req, authorization, opts);
  // No anonymous access: the bucket blocks public access in AWS too.
  throw forbidden('AccessDenied', 'Access Denied');
}
