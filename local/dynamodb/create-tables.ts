/** Creates the platform's tables in DynamoDB Local from the same spec the CDK stack uses. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
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
    try {
      await client.send(new DescribeTableCommand({ TableName }));
      continue;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema(spec.partitionKey, spec.sortKey),
        AttributeDefinitions: attributeDefinitions(spec),
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
