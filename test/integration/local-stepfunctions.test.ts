// The local Step Functions endpoint, driven only through the real @aws-sdk/client-sfn, journaled in a file.
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startLocalStepFunctions, type LocalStepFunctions } from '../../local/stepfunctions';
import { FakeFunctions, TestClock, history, loadMachine, newJournalFile, sfnClient, waitFor, waitForEnd, waitForStep } from './fixtures/sfn/harness';

jest.setTimeout(30_000);

const JOURNAL = newJournalFile();
const MACHINES = ['lambda-chain', 'retry', 'catch', 'map-parallel', 'choice', 'wait', 'callback', 'timeout', 'heartbeat', 'execution-timeout'];

let engine: LocalStepFunctions;
let sfn: SFNClient;
const clock = new TestClock();
const fns = new FakeFunctions();

beforeAll(async () => {
  engine = await startLocalStepFunctions({
    journalFile: JOURNAL,
    stateMachines: MACHINES.map((m) => loadMachine(m)),
    invokeFunction: fns.invoke,
    now: clock.now,
  });
  sfn = sfnClient(engine.endpoint);
});

afterAll(async () => {
  sfn?.destroy();
  await engine?.stop();
});

async function start(machine: string, input: unknown, name?: string): Promise<string> {
  const r = await sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn(machine), input: JSON.stringify(input), name }));
  return r.executionArn ?? '';
}

async function runToEnd(machine: string, input: unknown) {
  const arn = await start(machine, input);
  const d = await waitForEnd(sfn, arn);
  return { arn, ...d, json: d.output === undefined ? undefined : (JSON.parse(d.output) as Record<string, unknown>) };
}

async function nextToken(before: number): Promise<string> {
  return waitFor('a task token', () => fns.tokens[before]);
}

describe('task integrations', () => {
  test('a lambda:invoke chain returns the Payload shape and the handler sees the context object', async () => {
    const r = await runToEnd('lambda-chain', { a: 2, b: 3 });
    expect(r.status).toBe('SUCCEEDED');
    const added = r.json?.added as Record<string, unknown>;
    expect(added).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST', Payload: { sum: 5 } });
    const seen = (added.Payload as Record<string, unknown>).seen as Record<string, unknown>;
    expect(seen).toMatchObject({
      executionId: r.arn,
      executionName: r.arn.split(':').pop(),
      executionInput: { a: 2, b: 3 },
      stateName: 'Add',
      stateMachineId: engine.stateMachineArn('lambda-chain'),
    });
    expect(Date.parse(String(seen.startTime))).toBe(r.startDate?.getTime());
    // The bare Lambda ARN task received the InputPath-selected payload and returned it unchanged.
    expect(r.json?.echoed).toEqual(added.Payload);
  });

  test('Retry re-runs a failing task until it succeeds and the attempt count is visible', async () => {
    fns.flakyFailures = 2;
    const r = await runToEnd('retry', {});
    expect(r.status).toBe('SUCCEEDED');
    expect(r.json).toEqual({ attempts: 3 });
    const types = (await history(sfn, r.arn)).map((e) => e.type);
    expect(types.filter((t) => t === 'TaskFailed')).toHaveLength(2);
    expect(types.filter((t) => t === 'TaskSucceeded')).toHaveLength(1);
  });

  test('Catch routes a named error, and any other function error reaches States.TaskFailed with the Lambda cause', async () => {
    const custom = await runToEnd('catch', { kind: 'custom' });
    expect(custom.status).toBe('SUCCEEDED');
    expect(custom.json).toMatchObject({ route: 'custom', caught: { Error: 'CustomError' } });
    const caught = custom.json?.caught as Record<string, string>;
    expect(JSON.parse(caught.Cause)).toEqual({ errorMessage: 'custom went wrong', errorType: 'CustomError' });

    const plain = await runToEnd('catch', { kind: 'plain' });
    expect(plain.json).toMatchObject({ route: 'other', caught: { Error: 'Error' } });
  });
});

describe('flow states', () => {
  test('Map and Parallel produce ordered outputs, with ItemSelector context and intrinsics', async () => {
    const r = await runToEnd('map-parallel', { items: [1, 2, 3], extra: { a: 1 }, more: { b: 2 } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.json?.doubled).toEqual([
      { index: 0, doubled: 2 },
      { index: 1, doubled: 4 },
      { index: 2, doubled: 6 },
    ]);
    expect(r.json?.parallel).toEqual([{ text: '3 items, sum+1 3', merged: { a: 1, b: 2 } }, [1, 2, 3]]);
    const types = (await history(sfn, r.arn)).map((e) => e.type);
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
    expect(types).toContain('ParallelStateExited');
  });

  test('Choice routes by the input, and its Default reaches a Fail state with its error and cause', async () => {
    expect((await runToEnd('choice', { score: 95 })).json).toEqual({ route: 'high' });
    expect((await runToEnd('choice', { score: 70, kind: 'school' })).json).toEqual({ route: 'school', score: 70 });
    const failed = await runToEnd('choice', { score: 10 });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'NoRoute', cause: 'score too low' });
  });

  test('Wait states hold until the moved clock passes their stored wake-up times', async () => {
    const until = new Date(clock.now() + 7200_000).toISOString();
    const arn = await start('wait', { holdSeconds: 3600, until });
    await waitForStep(JOURNAL, arn, 'Hold');
    clock.advance(3590_000);
    engine.wake();
    await new Promise((r) => setTimeout(r, 150));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    clock.advance(10_000);
    engine.wake();
    await waitForStep(JOURNAL, arn, 'Until');
    clock.advance(3600_000);
    engine.wake();
    const d = await waitForEnd(sfn, arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ done: true, holdSeconds: 3600 });
    const types = (await history(sfn, arn)).map((e) => e.type);
    expect(types.filter((t) => t === 'WaitStateEntered')).toHaveLength(2);
    expect(types.filter((t) => t === 'WaitStateExited')).toHaveLength(2);
  });
});

describe('callbacks, timeouts and heartbeats', () => {
  test('waitForTaskToken hands the function a real token and completes via SendTaskSuccess', async () => {
    const before = fns.tokens.length;
    const arn = await start('callback', { caseId: 'c1' });
    const token = await nextToken(before);
    expect(token).not.toContain('__local_sfn');
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ by: 'principal' }) }));
    const d = await waitForEnd(sfn, arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ approved: true, by: 'principal' });
    // The token is closed now: AWS answers TaskTimedOut.
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  test('SendTaskFailure surfaces its error and cause into a Catch', async () => {
    const before = fns.tokens.length;
    const arn = await start('callback', { caseId: 'c2' });
    const token = await nextToken(before);
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'incomplete file' }));
    const d = await waitForEnd(sfn, arn);
    expect(JSON.parse(d.output ?? '')).toEqual({ approved: false, error: 'Rejected', cause: 'incomplete file' });
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Again' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  test('a task times out with States.Timeout once the clock passes TimeoutSeconds, and States.TaskFailed does not catch it', async () => {
    const before = fns.tokens.length;
    const arn = await start('timeout', { caseId: 't1' });
    const token = await nextToken(before);
    clock.advance(299_000);
    engine.wake();
    await new Promise((r) => setTimeout(r, 150));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    clock.advance(2_000);
    engine.wake();
    const d = await waitForEnd(sfn, arn);
    expect(JSON.parse(d.output ?? '')).toEqual({ timedOut: true, error: 'States.Timeout' });
    expect((await history(sfn, arn)).map((e) => e.type)).toContain('TaskTimedOut');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  test('heartbeats keep a task alive; a missed heartbeat fails it with States.HeartbeatTimeout', async () => {
    const before = fns.tokens.length;
    const arn = await start('heartbeat', { caseId: 'h1' });
    const token = await nextToken(before);
    clock.advance(50_000);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    clock.advance(50_000); // 100 s after the start, 50 s after the heartbeat
    engine.wake();
    await new Promise((r) => setTimeout(r, 150));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
    clock.advance(20_000); // 70 s without a heartbeat
    engine.wake();
    const d = await waitForEnd(sfn, arn);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  test('the execution TimeoutSeconds ends a waiting execution as TIMED_OUT', async () => {
    const before = fns.tokens.length;
    const arn = await start('execution-timeout', { caseId: 'x1' });
    await nextToken(before);
    clock.advance(601_000);
    engine.wake();
    const d = await waitForEnd(sfn, arn);
    expect(d.status).toBe('TIMED_OUT');
    expect((await history(sfn, arn)).at(-1)?.type).toBe('ExecutionTimedOut');
  });
});

describe('API operations', () => {
  test('StartExecution is idempotent by name and input while running; another input is ExecutionAlreadyExists', async () => {
    const input = JSON.stringify({ caseId: 'idem' });
    const arn = engine.stateMachineArn('callback');
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'idem-1', input }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'idem-1', input }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'idem-1', input: '{"other":1}' }))).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    // Closed: even the same input is refused now, as in AWS.
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'idem-1', input }))).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    // Without a name the execution gets a UUID.
    const unnamed = await sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn('choice'), input: '{"score":99}' }));
    expect(unnamed.executionArn?.split(':').pop()).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('StopExecution aborts a waiting execution with its error and cause, and a late token answers TaskTimedOut', async () => {
    const before = fns.tokens.length;
    const arn = await start('callback', { caseId: 'stop' });
    const token = await nextToken(before);
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Withdrawn', cause: 'the parent withdrew the complaint' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Withdrawn', cause: 'the parent withdrew the complaint' });
    expect(d.stopDate).toBeInstanceOf(Date);
    expect((await history(sfn, arn)).at(-1)).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Withdrawn' } });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
    // Nothing more happens to it afterwards.
    await new Promise((r) => setTimeout(r, 100));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('ABORTED');
  });

  test('ListExecutions filters by status and pages with nextToken, newest first', async () => {
    const sm = engine.stateMachineArn('choice');
    const existing = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm }))).executions ?? [];
    for (const score of [95, 96, 1]) await runToEnd('choice', { score });
    const succeeded = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, statusFilter: 'SUCCEEDED' }))).executions ?? [];
    const failed = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, statusFilter: 'FAILED' }))).executions ?? [];
    expect(succeeded.length + failed.length).toBe(existing.length + 3);
    expect(failed.every((e) => e.status === 'FAILED')).toBe(true);
    expect(succeeded.every((e) => e.status === 'SUCCEEDED' && e.stopDate instanceof Date)).toBe(true);
    const paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm, maxResults: 2, nextToken }));
      expect((page.executions ?? []).length).toBeLessThanOrEqual(2);
      paged.push(...(page.executions ?? []).map((e) => e.executionArn ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(new Set(paged).size).toBe(existing.length + 3);
    const all = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: sm }))).executions ?? [];
    const dates = all.map((e) => e.startDate?.getTime() ?? 0);
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  test('GetExecutionHistory returns the events with ids, dates and details, reversed and paged', async () => {
    const r = await runToEnd('lambda-chain', { a: 1, b: 1 });
    const events = await history(sfn, r.arn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[1]).toMatchObject({ previousEventId: 1, stateEnteredEventDetails: { name: 'Add' } });
    expect(events[0].timestamp).toBeInstanceOf(Date);
    expect(JSON.parse(events[0].executionStartedEventDetails?.input ?? '')).toEqual({ a: 1, b: 1 });
    expect(events[2].taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke' });
    expect(JSON.parse(events[4].taskSucceededEventDetails?.output ?? '')).toMatchObject({ StatusCode: 200 });
    expect(JSON.parse(events.at(-1)?.executionSucceededEventDetails?.output ?? '')).toEqual(r.json);

    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn: r.arn, reverseOrder: true, maxResults: 5 }));
    expect(reversed.events?.map((e) => e.id)).toEqual([12, 11, 10, 9, 8]);
    const rest = await sfn.send(new GetExecutionHistoryCommand({ executionArn: r.arn, reverseOrder: true, maxResults: 100, nextToken: reversed.nextToken }));
    expect(rest.events?.map((e) => e.id)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(rest.nextToken).toBeUndefined();
  });

  test('DescribeStateMachine and ListStateMachines describe the configured machines', async () => {
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: engine.stateMachineArn('choice') }));
    expect(d).toMatchObject({ name: 'choice', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(d.definition ?? '')).toEqual(loadMachine('choice').definition);
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((m) => m.name).sort()).toEqual([...MACHINES].sort());
  });

  test('errors carry the real codes', async () => {
    const unknownExec = 'arn:aws:states:local:000000000000:execution:choice:nope';
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: unknownExec }))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' }))).rejects.toMatchObject({ name: 'InvalidArn' });
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:missing' })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn('choice'), name: 'bad name' }))).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))).rejects.toMatchObject({ name: 'InvalidToken' });
    const before = fns.tokens.length;
    const arn = await start('callback', { caseId: 'errors' });
    const token = await nextToken(before);
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' }))).rejects.toMatchObject({ name: 'InvalidOutput' });
    await sfn.send(new StopExecutionCommand({ executionArn: arn }));

    const res = await fetch(engine.endpoint, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSStepFunctions.CreateActivity', 'Content-Type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });

  test('the unchanged SDK reaches the endpoint through AWS_ENDPOINT_URL_SFN', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_SFN;
    process.env.AWS_ENDPOINT_URL_SFN = engine.endpoint;
    const client = new SFNClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const list = await client.send(new ListStateMachinesCommand({}));
      expect(list.stateMachines?.length).toBe(MACHINES.length);
    } finally {
      client.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SFN;
      else process.env.AWS_ENDPOINT_URL_SFN = saved;
    }
  });
});

describe('definitions', () => {
  test.each([
    ['QueryLanguage JSONata', { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, /JSONata/],
    ['Assign', { StartAt: 'P', States: { P: { Type: 'Pass', Assign: { x: 1 }, End: true } } }, /Assign/],
    ['Arguments', { StartAt: 'P', States: { P: { Type: 'Pass', Arguments: {}, End: true } } }, /Arguments/],
    ['an unsupported resource', { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }, /not supported/],
  ])('a definition using %s is rejected at start with a clear error', async (_what, definition, message) => {
    await expect(
      startLocalStepFunctions({ journalFile: newJournalFile(), stateMachines: [{ name: 'bad', definition }], invokeFunction: fns.invoke }),
    ).rejects.toThrow(message);
  });
});
