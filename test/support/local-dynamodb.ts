/** A real DynamoDB Local with the platform's tables, and the env a handler would get, for integration tests. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamodbLocal, type DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { createTables } from '../../local/dynamodb/create-tables';
import { tableEnvVar, tableList } from '../../lib/spec/tables';

export async function startTestDatabase(): Promise<{ db: DynamodbLocal; client: DynamoDBClient }> {
  const db = await startDynamodbLocal({ inMemory: true });
  Object.assign(process.env, {
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: 'silent',
  });
  for (const t of tableList) process.env[tableEnvVar(t.name)] = t.name;
  const client = new DynamoDBClient({ endpoint: db.endpoint });
  await createTables(client);
  return { db, client };
}
