// Executions survive the engine: a stop() and restart in this process, and a SIGKILL of an engine process.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { startLocalStepFunctions, type LocalStepFunctions } from '../../local/stepfunctions';
import { FakeFunctions, TestClock, history, loadMachine, newJournalFile, sfnClient, waitFor, waitForEnd, waitForStep } from './fixtures/sfn/harness';

jest.setTimeout(60_000);

function engineFor(journalFile: string, fns: FakeFunctions, clock = new TestClock()): Promise<LocalStepFunctions> {
  return startLocalStepFunctions({
    journalFile,
    stateMachines: [loadMachine('durable'), loadMachine('wait')],
    invokeFunction: fns.invoke,
    now: clock.now,
  });
}

function expectCleanHistory(events: Awaited<ReturnType<typeof history>>): void {
  expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
  const count = (type: string) => events.filter((e) => e.type === type).length;
  expect(count('ExecutionStarted')).toBe(1);
  expect(count('TaskScheduled')).toBe(3);
  expect(count('TaskSucceeded')).toBe(3);
  expect(count('WaitStateEntered')).toBe(1);
  expect(count('ExecutionSucceeded')).toBe(1);
}

test('an execution waiting on a task token survives an engine restart, and finished steps are not run again', async () => {
  const journal = newJournalFile();
  const first = new FakeFunctions();
  const engine1 = await engineFor(journal, first);
  const sfn1 = sfnClient(engine1.endpoint);
  const { executionArn } = await sfn1.send(
    new StartExecutionCommand({ stateMachineArn: engine1.stateMachineArn('durable'), name: 'case-42', input: JSON.stringify({ caseId: 'case-42' }) }),
  );
  const token = await waitFor('the approval token', () => first.tokens[0]);
  await waitForStep(journal, executionArn ?? '', 'Approve', true);
  expect([first.count('prepare'), first.count('notify')]).toEqual([1, 1]);
  sfn1.destroy();
  await engine1.stop();

  const second = new FakeFunctions();
  const engine2 = await engineFor(journal, second);
  const sfn2 = sfnClient(engine2.endpoint);
  try {
    await sfn2.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ by: 'inspector' }) }));
    const done = await waitForEnd(sfn2, executionArn ?? '');
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toEqual({ summary: { caseId: 'case-42', prepared: 'prepared-case-42', decision: { by: 'inspector' } } });
    expect([second.count('prepare'), second.count('notify'), second.count('finish')]).toEqual([0, 0, 1]);
    expectCleanHistory(await history(sfn2, executionArn ?? ''));
  } finally {
    sfn2.destroy();
    await engine2.stop();
  }
});

test('a Wait whose time passed while the engine was down continues at once on restart', async () => {
  const journal = newJournalFile();
  const clock = new TestClock();
  const engine1 = await engineFor(journal, new FakeFunctions(), clock);
  const sfn1 = sfnClient(engine1.endpoint);
  const until = new Date(clock.now() + 7200_000).toISOString();
  const { executionArn = '' } = await sfn1.send(
    new StartExecutionCommand({ stateMachineArn: engine1.stateMachineArn('wait'), input: JSON.stringify({ holdSeconds: 3600, until }) }),
  );
  await waitForStep(journal, executionArn, 'Hold');
  sfn1.destroy();
  await engine1.stop();

  clock.advance(3 * 3600_000); // both waits are over while nothing runs
  const engine2 = await engineFor(journal, new FakeFunctions(), clock);
  const sfn2 = sfnClient(engine2.endpoint);
  try {
    const done = await waitForEnd(sfn2, executionArn, 3000);
    expect(done.status).toBe('SUCCEEDED');
  } finally {
    sfn2.destroy();
    await engine2.stop();
  }
});

interface EngineProcess {
  child: ChildProcess;
  endpoint: string;
  invocations: string[];
  tokens: string[];
}

/** Starts test/integration/fixtures/sfn/engine-process.ts with `npx tsx`, in its own process group. */
async function spawnEngine(journalFile: string): Promise<EngineProcess> {
  const child = spawn('npx', ['tsx', join(__dirname, 'fixtures/sfn/engine-process.ts')], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, JOURNAL_FILE: journalFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const proc: EngineProcess = { child, endpoint: '', invocations: [], tokens: [] };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let msg: { event?: string; endpoint?: string; fn?: string; payload?: { token?: string } };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    if (msg.event === 'ready' && msg.endpoint) proc.endpoint = msg.endpoint;
    if (msg.event === 'invoke' && msg.fn) {
      proc.invocations.push(msg.fn);
      if (msg.payload?.token) proc.tokens.push(msg.payload.token);
    }
  });
  await waitFor(
    'the engine process to be ready',
    () => {
      if (child.exitCode !== null) throw new Error(`engine process exited ${child.exitCode}: ${stderr}`);
      return proc.endpoint || undefined;
    },
    30_000,
  );
  return proc;
}

/** SIGKILL to the whole group (npx → tsx → node), so the engine dies without any chance to clean up. */
async function killHard(proc: EngineProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  process.kill(-(proc.child.pid ?? 0), 'SIGKILL');
  await exited;
}

test('an execution parked on a task token survives a SIGKILL of the engine process', async () => {
  const journal = newJournalFile();
  const p1 = await spawnEngine(journal);
  let p2: EngineProcess | undefined;
  let sfn: SFNClient | undefined;
  try {
    sfn = sfnClient(p1.endpoint);
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:durable',
        name: 'killed-case',
        input: JSON.stringify({ caseId: 'k-1' }),
      }),
    );
    const token = await waitFor('the approval token', () => p1.tokens[0]);
    // Let the engine record that the notify function returned, then kill it without warning.
    await waitForStep(journal, executionArn, 'Approve', true);
    await killHard(p1);
    sfn.destroy();

    p2 = await spawnEngine(journal);
    sfn = sfnClient(p2.endpoint);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ by: 'after-crash' }) }));
    const done = await waitForEnd(sfn, executionArn, 15_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toEqual({ summary: { caseId: 'k-1', prepared: 'prepared-k-1', decision: { by: 'after-crash' } } });
    expect(p1.invocations).toEqual(['prepare', 'notify']);
    expect(p2.invocations).toEqual(['finish']);
    expectCleanHistory(await history(sfn, executionArn));
  } finally {
    sfn?.destroy();
    if (p1.child.exitCode === null && p1.child.signalCode === null) await killHard(p1);
    if (p2 && p2.child.exitCode === null && p2.child.signalCode === null) await killHard(p2);
  }
});
