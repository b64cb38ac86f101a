// The durable journal in DynamoDB (one table, on-demand). Items, all under pk = `X#<executionArn>`:
//   sk = 'META'        the execution: status, input/output (JSON text), error/cause, dates
//   sk = 'S#<key>'     one task (or Wait) step: STARTED → SUCCEEDED | FAILED, with absolute start/heartbeat/wake times
//   sk = 'E#<seq>'     one history event; seq is deterministic per run, so a replay rewrites nothing
// A GSI (gsi1pk = state machine ARN, gsi1sk = start time + name) lists executions per state machine.
// Every state change is a conditional write, so the first of two racing completions wins.
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  TransactionCanceledException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  PutCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startMs: number;
  stopMs?: number;
}

export type StepStatus = 'STARTED' | 'SUCCEEDED' | 'FAILED';

export interface StepRecord {
  key: string;
  status: StepStatus;
  startedMs: number;
  /** Callback tasks: the token, and whether the function that received it has returned. */
  token?: string;
  invoked?: boolean;
  heartbeatMs?: number;
  /** Wait states: the absolute wake-up time. */
  wakeMs?: number;
  /** SUCCEEDED: the result as JSON text. */
  result?: string;
  error?: string;
  cause?: string;
}

export interface HistoryEventRecord {
  id: number;
  type: string;
  timestampMs: number;
  /** The event's *EventDetails member name and its value. */
  detailsKey?: string;
  details?: Record<string, unknown>;
}

const pk = (executionArn: string) => `X#${executionArn}`;
const stepSk = (key: string) => `S#${key}`;
const eventSk = (seq: number) => `E#${String(seq).padStart(10, '0')}`;

function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err instanceof Error && err.name === 'ConditionalCheckFailedException');
}

export class Journal {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly client: DynamoDBClient,
    readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async ensureTable(): Promise<void> {
    try {
      await this.client.send(
        new CreateTableCommand({
          TableName: this.table,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'gsi1pk', AttributeType: 'S' },
            { AttributeName: 'gsi1sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'gsi1',
              KeySchema: [
                { AttributeName: 'gsi1pk', KeyType: 'HASH' },
                { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      );
    } catch (err) {
      if (!(err instanceof ResourceInUseException) && !(err instanceof Error && err.name === 'ResourceInUseException')) throw err;
    }
    for (let i = 0; i < 100; i++) {
      const t = await this.client.send(new DescribeTableCommand({ TableName: this.table }));
      if (t.Table?.TableStatus === 'ACTIVE') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Journal table ${this.table} did not become ACTIVE`);
  }

  // ---- executions ----

  /** Creates the execution and its ExecutionStarted event atomically; false if the name is taken. */
  async createExecution(rec: ExecutionRecord, started: HistoryEventRecord): Promise<boolean> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { pk: pk(rec.executionArn), sk: 'META', ...rec, gsi1pk: rec.stateMachineArn, gsi1sk: `${String(rec.startMs).padStart(15, '0')}#${rec.name}` },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.table, Item: this.eventItem(rec.executionArn, started) } },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException || (err instanceof Error && err.name === 'TransactionCanceledException')) return false;
      throw err;
    }
  }

  async getExecution(executionArn: string): Promise<ExecutionRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: pk(executionArn), sk: 'META' }, ConsistentRead: true }));
    return r.Item ? toExecution(r.Item) : undefined;
  }

  /** Executions of one state machine, newest first. */
  async listExecutions(stateMachineArn: string): Promise<ExecutionRecord[]> {
    const items = await this.queryAll({
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :sm',
      ExpressionAttributeValues: { ':sm': stateMachineArn },
      ScanIndexForward: false,
    });
    return items.map(toExecution);
  }

  /**
   * Closes a RUNNING execution and appends its terminal event in one transaction, so that a crash can
   * neither leave a closed execution without its event nor write the event twice. False if already closed.
   */
  async closeExecution(
    executionArn: string,
    close: { status: Exclude<ExecutionStatus, 'RUNNING'>; stopMs: number; output?: string; error?: string; cause?: string },
    event: HistoryEventRecord,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':running': 'RUNNING', ':status': close.status, ':stop': close.stopMs };
    const sets = ['#status = :status', '#stopMs = :stop'];
    names['#stopMs'] = 'stopMs';
    for (const f of ['output', 'error', 'cause'] as const) {
      if (close[f] !== undefined) {
        sets.push(`#${f} = :${f}`);
        names[`#${f}`] = f;
        values[`:${f}`] = close[f];
      }
    }
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: pk(executionArn), sk: 'META' },
                UpdateExpression: `SET ${sets.join(', ')}`,
                ConditionExpression: '#status = :running',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            { Put: { TableName: this.table, Item: this.eventItem(executionArn, event) } },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof TransactionCanceledException || (err instanceof Error && err.name === 'TransactionCanceledException')) return false;
      throw err;
    }
  }

  // ---- steps ----

  /** Creates the step if it is new; either way returns what the journal holds for it. */
  async beginStep(executionArn: string, step: StepRecord): Promise<StepRecord> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: pk(executionArn), sk: stepSk(step.key), ...step },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return step;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const existing = await this.getStep(executionArn, step.key);
      if (!existing) throw new Error(`Step ${step.key} vanished`);
      return existing;
    }
  }

  async getStep(executionArn: string, key: string): Promise<StepRecord | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: pk(executionArn), sk: stepSk(key) }, ConsistentRead: true }));
    return r.Item ? toStep(r.Item) : undefined;
  }

  /** STARTED → SUCCEEDED/FAILED. Returns the record that is final afterwards and whether this call made it so. */
  async completeStep(
    executionArn: string,
    key: string,
    outcome: { status: 'SUCCEEDED'; result: string } | { status: 'FAILED'; error: string; cause: string },
  ): Promise<{ won: boolean; record: StepRecord }> {
    const values: Record<string, unknown> = { ':started': 'STARTED', ':status': outcome.status };
    let set = '#status = :status';
    if (outcome.status === 'SUCCEEDED') {
      set += ', #result = :result';
      values[':result'] = outcome.result;
    } else {
      set += ', #error = :error, #cause = :cause';
      values[':error'] = outcome.error;
      values[':cause'] = outcome.cause;
    }
    try {
      const r = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(executionArn), sk: stepSk(key) },
          UpdateExpression: `SET ${set}`,
          ConditionExpression: '#status = :started',
          ExpressionAttributeNames: { '#status': 'status', ...(outcome.status === 'SUCCEEDED' ? { '#result': 'result' } : { '#error': 'error', '#cause': 'cause' }) },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { won: true, record: toStep(r.Attributes ?? {}) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const existing = await this.getStep(executionArn, key);
      if (!existing) throw new Error(`Step ${key} does not exist`);
      return { won: false, record: existing };
    }
  }

  /** Sets a field on a STARTED step; false if the step is already closed. */
  async touchStep(executionArn: string, key: string, field: 'invoked' | 'heartbeatMs', value: boolean | number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: pk(executionArn), sk: stepSk(key) },
          UpdateExpression: 'SET #f = :v',
          ConditionExpression: '#status = :started',
          ExpressionAttributeNames: { '#status': 'status', '#f': field },
          ExpressionAttributeValues: { ':started': 'STARTED', ':v': value },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  // ---- history ----

  /** Writes events whose seq numbers are new (callers skip what a previous run already wrote). */
  async putEvents(executionArn: string, events: HistoryEventRecord[]): Promise<void> {
    for (let i = 0; i < events.length; i += 25) {
      let requests = events.slice(i, i + 25).map((e) => ({ PutRequest: { Item: this.eventItem(executionArn, e) } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const r = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        const left = r.UnprocessedItems?.[this.table] ?? [];
        requests = left.flatMap((w) => (w.PutRequest?.Item ? [{ PutRequest: { Item: w.PutRequest.Item } }] : []));
        if (requests.length > 0) await new Promise((res) => setTimeout(res, Math.min(1000, 20 * 2 ** attempt)));
      }
    }
  }

  async listEvents(executionArn: string): Promise<HistoryEventRecord[]> {
    const items = await this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': pk(executionArn), ':e': 'E#' },
      ConsistentRead: true,
    });
    return items.map((i) => ({
      id: Number(i.id),
      type: String(i.type),
      timestampMs: Number(i.timestampMs),
      detailsKey: typeof i.detailsKey === 'string' ? i.detailsKey : undefined,
      details: typeof i.details === 'string' ? (JSON.parse(i.details) as Record<string, unknown>) : undefined,
    }));
  }

  private eventItem(executionArn: string, e: HistoryEventRecord): Record<string, unknown> {
    return {
      pk: pk(executionArn),
      sk: eventSk(e.id),
      id: e.id,
      type: e.type,
      timestampMs: e.timestampMs,
      detailsKey: e.detailsKey,
      // Details are stored as JSON text: they hold arbitrary JSON, which DynamoDB types would distort.
      details: e.details === undefined ? undefined : JSON.stringify(e.details),
    };
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      out.push(...(r.Items ?? []));
      start = r.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function toExecution(i: Record<string, unknown>): ExecutionRecord {
  return {
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
  };
}

function toStep(i: Record<string, unknown>): StepRecord {
  return {
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
  };
}
