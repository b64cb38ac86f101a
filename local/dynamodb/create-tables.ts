/**
 * Creates the platform's tables in DynamoDB Local from the same spec the CDK stack uses, and adds an index
 * the spec gained since a data dir was made (as a CloudFormation update adds it in AWS).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { tableList, type TableSpec } from '../../lib/spec/tables';

function keySchema(pk: string, sk?: string): KeySchemaElement[] {
  return [{ AttributeName: pk, KeyType: 'HASH' }, ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' as const }] : [])];
}

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const types = new Map<string, 'S' | 'N'>();
  for (const k of [spec.partitionKey, spec.sortKey]) if (k) types.set(k, 'S');
  for (const ix of spec.indexes) {
    for (const k of [ix.partitionKey, ix.sortKey]) if (k) types.set(k, ix.numberKeys?.includes(k) ? 'N' : 'S');
  }
  return [...types].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

export async function createTables(client: DynamoDBClient, tableName: (spec: TableSpec) => string = (s) => s.name): Promise<void> {
  for (const spec of tableList) {
    const TableName = tableName(spec);
    let existing: Awaited<ReturnType<typeof describe>>;
    try {
      existing = await describe(client, TableName);
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    if (existing) {
      await addMissingIndexes(client, TableName, spec, existing);
      // A data dir made before its table had a stream gets one, as a deploy adds it in AWS.
      if (spec.stream && !existing.StreamSpecification?.StreamEnabled) {
        await client.send(new UpdateTableCommand({ TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
      }
      continue;
    }
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema(spec.partitionKey, spec.sortKey),
        AttributeDefinitions: attributeDefinitions(spec),
        // The stream the SMS sender reads (local/streams.ts relays it on one machine).
        ...(spec.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' as const } } : {}),
        ...(spec.indexes.length
          ? {
              GlobalSecondaryIndexes: spec.indexes.map((ix) => ({
                IndexName: ix.name,
                KeySchema: keySchema(ix.partitionKey, ix.sortKey),
                Projection: { ProjectionType: 'ALL' },
              })),
            }
          : {}),
      }),
    );
    if (spec.ttlAttribute) {
      await client.send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true } }));
    }
  }
}

const describe = async (client: DynamoDBClient, TableName: string) => (await client.send(new DescribeTableCommand({ TableName }))).Table;

/** One UpdateTable per missing index, as DynamoDB takes them; DynamoDB Local builds it (and backfills) at once. */
async function addMissingIndexes(client: DynamoDBClient, TableName: string, spec: TableSpec, table: NonNullable<Awaited<ReturnType<typeof describe>>>): Promise<void> {
  const have = new Set((table.GlobalSecondaryIndexes ?? []).map((ix) => ix.IndexName));
  for (const ix of spec.indexes.filter((i) => !have.has(i.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: attributeDefinitions(spec),
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: ix.name, KeySchema: keySchema(ix.partitionKey, ix.sortKey), Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    for (let i = 0; i < 600; i++) {
      const status = (await describe(client, TableName))?.GlobalSecondaryIndexes?.find((g) => g.IndexName === ix.name)?.IndexStatus;
      if (status === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
