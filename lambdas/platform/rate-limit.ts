/**
 * Abuse limits counted in the `limits` table (lib/spec/rate-limits.ts): fixed windows, one item per
 * subject and window, expired by TTL. A conditional ADD counts and refuses in one request, so
 * concurrent Lambda containers (or local requests) can never let more through than the limit.
 *
 * Only handlers that import this module need LIMITS_TABLE: the configuration is read when it loads.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { clientLimits, failureCaps, type ClientLimitName, type FailureCap } from '../../lib/spec/rate-limits';
import { clock } from './clock';
import { tableNameFor } from './config';
import { cancellationCodes, documents } from './dynamodb';
import { TooManyRequestsError } from './errors';

const TABLE = tableNameFor('limits');
/** Counters outlive their window by this much, then TTL removes them. */
const TTL_MARGIN_SECONDS = 3600;

function perWindow(name: ClientLimitName): number {
  const spec = clientLimits[name];
  const override = process.env[spec.envVar];
  if (override === undefined || override === '') return spec.perWindow;
  const n = Number(override);
  if (!Number.isInteger(n) || n < 1) throw new Error(`Configuration: ${spec.envVar} must be a positive integer, got ${override}`);
  return n;
}
// Read once at start-up, failing fast on a bad value.
const limits = Object.fromEntries(Object.keys(clientLimits).map((n) => [n, perWindow(n as ClientLimitName)])) as Record<ClientLimitName, number>;

interface Window {
  start: number;
  end: number;
}
function windowOf(nowMs: number, seconds: number): Window {
  const size = seconds * 1000;
  const start = Math.floor(nowMs / size) * size;
  return { start, end: start + size };
}
const secondsUntil = (end: number, nowMs: number) => (end - nowMs) / 1000;
const expiry = (w: Window) => Math.ceil(w.end / 1000) + TTL_MARGIN_SECONDS;

/**
 * The address a client connects from. Behind the platform's CloudFront distribution the API sees the
 * edge's address, so CloudFront's own CloudFront-Viewer-Address is used, when the request proves it came
 * through the distribution (fromOurDistribution). IPv6
 * clients are counted per /64, the block one subscriber usually holds.
 */
export function clientAddress(event: APIGatewayProxyEventV2): string {
  const viewer = fromOurDistribution(event) ? event.headers?.['cloudfront-viewer-address'] : undefined;
  let address = event.requestContext?.http?.sourceIp ?? 'unknown';
  if (viewer) address = viewer.slice(0, Math.max(viewer.lastIndexOf(':'), 0)) || address;
  if (address.includes(':')) {
    const groups = address.replace(/^\[|\]$/g, '').split(':');
    address = groups.slice(0, 4).join(':') + '::/64';
  }
  return address;
}

/**
 * Anyone can send a CloudFront-Viewer-Address header straight to the API's own URL; only requests that
 * carry the distribution's secret origin header (ORIGIN_VERIFY_SECRET, set in AWS only) are believed.
 */
const ORIGIN_VERIFY_SECRET = process.env.ORIGIN_VERIFY_SECRET;
function fromOurDistribution(event: APIGatewayProxyEventV2): boolean {
  const sent = event.headers?.['x-origin-verify'];
  if (!ORIGIN_VERIFY_SECRET || !sent) return false;
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(ORIGIN_VERIFY_SECRET).digest();
  return timingSafeEqual(a, b);
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** Counts one request of this client; throws 429 with Retry-After once the window's limit is reached. */
export async function countClientRequest(name: ClientLimitName, address: string): Promise<void> {
  const spec = clientLimits[name];
  const now = clock.now().getTime();
  const w = windowOf(now, spec.windowSeconds);
  try {
    await documents.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: `CLIENT#${name}#${digest(address)}#${w.start}` },
        UpdateExpression: 'ADD #hits :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
        ConditionExpression: 'attribute_not_exists(#hits) OR #hits < :limit',
        ExpressionAttributeNames: { '#hits': 'hits', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':one': 1, ':limit': limits[name], ':expiresAt': expiry(w) },
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      throw new TooManyRequestsError('Too many requests from your network: please wait and try again', secondsUntil(w.end, now));
    }
    throw err;
  }
}

/** A route's guard (Contract.guard in lambdas/platform/http.ts): counts the request against the client's limit. */
export const clientLimit =
  (name: ClientLimitName) =>
  (event: APIGatewayProxyEventV2): Promise<void> =>
    countClientRequest(name, clientAddress(event));

const failureKey = (cap: FailureCap, subject: string, windowSeconds: number, w: Window) => ({ pk: `${cap.keyPrefix}#${subject}#${windowSeconds}#${w.start}` });

/**
 * Guards one attempt at a secret of a subject (an access code of a receipt number, a password of an
 * account): an attempt is reserved in every window of the cap first (one transaction conditioned on each
 * window's count, so concurrent guessers cannot slip past it), and handed back when the secret was right.
 * A full window answers 429 whatever the secret: a right guess must not get through a locked subject either.
 */
export async function withGuardedAttempt<T>(capName: keyof typeof failureCaps, subject: string, check: () => Promise<{ ok: boolean; value: T }>): Promise<T> {
  const cap: FailureCap = failureCaps[capName];
  const now = clock.now().getTime();
  const windows = cap.windows.map((c) => ({ ...c, w: windowOf(now, c.windowSeconds) }));
  const update = (c: (typeof windows)[number], delta: number, guarded: boolean) => ({
    TableName: TABLE,
    Key: failureKey(cap, subject, c.windowSeconds, c.w),
    UpdateExpression: 'ADD #hits :delta SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
    ...(guarded ? { ConditionExpression: 'attribute_not_exists(#hits) OR #hits < :cap' } : {}),
    ExpressionAttributeNames: { '#hits': 'hits', '#expiresAt': 'expiresAt' },
    ExpressionAttributeValues: { ':delta': delta, ':expiresAt': expiry(c.w), ...(guarded ? { ':cap': c.failures } : {}) },
  });
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: windows.map((c) => ({ Update: update(c, 1, true) })) }));
  } catch (err) {
    const codes = cancellationCodes(err);
    if (codes) {
      const full = windows.filter((_, i) => codes[i] === 'ConditionalCheckFailed');
      const until = Math.max(...full.map((c) => c.w.end), now + 1000);
      if (full.length) throw new TooManyRequestsError(cap.refusal, secondsUntil(until, now));
    }
    throw err;
  }
  const result = await check();
  // A right secret does not count against its owner; a failed hand-back only makes the cap stricter.
  if (result.ok) await documents.send(new TransactWriteCommand({ TransactItems: windows.map((c) => ({ Update: update(c, -1, false) })) }));
  return result.value;
}

/** One access-code check of a receipt number, under the receipt's cap of wrong codes. */
export const withAccessCodeAttempt = <T>(receiptNo: string, check: () => Promise<{ ok: boolean; value: T }>): Promise<T> => withGuardedAttempt('accessCode', receiptNo, check);
