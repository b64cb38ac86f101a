/**
 * AWS errors that mean "not now" rather than "never": throttling and transient faults of DynamoDB, Step
 * Functions, S3, KMS (and any AWS service), thrown once the SDK's own retries have given up. The HTTP error
 * handler answers them 503 service_unavailable with Retry-After (the client may simply try again, with
 * its Idempotency-Key where the route takes one); every other unknown error stays a 500.
 *
 * Nothing is half-written by such an error: each write of a request is one transaction, and a throttled
 * or failed transaction writes nothing.
 */
import { ServiceUnavailableError } from './errors';

/** What Retry-After says: long enough for DynamoDB's adaptive capacity or a throttling window to pass. */
export const RETRY_AFTER_SECONDS = 2;

/** Error names (the SDK's `name`, AWS's error code) of throttling, across the services the platform uses. */
const THROTTLING = new Set([
  // DynamoDB
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
  'TransactionConflictException', // a single-item write that met an item inside a running transaction
  // Step Functions, KMS, Lambda, SNS and the generic AWS codes
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'KMSThrottlingException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  'LimitExceededException', // KMS request quotas (the SDK's own retry classes it as throttling too)
  'EC2ThrottledException',
  // S3
  'SlowDown',
]);

/** Error names of transient service faults: the same request may well succeed a moment later. */
const TRANSIENT = new Set([
  'InternalServerError', // DynamoDB
  'InternalFailure',
  'InternalError', // S3
  'InternalErrorException', // SNS
  'KMSInternalException',
  'DependencyTimeoutException', // KMS
  'ServiceUnavailable', // S3, Step Functions
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError', // the SDK's own request timeout
]);

/** Cancellation reasons of a transaction that say "try again": throttled items, a conflicting transaction. */
const TRANSIENT_CANCELLATION = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict', 'RequestLimitExceeded']);

/** Connection-level failures the SDK reports after its retries (the service did not answer at all). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH']);

interface AwsErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  CancellationReasons?: Array<{ Code?: unknown }>;
}

/** True for throttling and transient faults of AWS services; false for everything else (bugs, bad input). */
export function isTransientAwsError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & AwsErrorShape;
  // Only errors that came from an AWS SDK call: they carry $metadata (service and network errors alike).
  if (!e.$metadata || typeof e.$metadata !== 'object') return false;
  if (THROTTLING.has(e.name) || TRANSIENT.has(e.name)) return true;
  if (e.name === 'TransactionCanceledException') {
    const codes = (e.CancellationReasons ?? []).map((r) => String(r.Code ?? 'None')).filter((c) => c !== 'None');
    return codes.length > 0 && codes.every((c) => TRANSIENT_CANCELLATION.has(c));
  }
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata.httpStatusCode;
  return e.$fault === 'server' && (status === 500 || status === 502 || status === 503 || status === 504);
}

/**
 * middy's own deadline: the function was about to time out (SDK retries under throttling took its time),
 * so middy ended the request just before Lambda would. Nothing is half-written (one transaction per
 * request), and the same request may well succeed a moment later.
 */
export function isFunctionDeadline(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError' && (err.cause as { package?: unknown } | undefined)?.package === '@middy/core';
}

/** The 503 to answer for a transient AWS error or the function's deadline (no internals: neither the service's message nor a stack). */
export function serviceUnavailableFor(err: unknown): ServiceUnavailableError | undefined {
  if (!isTransientAwsError(err) && !isFunctionDeadline(err)) return undefined;
  return new ServiceUnavailableError('The service is busy at the moment. Please try again shortly.', undefined, { 'retry-after': String(RETRY_AFTER_SECONDS) });
}
