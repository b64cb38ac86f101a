import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { SFNServiceException } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { httpRoute, reply } from '../../../lambdas/platform/http';
import { NotFoundError } from '../../../lambdas/platform/errors';
import { isTransientAwsError, RETRY_AFTER_SECONDS } from '../../../lambdas/platform/transient-errors';

const $metadata = { httpStatusCode: 400, requestId: 'R1', attempts: 3, totalRetryDelay: 1234 };
const throttled = () => new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata });
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata, CancellationReasons: codes.map((Code) => ({ Code })) });
const generic = (Base: typeof S3ServiceException | typeof SFNServiceException | typeof DynamoDBServiceException, name: string, $fault: 'client' | 'server', status: number) =>
  new Base({ name, $fault, message: `${name} from the service`, $metadata: { ...$metadata, httpStatusCode: status } });
const network = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code, $metadata: { attempts: 3, totalRetryDelay: 300 } });

describe('which AWS errors are transient', () => {
  it.each([
    ['DynamoDB ProvisionedThroughputExceededException', throttled()],
    ['DynamoDB ThrottlingException', new ThrottlingException({ message: 'Throughput exceeds the current capacity', $metadata })],
    ['DynamoDB InternalServerError', new InternalServerError({ message: 'Internal server error', $metadata: { ...$metadata, httpStatusCode: 500 } })],
    ['a transaction cancelled because its items were throttled', cancelled('None', 'ThrottlingError')],
    ['a transaction cancelled by a conflicting transaction', cancelled('TransactionConflict', 'None')],
    ['a write that met an item inside a running transaction', generic(DynamoDBServiceException, 'TransactionConflictException', 'client', 400)],
    ['Step Functions ThrottlingException', generic(SFNServiceException, 'ThrottlingException', 'client', 400)],
    ['S3 SlowDown', generic(S3ServiceException, 'SlowDown', 'client', 503)],
    ['S3 InternalError', generic(S3ServiceException, 'InternalError', 'server', 500)],
    ['KMS ThrottlingException', generic(DynamoDBServiceException, 'ThrottlingException', 'client', 400)],
    ['KMSInternalException', generic(DynamoDBServiceException, 'KMSInternalException', 'server', 500)],
    ['an unmodelled 503 of any service', generic(SFNServiceException, 'Unknown', 'server', 503)],
    ['a refused connection after the SDK retries', network('ECONNREFUSED')],
    ['a reset connection after the SDK retries', network('ECONNRESET')],
  ])('%s is transient', (_what, err) => {
    expect(isTransientAwsError(err)).toBe(true);
  });

  it.each([
    ['a failed condition', new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata })],
    ['a missing table', new ResourceNotFoundException({ message: 'Requested resource not found', $metadata })],
    ['a transaction cancelled by a failed condition next to a throttled item', cancelled('ConditionalCheckFailed', 'ThrottlingError')],
    ['a transaction cancelled without reasons', cancelled()],
    ['a validation error of a service', generic(SFNServiceException, 'ValidationException', 'client', 400)],
    ['an error of our own that happens to carry a throttling name', Object.assign(new Error('busy'), { name: 'ThrottlingException' })],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'unit')")],
    ['a domain error', new NotFoundError('No such task')],
    ['a thrown string', 'ProvisionedThroughputExceededException'],
  ])('%s is not transient', (_what, err) => {
    expect(isTransientAwsError(err)).toBe(false);
  });
});

describe('the HTTP answer to a transient error', () => {
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: 'POST /api/complaints',
    rawPath: '/api/complaints',
    rawQueryString: '',
    headers: {},
    requestContext: {} as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
  };
  const answer = async (err: unknown) => {
    const handler = httpRoute({ auth: 'public' }, async () => {
      if (err) throw err;
      return reply(204);
    });
    const res = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
    return { status: res.statusCode, headers: res.headers ?? {}, text: String(res.body), body: JSON.parse(String(res.body)) as { error: Record<string, unknown> } };
  };

  it('is a 503 service_unavailable with Retry-After in the error envelope, without the service’s message or a stack', async () => {
    const res = await answer(throttled());
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(res.body).toEqual({ error: { code: 'service_unavailable', message: expect.any(String) } });
    expect(res.text).not.toMatch(/provisioned|throughput|Exception|at .*\.ts|\$metadata|R1/i);
  });

  it('is a 503 for a transaction cancelled by throttling too', async () => {
    expect((await answer(cancelled('ThrottlingError', 'None'))).status).toBe(503);
  });

  it('stays a 500 internal for an AWS error that retrying cannot fix', async () => {
    const res = await answer(new ResourceNotFoundException({ message: 'Requested resource not found: Table: complaints not found', $metadata }));
    expect(res.status).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.body.error.code).toBe('internal');
    expect(res.text).not.toMatch(/complaints|Requested resource/);
  });

  it('is a 503 when the function reaches its deadline (SDK retries under throttling), as middy ends it just before Lambda would', async () => {
    const slow = httpRoute({ auth: 'public' }, () => new Promise(() => undefined));
    const context = { getRemainingTimeInMillis: () => 50 } as unknown as Context;
    const res = (await slow(event, context)) as APIGatewayProxyStructuredResultV2;
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
  });

  it('leaves domain errors as they are', async () => {
    const res = await answer(new NotFoundError('No such task'));
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'No such task' });
  });
});
