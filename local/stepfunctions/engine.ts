// The Step Functions API operations on top of the journal and the in-memory runs. Field names, error codes
// and idempotency rules follow the real service; dates are returned as epoch seconds (the JSON protocol).
import { randomUUID } from 'node:crypto';
import type { DeadlineScheduler } from './clock';
import type { CompiledMachine } from './definition';
import { SfnApiError } from './errors';
import { isObject } from './json';
import type { ExecutionRecord, ExecutionStatus, HistoryEventRecord, Journal } from './journal';
import { ExecutionRun, type RunnerDeps } from './runner';
import { decodeToken } from './token';

export const REGION = 'local';
export const ACCOUNT = '000000000000';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/local-stepfunctions';
const STATUSES: ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
const NAME_RE = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
const SM_ARN_RE = /^arn:aws[a-z-]*:states:[^:]*:\d{12}:stateMachine:([^:]+)$/;
const EXEC_ARN_RE = /^arn:aws[a-z-]*:states:[^:]*:\d{12}:execution:([^:]+):([^:]+)$/;

export function stateMachineArnOf(name: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
}

export function executionArnOf(machine: string, name: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT}:execution:${machine}:${name}`;
}

type Body = Record<string, unknown>;
const seconds = (ms: number) => ms / 1000;

function optString(body: Body, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new SfnApiError('ValidationException', `${field} must be a string`);
  return v;
}
function reqString(body: Body, field: string): string {
  const v = optString(body, field);
  if (v === undefined) throw new SfnApiError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return v;
}
function optInt(body: Body, field: string, max: number): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new SfnApiError('ValidationException', `${field} must be an integer between 0 and ${max}`);
  return v;
}

/** Opaque pagination token: the offset into an ordered list, tied to what is listed. */
function pageToken(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset }), 'utf8').toString('base64url');
}
function pageOffset(scope: string, token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (isObject(parsed) && parsed.s === scope && typeof parsed.o === 'number') return parsed.o;
  } catch {
    // fall through
  }
  throw new SfnApiError('InvalidToken', 'Invalid pagination token');
}

export class Engine {
  private readonly byArn = new Map<string, CompiledMachine>();
  private readonly runs = new Map<string, ExecutionRun>();
  private readonly createdMs: number;
  private stopped = false;

  constructor(
    private readonly journal: Journal,
    machines: CompiledMachine[],
    private readonly scheduler: DeadlineScheduler,
    private readonly deps: Omit<RunnerDeps, 'journal' | 'scheduler' | 'onDone'>,
  ) {
    for (const m of machines) this.byArn.set(m.arn, m);
    this.createdMs = deps.now();
  }

  /** Re-runs every execution the journal has as RUNNING; recorded steps replay without running again. */
  async resumeAll(): Promise<number> {
    let resumed = 0;
    for (const machine of this.byArn.values()) {
      const executions = await this.journal.listExecutions(machine.arn);
      for (const exec of executions) {
        if (exec.status !== 'RUNNING') continue;
        const events = await this.journal.listEvents(exec.executionArn);
        const writtenUpTo = events.reduce((max, e) => Math.max(max, e.id), 1);
        this.launch(machine, exec, writtenUpTo);
        resumed++;
      }
    }
    return resumed;
  }

  /** Abandons in-memory runs without writing anything: they stay RUNNING and resume on the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    const runs = [...this.runs.values()];
    this.runs.clear();
    await Promise.all(runs.map((r) => r.abandon()));
  }

  async handle(operation: string, body: Body): Promise<unknown> {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(body);
      case 'DescribeExecution':
        return this.describeExecution(body);
      case 'GetExecutionHistory':
        return this.getExecutionHistory(body);
      case 'ListExecutions':
        return this.listExecutions(body);
      case 'StopExecution':
        return this.stopExecution(body);
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(body);
      case 'SendTaskFailure':
        return this.sendTaskFailure(body);
      case 'SendTaskHeartbeat':
        return this.sendTaskHeartbeat(body);
      case 'DescribeStateMachine':
        return this.describeStateMachine(body);
      case 'ListStateMachines':
        return this.listStateMachines(body);
      case 'DescribeStateMachineForExecution': {
        const exec = await this.execution(reqString(body, 'executionArn'));
        return this.describeStateMachine({ stateMachineArn: exec.stateMachineArn });
      }
      default:
        throw new SfnApiError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  // ---- state machines ----

  private machine(arn: string): CompiledMachine {
    if (!SM_ARN_RE.test(arn)) throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    const m = this.byArn.get(arn);
    if (!m) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  private describeStateMachine(body: Body) {
    const m = this.machine(reqString(body, 'stateMachineArn'));
    return {
      stateMachineArn: m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: m.definitionText,
      roleArn: ROLE_ARN,
      type: 'STANDARD',
      creationDate: seconds(this.createdMs),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    };
  }

  private listStateMachines(body: Body) {
    const all = [...this.byArn.values()].sort((a, b) => a.name.localeCompare(b.name));
    const max = optInt(body, 'maxResults', 1000) || 100;
    const offset = pageOffset('sm', optString(body, 'nextToken'));
    const page = all.slice(offset, offset + max);
    return {
      stateMachines: page.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: 'STANDARD', creationDate: seconds(this.createdMs) })),
      nextToken: offset + max < all.length ? pageToken('sm', offset + max) : undefined,
    };
  }

  // ---- executions ----

  private async startExecution(body: Body) {
    if (this.stopped) throw new SfnApiError('ServiceUnavailable', 'The local engine is stopping');
    const machine = this.machine(reqString(body, 'stateMachineArn'));
    const name = optString(body, 'name') ?? randomUUID();
    if (!NAME_RE.test(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const input = optString(body, 'input') ?? '{}';
    try {
      JSON.parse(input);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`);
    }
    const executionArn = executionArnOf(machine.name, name);
    const startMs = this.deps.now();
    const record: ExecutionRecord = { executionArn, stateMachineArn: machine.arn, name, status: 'RUNNING', input, startMs };
    const started: HistoryEventRecord = {
      id: 1,
      type: 'ExecutionStarted',
      timestampMs: startMs,
      detailsKey: 'executionStartedEventDetails',
      details: { input, inputDetails: { truncated: false }, roleArn: ROLE_ARN },
    };
    if (!(await this.journal.createExecution(record, started))) {
      // Same name: idempotent only while that execution runs with the same input (as in AWS).
      const existing = await this.journal.getExecution(executionArn);
      if (existing && existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: seconds(existing.startMs) };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    this.launch(machine, record, 1);
    return { executionArn, startDate: seconds(startMs) };
  }

  private launch(machine: CompiledMachine, exec: ExecutionRecord, writtenUpTo: number): void {
    const run = new ExecutionRun(
      {
        ...this.deps,
        journal: this.journal,
        scheduler: this.scheduler,
        onDone: (r) => {
          if (this.runs.get(r.executionArn) === r) this.runs.delete(r.executionArn);
        },
      },
      machine,
      exec,
      writtenUpTo,
    );
    this.runs.set(exec.executionArn, run);
    run.start();
  }

  private async execution(arn: string): Promise<ExecutionRecord> {
    if (!EXEC_ARN_RE.test(arn)) throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
    const exec = await this.journal.getExecution(arn);
    if (!exec) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return exec;
  }

  private async describeExecution(body: Body) {
    const e = await this.execution(reqString(body, 'executionArn'));
    return {
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: seconds(e.startMs),
      stopDate: e.stopMs === undefined ? undefined : seconds(e.stopMs),
      input: e.input,
      inputDetails: { included: true },
      output: e.output,
      outputDetails: e.output === undefined ? undefined : { included: true },
      error: e.error,
      cause: e.cause,
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  }

  private async listExecutions(body: Body) {
    const machine = this.machine(reqString(body, 'stateMachineArn'));
    const status = optString(body, 'statusFilter');
    if (status !== undefined && !STATUSES.includes(status as ExecutionStatus)) {
      throw new SfnApiError('ValidationException', `Invalid statusFilter '${status}'`);
    }
    const max = optInt(body, 'maxResults', 1000) || 100;
    const scope = `ex:${machine.arn}:${status ?? ''}`;
    const offset = pageOffset(scope, optString(body, 'nextToken'));
    const all = (await this.journal.listExecutions(machine.arn)).filter((e) => status === undefined || e.status === status);
    const page = all.slice(offset, offset + max);
    return {
      executions: page.map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: seconds(e.startMs),
        stopDate: e.stopMs === undefined ? undefined : seconds(e.stopMs),
      })),
      nextToken: offset + max < all.length ? pageToken(scope, offset + max) : undefined,
    };
  }

  private async getExecutionHistory(body: Body) {
    const arn = reqString(body, 'executionArn');
    await this.execution(arn);
    const max = optInt(body, 'maxResults', 1000) || 100;
    const reverse = body.reverseOrder === true;
    const includeData = body.includeExecutionData !== false;
    const scope = `h:${arn}:${reverse ? 'r' : 'f'}`;
    const offset = pageOffset(scope, optString(body, 'nextToken'));
    const events = (await this.journal.listEvents(arn)).sort((a, b) => (reverse ? b.id - a.id : a.id - b.id));
    const page = events.slice(offset, offset + max);
    return {
      events: page.map((e) => {
        const details = e.details && !includeData ? withoutData(e.details) : e.details;
        return {
          id: e.id,
          previousEventId: e.id - 1,
          timestamp: seconds(e.timestampMs),
          type: e.type,
          ...(e.detailsKey && details ? { [e.detailsKey]: details } : {}),
        };
      }),
      nextToken: offset + max < events.length ? pageToken(scope, offset + max) : undefined,
    };
  }

  private async stopExecution(body: Body) {
    const arn = reqString(body, 'executionArn');
    const error = optString(body, 'error');
    const cause = optString(body, 'cause');
    const exec = await this.execution(arn);
    if (exec.status !== 'RUNNING') {
      throw new SfnApiError('ValidationException', `Execution is not running: '${arn}' is ${exec.status}`);
    }
    const run = this.runs.get(arn);
    if (run) {
      const { closed, stopMs } = await run.terminate('ABORTED', error, cause);
      if (closed) return { stopDate: seconds(stopMs) };
    } else {
      // Not running in this engine (e.g. its state machine is gone): close it in the journal directly.
      const stopMs = this.deps.now();
      const events = await this.journal.listEvents(arn);
      const id = events.reduce((max, e) => Math.max(max, e.id), 0) + 1;
      const closed = await this.journal.closeExecution(
        arn,
        { status: 'ABORTED', stopMs, error, cause },
        { id, type: 'ExecutionAborted', timestampMs: stopMs, detailsKey: 'executionAbortedEventDetails', details: { error, cause } },
      );
      if (closed) return { stopDate: seconds(stopMs) };
    }
    const now = await this.journal.getExecution(arn);
    if (now?.status === 'ABORTED' && now.stopMs !== undefined) return { stopDate: seconds(now.stopMs) };
    throw new SfnApiError('ValidationException', `Execution is not running: '${arn}' is ${now?.status ?? 'gone'}`);
  }

  // ---- task tokens ----

  private async openStep(body: Body) {
    const token = reqString(body, 'taskToken');
    const ref = decodeToken(token);
    if (!ref) throw new SfnApiError('InvalidToken', 'Invalid Token');
    const step = await this.journal.getStep(ref.executionArn, ref.key);
    if (!step || step.token !== token) throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
    // AWS answers a token whose task has closed (completed, failed, timed out) with TaskTimedOut.
    if (step.status !== 'STARTED') throw new SfnApiError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    const exec = await this.journal.getExecution(ref.executionArn);
    if (exec?.status !== 'RUNNING') throw new SfnApiError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    return { ref, step };
  }

  private async complete(body: Body, outcome: { status: 'SUCCEEDED'; result: string } | { status: 'FAILED'; error: string; cause: string }) {
    const { ref } = await this.openStep(body);
    const r = await this.journal.completeStep(ref.executionArn, ref.key, outcome);
    if (!r.won) throw new SfnApiError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    this.runs.get(ref.executionArn)?.deliver(ref.key, r.record);
    return {};
  }

  private sendTaskSuccess(body: Body) {
    const output = reqString(body, 'output');
    try {
      JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', `Invalid Output: '${output.slice(0, 100)}'`);
    }
    return this.complete(body, { status: 'SUCCEEDED', result: output });
  }

  private sendTaskFailure(body: Body) {
    return this.complete(body, { status: 'FAILED', error: optString(body, 'error') ?? '', cause: optString(body, 'cause') ?? '' });
  }

  private async sendTaskHeartbeat(body: Body) {
    const { ref } = await this.openStep(body);
    const at = this.deps.now();
    if (!(await this.journal.touchStep(ref.executionArn, ref.key, 'heartbeatMs', at))) {
      throw new SfnApiError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    }
    this.runs.get(ref.executionArn)?.heartbeat(ref.key, at);
    return {};
  }
}

/** includeExecutionData=false: drop inputs, outputs and parameters from event details. */
function withoutData(details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) if (!['input', 'output', 'parameters'].includes(k)) out[k] = v;
  return out;
}
