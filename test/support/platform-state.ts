/**
 * Read-only looks behind the API of a running `npm start`, for end-to-end tests that must recount what
 * the platform stored: its DynamoDB Local (directly, not through the fault-injection proxy), its local
 * Step Functions endpoint (execution histories) and its fault-injection controls.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { ApiClient, Json } from './api-client';
import type { PlatformProcess } from './platform-process';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The endpoints `npm start` prints when it is ready (local/main.ts). */
function printed(p: PlatformProcess, label: string): string {
  const m = new RegExp(`${label}\\s+(http://\\S+)`).exec(p.output());
  if (!m) throw new Error(`npm start did not print its ${label} endpoint:\n${p.output().slice(0, 2000)}`);
  return m[1];
}

export interface PlatformState {
  /** Every item of a table (DynamoDB Local directly: no injected faults). */
  scan(table: string): Promise<Record<string, unknown>[]>;
  /** The complaint executions with their status and history. */
  executions(): Promise<Array<{ name: string; status: string; events: HistoryEvent[] }>>;
  close(): void;
}

export function platformState(p: PlatformProcess): PlatformState {
  const dynamodb = new DynamoDBClient({ endpoint: printed(p, 'DynamoDB Local'), region: 'local', credentials });
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const sfn = new SFNClient({ endpoint: printed(p, 'Step Functions'), region: 'local', credentials });
  return {
    async scan(table) {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await documents.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    },
    async executions() {
      const stateMachineArn = 'arn:aws:states:local:000000000000:stateMachine:complaint';
      const listed = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken, maxResults: 1000 }));
        listed.push(...(page.executions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return Promise.all(
        listed.map(async (e) => {
          const events: HistoryEvent[] = [];
          let token: string | undefined;
          do {
            const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: e.executionArn, nextToken: token, maxResults: 1000 }));
            events.push(...(page.events ?? []));
            token = page.nextToken;
          } while (token);
          return { name: e.name ?? '', status: e.status ?? '', events };
        }),
      );
    },
    close() {
      dynamodb.destroy();
      sfn.destroy();
    },
  };
}

/** The fault-injection controls of one-machine mode (POST/GET/DELETE /_local/faults). */
export const faults = (api: ApiClient) => ({
  async set(dynamodb: Json): Promise<Json> {
    const res = await api.call('POST', '/_local/faults', { body: { dynamodb } });
    if (res.status !== 200) throw new Error(`faults: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  },
  async counts(): Promise<Json> {
    return (await api.call('GET', '/_local/faults')).body;
  },
  async clear(): Promise<Json> {
    return (await api.call('DELETE', '/_local/faults')).body;
  },
});

/** Task-step failures in execution histories, by error name: the workflow's own retries. */
export function taskFailures(executions: Array<{ events: HistoryEvent[] }>): Record<string, number> {
  const byError: Record<string, number> = {};
  for (const e of executions) {
    for (const ev of e.events) {
      if (ev.type !== 'TaskFailed') continue;
      const error = ev.taskFailedEventDetails?.error ?? '?';
      byError[error] = (byError[error] ?? 0) + 1;
    }
  }
  return byError;
}
