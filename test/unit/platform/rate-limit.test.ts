import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { clientAddress, countClientRequest, withAccessCodeAttempt } from '../../../lambdas/platform/rate-limit';
import { TooManyRequestsError } from '../../../lambdas/platform/errors';
import { clock } from '../../../lambdas/platform/clock';

const ddb = mockClient(DynamoDBDocumentClient);
// ORIGIN_VERIFY_SECRET is 'distribution-secret' (test/unit/setup-env.ts), as CDK sets it behind CloudFront.

const event = (sourceIp: string, headers: Record<string, string> = {}) =>
  ({ headers, requestContext: { http: { sourceIp } } }) as unknown as APIGatewayProxyEventV2;

// A pinned instant, 10 s into a minute window (windows are whole minutes of the platform's clock).
const NOW = '2026-12-07T02:15:10.000Z';
beforeEach(() => {
  ddb.reset();
  clock.pin(NOW);
});

describe('the client address a limit counts', () => {
  it('is the connecting address when the request does not come through CloudFront', () => {
    expect(clientAddress(event('203.0.113.7'))).toBe('203.0.113.7');
  });

  it("is the viewer's address CloudFront reports, without the port, when the request carries the distribution's secret header", () => {
    expect(clientAddress(event('130.176.1.1', { 'cloudfront-viewer-address': '198.51.100.10:46532', 'x-origin-verify': 'distribution-secret' }))).toBe('198.51.100.10');
  });

  it('ignores a CloudFront-Viewer-Address sent straight to the API, so a caller cannot pick a fresh address per request', () => {
    expect(clientAddress(event('203.0.113.7', { 'cloudfront-viewer-address': '198.51.100.10:46532' }))).toBe('203.0.113.7');
    expect(clientAddress(event('203.0.113.7', { 'cloudfront-viewer-address': '198.51.100.10:46532', 'x-origin-verify': 'guess' }))).toBe('203.0.113.7');
  });

  it('groups an IPv6 client by its /64, so rotating the last bits does not buy more requests', () => {
    const a = clientAddress(event('130.176.1.1', { 'cloudfront-viewer-address': '2001:db8:85a3:8d3:1319:8a2e:370:7348:443', 'x-origin-verify': 'distribution-secret' }));
    const b = clientAddress(event('2001:db8:85a3:8d3:ffff:ffff:ffff:1'));
    expect(a).toBe('2001:db8:85a3:8d3::/64');
    expect(b).toBe(a);
  });
});

describe('counting a client request', () => {
  it('adds one to the counter of the current window, conditioned on the limit and expiring by TTL', async () => {
    ddb.on(UpdateCommand).resolves({});
    await countClientRequest('publicWrites', '203.0.113.7');
    const input = ddb.commandCalls(UpdateCommand)[0].args[0].input;
    expect(input.TableName).toBe('limits-test');
    expect(String(input.Key?.pk)).toMatch(/^CLIENT#publicWrites#[0-9a-f]{32}#\d+$/);
    expect(String(input.Key?.pk)).not.toContain('203.0.113.7');
    expect(input.ConditionExpression).toBe('attribute_not_exists(#hits) OR #hits < :limit');
    expect(input.ExpressionAttributeValues?.[':limit']).toBe(20);
    expect(Number(input.ExpressionAttributeValues?.[':expiresAt'])).toBeGreaterThan(Date.parse(NOW) / 1000);
  });

  it('answers 429 with the seconds left in the window when the limit is reached', async () => {
    clock.pin('2026-12-07T02:15:45.000Z'); // 45 s into a minute window: 15 s left
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));
    const err = await countClientRequest('publicWrites', '203.0.113.7').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsError);
    const retryAfter = Number((err as TooManyRequestsError).headers?.['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(14);
    expect(retryAfter).toBeLessThanOrEqual(16);
  });

  it('lets other DynamoDB errors through untouched, so they are not mistaken for abuse', async () => {
    ddb.on(UpdateCommand).rejects(new Error('network down'));
    await expect(countClientRequest('publicWrites', '203.0.113.7')).rejects.toThrow('network down');
  });
});

describe('an access-code attempt', () => {
  it('is reserved in the quarter-hour and the day window before the code is compared', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const check = jest.fn(async () => ({ ok: false, value: undefined }));
    await withAccessCodeAttempt('TS-2026-000001', check);
    const reserve = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems ?? [];
    expect(reserve.map((t) => t.Update?.ExpressionAttributeValues?.[':cap'])).toEqual([5, 20]);
    expect(reserve.every((t) => t.Update?.ConditionExpression === 'attribute_not_exists(#hits) OR #hits < :cap')).toBe(true);
    expect(check).toHaveBeenCalledTimes(1);
    // A wrong code keeps its reservation: only one transaction was sent.
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('is handed back when the code was right, so a citizen who knows the code is never locked out by reading', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await expect(withAccessCodeAttempt('TS-2026-000001', async () => ({ ok: true, value: 'case' }))).resolves.toBe('case');
    const release = ddb.commandCalls(TransactWriteCommand)[1].args[0].input.TransactItems ?? [];
    expect(release.map((t) => t.Update?.ExpressionAttributeValues?.[':delta'])).toEqual([-1, -1]);
    expect(release.every((t) => t.Update?.ConditionExpression === undefined)).toBe(true);
  });

  it('answers 429 without comparing the code when a window is full, even for the right code', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );
    const check = jest.fn(async () => ({ ok: true, value: 'case' }));
    const err = await withAccessCodeAttempt('TS-2026-000001', check).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsError);
    expect(Number((err as TooManyRequestsError).headers?.['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(check).not.toHaveBeenCalled();
  });
});
