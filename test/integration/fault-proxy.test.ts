/**
 * The fault-injection proxy of one-machine mode in front of the real DynamoDB Local: untouched when off,
 * DynamoDB's own error shapes when on, so that the SDK retries (and finally throws) exactly as in AWS.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ThrottlingException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { request } from 'node:http';
import { startDynamodbLocal, type DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { parseDynamodbFaultSpec, startFaultProxy, type FaultProxy } from '../../local/dynamodb/fault-proxy';

jest.setTimeout(60_000);

let db: DynamodbLocal;
let proxy: FaultProxy;
let client: DynamoDBClient;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

beforeAll(async () => {
  db = await startDynamodbLocal({ inMemory: true });
  proxy = await startFaultProxy({ target: db.endpoint });
  // The SDK's defaults (standard retry mode, 3 attempts), as the handlers have them.
  client = new DynamoDBClient({ endpoint: proxy.endpoint, region: 'local', credentials });
  for (const TableName of ['orders', 'audit']) {
    await client.send(
      new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
    );
  }
});
afterEach(() => proxy.clear());
afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await db?.stop();
});

const put = (TableName: string, pk: string) => client.send(new PutItemCommand({ TableName, Item: { pk: { S: pk } } }));
const get = async (TableName: string, pk: string) => (await client.send(new GetItemCommand({ TableName, Key: { pk: { S: pk } }, ConsistentRead: true }))).Item;

it('passes every request through untouched while no fault is set', async () => {
  await put('orders', 'o-1');
  expect(await get('orders', 'o-1')).toEqual({ pk: { S: 'o-1' } });
  expect(proxy.counts()).toMatchObject({ active: null, injected: { total: 0 }, sdkRetries: 0 });
});

it('throttles with DynamoDB’s wire shape: the SDK retries, then throws ProvisionedThroughputExceededException, and nothing is written', async () => {
  proxy.set(parseDynamodbFaultSpec({ error: 'ProvisionedThroughputExceededException', rate: 1 }));
  const err = await put('orders', 'o-2').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProvisionedThroughputExceededException);
  // The SDK's default attempts for DynamoDB (its retry strategy decides; the proxy saw every one).
  const attempts = Number((err as ProvisionedThroughputExceededException).$metadata.attempts);
  expect(attempts).toBeGreaterThanOrEqual(3);
  expect((err as ProvisionedThroughputExceededException).$metadata.httpStatusCode).toBe(400);
  const counts = proxy.clear();
  console.log(`fault proxy: one PutItem under 100% throttling → ${counts.injected.total} faults injected, ${counts.sdkRetries} SDK retries, then ${(err as Error).name}`);
  expect(counts).toMatchObject({ injected: { total: attempts, byOperation: { PutItem: attempts } }, sdkRetries: attempts - 1, recoveredBySdk: 0, unrecovered: 1 });
  expect(await get('orders', 'o-2')).toBeUndefined();
});

it('lets the SDK’s own retry absorb a short burst of ThrottlingException', async () => {
  proxy.set(parseDynamodbFaultSpec({ error: 'ThrottlingException', rate: 1, count: 2 }));
  await put('orders', 'o-3');
  expect(proxy.counts()).toMatchObject({ injected: { total: 2, byError: { ThrottlingException: 2 } }, sdkRetries: 2, recoveredBySdk: 1, unrecovered: 0 });
  expect(await get('orders', 'o-3')).toEqual({ pk: { S: 'o-3' } });
});

it('answers InternalServerError as HTTP 500, which the SDK also retries', async () => {
  proxy.set(parseDynamodbFaultSpec({ error: 'InternalServerError', rate: 1 }));
  const err = await get('orders', 'o-1').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InternalServerError);
  expect((err as InternalServerError).$metadata.httpStatusCode).toBe(500);
  expect((err as InternalServerError).$metadata.attempts).toBeGreaterThanOrEqual(3);
  expect(proxy.counts().injected.total).toBe((err as InternalServerError).$metadata.attempts);
});

it('faults only the operations and tables it is given, including tables named inside a transaction', async () => {
  proxy.set(parseDynamodbFaultSpec({ error: 'ThrottlingException', rate: 1, operations: ['TransactWriteItems'], tables: ['audit'] }));
  await put('audit', 'a-1'); // another operation
  const transact = (TableName: string, pk: string) =>
    client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'orders', Item: { pk: { S: `${pk}-o` } } } }, { Put: { TableName, Item: { pk: { S: pk } } } }] }));
  await transact('orders', 'o-4'); // the transaction touches another table only
  const err = await transact('audit', 'a-2').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ThrottlingException);
  expect(await get('orders', 'a-2-o')).toBeUndefined();
  const n = Number((err as ThrottlingException).$metadata.attempts);
  expect(proxy.counts().injected).toEqual({ total: n, byError: { ThrottlingException: n }, byOperation: { TransactWriteItems: n }, byTable: { orders: n, audit: n } });
});

it('stops after count faults', async () => {
  proxy.set(parseDynamodbFaultSpec({ error: 'ProvisionedThroughputExceededException', rate: 1, count: 1 }));
  await put('orders', 'o-5');
  await put('orders', 'o-6');
  expect(proxy.counts()).toMatchObject({ active: { remaining: 0 }, injected: { total: 1 } });
});

it('answers exactly the bytes DynamoDB Local answers, for a raw request too', async () => {
  const raw = (endpoint: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(endpoint);
      const req = request(
        { hostname: url.hostname, port: url.port, method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables', authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0' } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
  expect(await raw(proxy.endpoint)).toEqual(await raw(db.endpoint));
});

it.each([
  [{ error: 'Oops', rate: 1 }, 'dynamodb.error'],
  [{ error: 'ThrottlingException', rate: 2 }, 'dynamodb.rate'],
  [{ error: 'ThrottlingException', rate: 0.5, count: -1 }, 'dynamodb.count'],
  [{ error: 'ThrottlingException', rate: 0.5, tables: 'complaints' }, 'dynamodb.tables'],
])('refuses a fault it cannot inject: %j names %s', (spec, field) => {
  expect(() => parseDynamodbFaultSpec(spec)).toThrow(expect.objectContaining({ field }));
});
