// Data directories written before the journal moved to a file kept executions in the DynamoDB Local table
// `local-stepfunctions-journal`. On the first start with such a directory, its executions (running ones
// included) are copied into the journal file once, and the table is dropped; a start without the table,
// or with the file already there, does nothing.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeleteTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionRecord, ExecutionStatus, HistoryEventRecord, JournalLine, StepRecord, StepStatus } from './journal';

export const LEGACY_JOURNAL_TABLE = 'local-stepfunctions-journal';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Returns how many executions were imported (0 when there was nothing to import). */
export async function importDynamodbJournal(client: DynamoDBClient, journalFile: string, table = LEGACY_JOURNAL_TABLE): Promise<number> {
  if (existsSync(journalFile)) return 0;
  const doc = DynamoDBDocumentClient.from(client);
  const byArn = new Map<string, JournalLine>();
  const line = (arn: string) => byArn.get(arn) ?? byArn.set(arn, { arn }).get(arn)!;
  let start: Record<string, unknown> | undefined;
  try {
    do {
      // A one-off copy at start-up, never on a request path: a Scan is what it needs.
      const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
      for (const i of page.Items ?? []) {
        const arn = String(i.pk).replace(/^X#/, '');
        const sk = String(i.sk);
        const l = line(arn);
        if (sk === 'META') {
          l.exec = {
            executionArn: String(i.executionArn),
            stateMachineArn: String(i.stateMachineArn),
            name: String(i.name),
            status: String(i.status) as ExecutionStatus,
            input: String(i.input),
            output: str(i.output),
            error: str(i.error),
            cause: str(i.cause),
            startMs: Number(i.startMs),
            stopMs: num(i.stopMs),
          } satisfies ExecutionRecord;
        } else if (sk.startsWith('S#')) {
          (l.steps ??= []).push({
            key: String(i.key),
            status: String(i.status) as StepStatus,
            startedMs: Number(i.startedMs),
            token: str(i.token),
            invoked: typeof i.invoked === 'boolean' ? i.invoked : undefined,
            heartbeatMs: num(i.heartbeatMs),
            wakeMs: num(i.wakeMs),
            result: str(i.result),
            error: str(i.error),
            cause: str(i.cause),
          } satisfies StepRecord);
        } else if (sk.startsWith('E#')) {
          (l.events ??= []).push({
            id: Number(i.id),
            type: String(i.type),
            timestampMs: Number(i.timestampMs),
            detailsKey: str(i.detailsKey),
            details: typeof i.details === 'string' ? (JSON.parse(i.details) as Record<string, unknown>) : undefined,
          } satisfies HistoryEventRecord);
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
  } catch (err) {
    if (err instanceof ResourceNotFoundException || (err instanceof Error && err.name === 'ResourceNotFoundException')) return 0;
    throw err;
  }
  const lines = [...byArn.values()].filter((l) => l.exec);
  mkdirSync(dirname(journalFile), { recursive: true });
  const tmp = `${journalFile}.importing`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    for (const l of lines) writeSync(fd, `${JSON.stringify(l)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, journalFile);
  await client.send(new DeleteTableCommand({ TableName: table }));
  return lines.length;
}
