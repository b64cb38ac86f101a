/**
 * The usage meter of one-machine mode (local/meter.ts) through the fault proxy, against the real DynamoDB
 * Local: off, nothing is counted and answers are untouched; on, each request's units are counted as
 * on-demand DynamoDB bills them, and the caller still gets the answer it asked for.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { startDynamodbLocal, type DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { startFaultProxy, type FaultProxy } from '../../local/dynamodb/fault-proxy';
import { meter } from '../../local/meter';

jest.setTimeout(60_000);

let db: DynamodbLocal;
let proxy: FaultProxy;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await startDynamodbLocal({ inMemory: true });
  proxy = await startFaultProxy({ target: db.endpoint });
  client = new DynamoDBClient({ endpoint: proxy.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(
    new CreateTableCommand({ TableName: 'metered', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
  );
});
afterEach(() => meter.stop());
afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await db?.stop();
});

it('counts nothing and leaves answers alone while off', async () => {
  const put = await client.send(new PutItemCommand({ TableName: 'metered', Item: { pk: { S: 'a' } } }));
  expect(put.ConsumedCapacity).toBeUndefined();
  expect(meter.counts()).toMatchObject({ on: false, dynamodb: {} });
});

it('counts request units per operation and table while on, as on-demand DynamoDB bills them', async () => {
  meter.start();
  await client.send(new PutItemCommand({ TableName: 'metered', Item: { pk: { S: 'b' }, text: { S: 'x'.repeat(1500) } } }));
  const get = await client.send(new GetItemCommand({ TableName: 'metered', Key: { pk: { S: 'b' } } }));
  expect(get.Item?.text.S).toHaveLength(1500);
  expect(get.ConsumedCapacity).toBeUndefined(); // the caller did not ask: taken out again
  await client.send(new GetItemCommand({ TableName: 'metered', Key: { pk: { S: 'b' } }, ConsistentRead: true }));
  const asked = await client.send(new GetItemCommand({ TableName: 'metered', Key: { pk: { S: 'a' } }, ReturnConsumedCapacity: 'TOTAL' }));
  expect(asked.ConsumedCapacity?.CapacityUnits).toBe(0.5);
  await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'metered', Item: { pk: { S: 'c' } } } }] }));
  await client.send(new QueryCommand({ TableName: 'metered', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'none' } } }));

  const { dynamodb } = meter.counts();
  expect(dynamodb['PutItem metered']).toMatchObject({ requests: 1, writeUnits: 2 }); // 1.5 KB: 2 WRU
  expect(dynamodb['GetItem metered']).toMatchObject({ requests: 3, readUnits: 0.5 + 1 + 0.5 }); // eventually, strongly consistent, eventually
  expect(dynamodb['TransactWriteItems metered']).toMatchObject({ requests: 1, writeUnits: 2 }); // 2 WRU per transactional KB (Local says 4)
  expect(dynamodb['Query metered']).toMatchObject({ requests: 1, readUnits: 0.5 }); // found nothing: still the minimum
});
