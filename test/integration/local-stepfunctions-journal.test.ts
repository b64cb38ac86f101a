// The local engine's journal file: what is acknowledged is on disk, a torn last line is dropped, a damaged
// file is refused, races have one winner, and data directories from the DynamoDB-journal era are imported.
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { CreateTableCommand, ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startDynamodbLocal, type DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { startLocalStepFunctions } from '../../local/stepfunctions';
import { importDynamodbJournal } from '../../local/stepfunctions/import-dynamodb-journal';
import { Journal, readJournalFile, type ExecutionRecord, type HistoryEventRecord } from '../../local/stepfunctions/journal';
import { FakeFunctions, dynamoClient, history, loadMachine, newJournalFile, sfnClient, waitFor, waitForEnd, waitForStep } from './fixtures/sfn/harness';

jest.setTimeout(60_000);

const SM = 'arn:aws:states:local:000000000000:stateMachine:durable';
const arnOf = (name: string) => `arn:aws:states:local:000000000000:execution:durable:${name}`;
const execution = (name: string, startMs = 1_000): ExecutionRecord => ({ executionArn: arnOf(name), stateMachineArn: SM, name, status: 'RUNNING', input: '{"n":1}', startMs });
const started = (ms = 1_000): HistoryEventRecord => ({ id: 1, type: 'ExecutionStarted', timestampMs: ms, detailsKey: 'executionStartedEventDetails', details: { input: '{"n":1}' } });

describe('the journal file', () => {
  test('every acknowledged change is on disk, and a reopened journal holds the same executions, steps and events', async () => {
    const file = newJournalFile();
    const journal = await Journal.open(file);
    expect(await journal.createExecution(execution('a'), started())).toBe(true);
    await journal.beginStep(arnOf('a'), { key: 'Approve#h#0', status: 'STARTED', startedMs: 1_100, token: 't', invoked: false });
    await journal.touchStep(arnOf('a'), 'Approve#h#0', 'invoked', true);
    await journal.putEvents(arnOf('a'), [{ id: 2, type: 'TaskStateEntered', timestampMs: 1_050 }]);
    // Read straight from the file, not from the journal's memory: the acknowledgement meant "on disk".
    const lines = readJournalFile(file);
    expect(lines.flatMap((l) => l.steps ?? []).at(-1)).toMatchObject({ key: 'Approve#h#0', invoked: true });
    await journal.close();

    const reopened = await Journal.open(file);
    expect(await reopened.getExecution(arnOf('a'))).toMatchObject({ status: 'RUNNING', input: '{"n":1}' });
    expect(await reopened.getStep(arnOf('a'), 'Approve#h#0')).toMatchObject({ status: 'STARTED', invoked: true, token: 't' });
    expect((await reopened.listEvents(arnOf('a'))).map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered']);
    // Compacted at open: one line per execution.
    expect(readJournalFile(file)).toHaveLength(1);
    await reopened.close();
  });

  test('of two racing completions of one step exactly one wins, and the loser is told what won', async () => {
    const journal = await Journal.open(newJournalFile());
    await journal.createExecution(execution('race'), started());
    await journal.beginStep(arnOf('race'), { key: 'S#0', status: 'STARTED', startedMs: 1 });
    const [a, b] = await Promise.all([
      journal.completeStep(arnOf('race'), 'S#0', { status: 'SUCCEEDED', result: '"first"' }),
      journal.completeStep(arnOf('race'), 'S#0', { status: 'FAILED', error: 'States.Timeout', cause: 'late' }),
    ]);
    expect([a.won, b.won]).toEqual([true, false]);
    expect(b.record).toMatchObject({ status: 'SUCCEEDED', result: '"first"' });
    expect(await journal.createExecution(execution('race'), started())).toBe(false);
    await journal.close();
  });

  test('a last line cut short by a crash is dropped, because it was never acknowledged', async () => {
    const file = newJournalFile();
    const journal = await Journal.open(file);
    await journal.createExecution(execution('kept'), started());
    await journal.close();
    appendFileSync(file, `{"arn":"${arnOf('torn')}","exec":{"executionArn":"${arnOf('torn')}","stat`);
    const reopened = await Journal.open(file);
    expect(await reopened.getExecution(arnOf('kept'))).toBeDefined();
    expect(await reopened.getExecution(arnOf('torn'))).toBeUndefined();
    await reopened.close();
  });

  test('damage before the last line stops the engine from starting instead of losing executions silently', async () => {
    const file = newJournalFile();
    const journal = await Journal.open(file);
    await journal.createExecution(execution('one'), started());
    await journal.createExecution(execution('two'), started());
    await journal.close();
    const [first, ...rest] = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [first.slice(0, 20), ...rest].join('\n'));
    await expect(Journal.open(file)).rejects.toThrow(/damaged at line 1/);
  });

  test('a journal that cannot be written refuses further changes instead of acknowledging them', async () => {
    const file = newJournalFile();
    const journal = await Journal.open(file);
    await journal.createExecution(execution('ok'), started());
    const handle = (journal as unknown as { handle: { datasync: () => Promise<void> } }).handle;
    handle.datasync = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    await expect(journal.createExecution(execution('lost'), started())).rejects.toThrow(/could not be written.*ENOSPC/);
    await expect(journal.putEvents(arnOf('ok'), [{ id: 2, type: 'PassStateEntered', timestampMs: 2 }])).rejects.toThrow(/could not be written/);
    await expect(journal.getExecution(arnOf('ok'))).rejects.toThrow(/could not be written/);
    await expect(journal.close()).rejects.toThrow(/could not be written/); // and its file is closed all the same
  });

  test('closed executions are kept 90 days after they stopped, running ones however old they are', async () => {
    const DAY = 86_400_000;
    const now = 400 * DAY;
    const file = newJournalFile();
    const journal = await Journal.open(file, { now: () => now });
    const closeAt = async (name: string, stopMs: number) => {
      await journal.createExecution(execution(name, stopMs - 1_000), started(stopMs - 1_000));
      await journal.closeExecution(arnOf(name), { status: 'SUCCEEDED', stopMs, output: '{}' }, { id: 2, type: 'ExecutionSucceeded', timestampMs: stopMs });
    };
    await closeAt('stopped-91-days-ago', now - 91 * DAY);
    await closeAt('stopped-89-days-ago', now - 89 * DAY);
    await journal.createExecution(execution('running-for-200-days', now - 200 * DAY), started(now - 200 * DAY));
    await journal.close();

    const reopened = await Journal.open(file, { now: () => now });
    const names = (await reopened.listExecutions(SM)).map((e) => e.name).sort();
    expect(names).toEqual(['running-for-200-days', 'stopped-89-days-ago']);
    expect(await reopened.listEvents(arnOf('stopped-91-days-ago'))).toEqual([]);
    expect(readJournalFile(file).map((l) => l.exec?.name).sort()).toEqual(names);
    await reopened.close();
  });

  test('a long-running journal compacts its file once it has doubled, and the compacted file replays to the same state', async () => {
    const file = newJournalFile();
    const journal = await Journal.open(file, { compactAfterBytes: 20_000 });
    await journal.createExecution(execution('busy'), started());
    await journal.beginStep(arnOf('busy'), { key: 'Hold#h#0', status: 'STARTED', startedMs: 1 });
    // 400 heartbeats rewrite the same step: ~40 KB appended, a few hundred bytes of live state.
    for (let i = 0; i < 400; i++) await journal.touchStep(arnOf('busy'), 'Hold#h#0', 'heartbeatMs', 1_000 + i);
    expect(journal.stats().compactions).toBeGreaterThanOrEqual(2); // the one at open, and at least one while running
    expect(statSync(file).size).toBeLessThan(journal.stats().bytes / 1.5);
    await journal.close();
    const reopened = await Journal.open(file);
    expect(await reopened.getStep(arnOf('busy'), 'Hold#h#0')).toMatchObject({ status: 'STARTED', heartbeatMs: 1_399 });
    await reopened.close();
  });

  test('the journal file is readable by its owner only (it holds case inputs)', async () => {
    const file = newJournalFile();
    const journal = await Journal.open(file);
    await journal.createExecution(execution('private'), started());
    await journal.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('a data directory from the DynamoDB-journal era', () => {
  let db: DynamodbLocal;
  let client: DynamoDBClient;
  beforeAll(async () => {
    db = await startDynamodbLocal({ inMemory: true });
    client = dynamoClient(db.endpoint);
  });
  afterAll(async () => {
    client?.destroy();
    await db?.stop();
  });

  test('has its running execution imported once, resumed, and finished, and the old table is dropped', async () => {
    const table = 'local-stepfunctions-journal';
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    // An execution parked on its approval token (prepare and notify done), as the old engine kept it:
    // run it on a journal file, then write the same records in the old table's item format.
    const fns = new FakeFunctions();
    const scratch = newJournalFile();
    const live = await startLocalStepFunctions({ journalFile: scratch, stateMachines: [loadMachine('durable')], invokeFunction: fns.invoke });
    const sfn = sfnClient(live.endpoint);
    const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn: SM, name: 'legacy-1', input: JSON.stringify({ caseId: 'L-1' }) }));
    const token = await waitFor('the approval token', () => fns.tokens[0]);
    await waitForStep(scratch, executionArn, 'Approve', true);
    sfn.destroy();
    await live.stop();
    await (await Journal.open(scratch)).close(); // compacted: one line with everything of the execution
    const [line] = readJournalFile(scratch).filter((l) => l.arn === executionArn);
    const file = newJournalFile();
    const pk = `X#${executionArn}`;
    const items: Record<string, unknown>[] = [
      { pk, sk: 'META', ...line.exec, gsi1pk: SM, gsi1sk: `${String(line.exec?.startMs).padStart(15, '0')}#legacy-1` },
      ...(line.steps ?? []).map((step) => ({ pk, sk: `S#${step.key}`, ...step })),
      ...(line.events ?? []).map((e) => ({ pk, sk: `E#${String(e.id).padStart(10, '0')}`, ...e, details: e.details === undefined ? undefined : JSON.stringify(e.details) })),
    ];
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    for (let i = 0; i < items.length; i += 25) await doc.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    expect(items.length).toBeGreaterThan(5);

    expect(await importDynamodbJournal(client, file)).toBe(1);
    expect((await client.send(new ListTablesCommand({}))).TableNames).not.toContain(table);
    expect(await importDynamodbJournal(client, file)).toBe(0); // once only

    const fns2 = new FakeFunctions();
    const resumed = await startLocalStepFunctions({ journalFile: file, stateMachines: [loadMachine('durable')], invokeFunction: fns2.invoke });
    const sfn2 = sfnClient(resumed.endpoint);
    try {
      await sfn2.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ by: 'after-upgrade' }) }));
      const done = await waitForEnd(sfn2, executionArn, 15_000);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output ?? '')).toEqual({ summary: { caseId: 'L-1', prepared: 'prepared-L-1', decision: { by: 'after-upgrade' } } });
      // prepare and notify were not run again
      expect([fns2.count('prepare'), fns2.count('notify'), fns2.count('finish')]).toEqual([0, 0, 1]);
      const after = await history(sfn2, executionArn);
      expect(after.map((e) => e.id)).toEqual(after.map((_, i) => i + 1));
    } finally {
      sfn2.destroy();
      await resumed.stop();
    }
  });
});
