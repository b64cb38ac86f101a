// One execution in memory: runs the compiled definition on aws-local-stepfunctions and makes it durable by
// record and replay. Every Task (and rewritten Wait) goes through runStep(), keyed by
// state name + hash of its input + occurrence of that pair in this run. A step already final in the
// journal is answered from it without running again; a step still open re-arms its deadlines from the
// absolute times it stored and, for a callback task whose function already ran, just parks again.
// History events get consecutive ids; a replay regenerates the same sequence and skips the ids the
// journal already holds, so a restart neither loses nor duplicates events.
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { DeadlineScheduler } from './clock';
import { TASK_TOKEN_SENTINEL, type CompiledMachine, type TaskSpec } from './definition';
import { AbandonedError, taskFailure } from './errors';
import { deepReplaceString, evalReferencePath, hashJson, isObject, toJson, type Json } from './json';
import type { ExecutionRecord, ExecutionStatus, HistoryEventRecord, Journal, StepRecord } from './journal';
import { encodeToken } from './token';

type LibraryRun = ReturnType<StateMachine['run']>;
type LibraryEvent = LibraryRun['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

export interface RunnerDeps {
  journal: Journal;
  scheduler: DeadlineScheduler;
  now: () => number;
  invokeFunction(functionArn: string, payload: unknown): Promise<unknown>;
  log(msg: string): void;
  timeoutErrorClass: new () => Error;
  /** Called once the run has closed the execution (or been abandoned). */
  onDone(run: ExecutionRun): void;
}

interface Waiter {
  settle(record: StepRecord): void;
  fail(err: Error): void;
  heartbeat?(atMs: number): void;
}

const ROLE_ARN = 'arn:aws:iam::000000000000:role/local-stepfunctions';
const TIMEOUT_ERRORS = new Set(['States.Timeout', 'States.HeartbeatTimeout']);

export class ExecutionRun {
  readonly executionArn: string;
  private abandoned = false;
  /** A terminal transition (stop, execution timeout) was decided outside the library's own result. */
  private closing = false;
  private nextEventId: number;
  private pendingEvents: HistoryEventRecord[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly occurrences = new Map<string, number>();
  /** States whose latest failure came from the journal: their Retry pause already happened before. */
  private readonly replayedFailures = new Set<string>();
  private readonly waiters = new Map<string, Waiter>();
  private abortLibrary: () => void = () => undefined;
  private eventsDone: Promise<void> = Promise.resolve();
  private cancelExecutionTimeout: () => void = () => undefined;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly machine: CompiledMachine,
    private readonly exec: ExecutionRecord,
    /** Highest event id already in the journal (1 = only ExecutionStarted). */
    private readonly writtenUpTo: number,
  ) {
    this.executionArn = exec.executionArn;
    this.nextEventId = 2;
  }

  start(): void {
    const input = JSON.parse(this.exec.input) as Json;
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [name, spec] of this.machine.tasks) handlers[name] = (i) => this.runStep(spec, i);
    // Looked up by the library at each failure: a replayed failure retries at once (its pause is past).
    const retryIntervalOverrides = new Proxy<Record<string, number>>(
      {},
      { get: (_t, prop) => (typeof prop === 'string' && this.replayedFailures.has(prop) ? 0 : undefined) },
    );
    const sm = new StateMachine(this.machine.libraryDefinition as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    const run = sm.run(input, {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
      context: this.contextObject(input),
      noThrowOnAbort: true,
    });
    this.abortLibrary = run.abort;
    this.eventsDone = this.consumeEvents(run.eventLogs);
    if (this.machine.timeoutSeconds !== undefined) {
      const deadline = this.exec.startMs + this.machine.timeoutSeconds * 1000;
      this.cancelExecutionTimeout = this.deps.scheduler.at(deadline, () => {
        void this.terminate('TIMED_OUT', 'States.Timeout', `Execution timed out after ${this.machine.timeoutSeconds} seconds`);
      });
    }
    void this.awaitResult(run.result);
  }

  /** Stops this run in memory without writing anything more: the execution stays RUNNING in the journal. */
  async abandon(): Promise<void> {
    if (this.abandoned) return;
    this.abandoned = true;
    this.releaseAll();
    await Promise.allSettled([...this.inflight, this.flushing]);
  }

  /** StopExecution and execution timeouts: close the execution now and unwind the library run. */
  async terminate(status: 'ABORTED' | 'TIMED_OUT', error: string | undefined, cause: string | undefined): Promise<{ closed: boolean; stopMs: number }> {
    const stopMs = this.deps.now();
    if (this.abandoned || this.closing) return { closed: false, stopMs };
    this.closing = true;
    this.releaseAll();
    const type = status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut';
    const detailsKey = status === 'ABORTED' ? 'executionAbortedEventDetails' : 'executionTimedOutEventDetails';
    const closed = await this.close({ status, stopMs, error, cause }, type, detailsKey, { error, cause });
    return { closed, stopMs };
  }

  /** A step was completed from outside (SendTaskSuccess/Failure): hand the final record to the parked task. */
  deliver(key: string, record: StepRecord): void {
    const waiter = this.waiters.get(key);
    if (!waiter) return;
    this.waiters.delete(key);
    waiter.settle(record);
  }

  heartbeat(key: string, atMs: number): void {
    this.waiters.get(key)?.heartbeat?.(atMs);
  }

  // ---- the library run ----

  private contextObject(input: Json): Record<string, unknown> {
    const startTime = new Date(this.exec.startMs).toISOString();
    const execution = { Id: this.exec.executionArn, Name: this.exec.name, RoleArn: ROLE_ARN, Input: input, StartTime: startTime, RedriveCount: 0 };
    const states: Record<string, unknown> = {};
    for (const [name, key] of this.machine.stateKeys) {
      const entry: Record<string, unknown> = { Name: name, RetryCount: 0 };
      Object.defineProperty(entry, 'EnteredTime', { enumerable: true, get: () => new Date(this.deps.now()).toISOString() });
      states[key] = entry;
    }
    return {
      Execution: execution,
      StateMachine: { Id: this.machine.arn, Name: this.machine.name },
      // Paths the definition compiler redirected here (see definition.ts).
      __sfn: { taskToken: TASK_TOKEN_SENTINEL, execution, states },
    };
  }

  private async awaitResult(result: Promise<unknown>): Promise<void> {
    let outcome: { status: 'SUCCEEDED'; output: string } | { status: 'FAILED'; error: string; cause: string };
    try {
      const output = await result;
      outcome = { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) };
    } catch (err) {
      const inner = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      outcome =
        inner instanceof Error
          ? { status: 'FAILED', error: inner.name, cause: inner.message }
          : { status: 'FAILED', error: 'States.Runtime', cause: String(inner) };
    }
    // The library closes its event log right after the result; take its last events (the final
    // StateExited) into the history before the terminal event.
    await this.eventsDone;
    if (this.abandoned || this.closing) return;
    this.closing = true;
    this.cancelExecutionTimeout();
    try {
      if (outcome.status === 'SUCCEEDED') {
        await this.close({ status: 'SUCCEEDED', stopMs: this.deps.now(), output: outcome.output }, 'ExecutionSucceeded', 'executionSucceededEventDetails', {
          output: outcome.output,
          outputDetails: { truncated: false },
        });
      } else {
        await this.close({ status: 'FAILED', stopMs: this.deps.now(), error: outcome.error, cause: outcome.cause }, 'ExecutionFailed', 'executionFailedEventDetails', {
          error: outcome.error,
          cause: outcome.cause,
        });
      }
    } catch (err) {
      this.deps.log(`execution ${this.executionArn}: could not record its end: ${String(err)}`);
    }
  }

  private async close(
    close: { status: Exclude<ExecutionStatus, 'RUNNING'>; stopMs: number; output?: string; error?: string; cause?: string },
    type: string,
    detailsKey: string,
    details: Record<string, unknown>,
  ): Promise<boolean> {
    await this.flushing;
    if (this.abandoned) return false;
    const id = Math.max(this.nextEventId++, this.writtenUpTo + 1);
    const closed = await this.track(this.deps.journal.closeExecution(this.executionArn, close, { id, type, timestampMs: close.stopMs, detailsKey, details }));
    if (closed) this.deps.log(`execution ${this.exec.name} ${close.status}`);
    this.deps.onDone(this);
    return closed;
  }

  private releaseAll(): void {
    this.cancelExecutionTimeout();
    this.abortLibrary();
    const waiters = [...this.waiters.values()];
    this.waiters.clear();
    for (const w of waiters) w.fail(new AbandonedError());
  }

  // ---- history ----

  private async consumeEvents(events: AsyncGenerator<LibraryEvent>): Promise<void> {
    try {
      for await (const ev of events) this.onLibraryEvent(ev);
    } catch (err) {
      this.deps.log(`execution ${this.executionArn}: event stream failed: ${String(err)}`);
    }
  }

  private onLibraryEvent(ev: LibraryEvent): void {
    switch (ev.type) {
      case 'StateEntered': {
        const type = this.machine.stateTypes.get(ev.state.name) ?? ev.state.type;
        this.emit(`${type}StateEntered`, 'stateEnteredEventDetails', {
          name: ev.state.name,
          input: JSON.stringify(ev.state.input ?? null),
          inputDetails: { truncated: false },
        });
        break;
      }
      case 'StateExited': {
        const type = this.machine.stateTypes.get(ev.state.name) ?? ev.state.type;
        this.emit(`${type}StateExited`, 'stateExitedEventDetails', {
          name: ev.state.name,
          output: JSON.stringify(ev.state.output ?? null),
          outputDetails: { truncated: false },
        });
        break;
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const detailsKey = `mapIteration${ev.type.slice('MapIteration'.length)}EventDetails`;
        this.emit(ev.type, detailsKey, { name: ev.parentState.name, index: ev.index });
        break;
      }
      default:
        // Execution* events are written by this runner (with the journal's status); StateFailed/Retried/
        // Caught and Parallel branch events have no counterpart in the Step Functions history.
        break;
    }
  }

  private emit(type: string, detailsKey?: string, details?: Record<string, unknown>): void {
    if (this.abandoned || this.closing) return;
    const id = this.nextEventId++;
    if (id <= this.writtenUpTo) return; // written by an earlier run of this execution
    this.pendingEvents.push({ id, type, timestampMs: this.deps.now(), detailsKey, details });
    this.flushing = this.flushing.then(() => this.flushEvents());
  }

  private async flushEvents(): Promise<void> {
    const batch = this.pendingEvents;
    this.pendingEvents = [];
    if (batch.length === 0 || this.abandoned) return;
    try {
      await this.deps.journal.putEvents(this.executionArn, batch);
    } catch (err) {
      this.deps.log(`execution ${this.executionArn}: could not write history: ${String(err)}`);
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    const done = () => this.inflight.delete(p);
    p.then(done, done);
    return p;
  }

  // ---- steps ----

  private runStep(spec: TaskSpec, input: Json): Promise<Json> {
    if (this.abandoned || this.closing) return Promise.reject(new AbandonedError());
    // The occurrence is taken synchronously, in the order the library calls us, so a replay numbers alike.
    const base = `${spec.stateName}#${hashJson(input)}`;
    const occurrence = this.occurrences.get(base) ?? 0;
    this.occurrences.set(base, occurrence + 1);
    const key = `${base}#${occurrence}`;
    return (async () => {
      // Let the library's StateEntered event reach the history before this step's own events.
      await new Promise((resolve) => setImmediate(resolve));
      return spec.kind === 'wait' ? this.runWait(spec, key, input) : this.runTask(spec, key, input);
    })();
  }

  private async runWait(spec: TaskSpec, key: string, input: Json): Promise<Json> {
    const wait = spec.wait ?? {};
    const nowMs = this.deps.now();
    let wakeMs: number;
    if (wait.seconds !== undefined) wakeMs = nowMs + wait.seconds * 1000;
    else if (wait.secondsPath !== undefined) {
      const s = evalReferencePath(wait.secondsPath, input);
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) throw taskFailure('States.Runtime', `SecondsPath '${wait.secondsPath}' must point to a non-negative integer`);
      wakeMs = nowMs + s * 1000;
    } else {
      const ts = wait.timestamp ?? evalReferencePath(wait.timestampPath ?? '$', input);
      const parsed = typeof ts === 'string' ? Date.parse(ts) : NaN;
      if (Number.isNaN(parsed)) throw taskFailure('States.Runtime', `Wait '${spec.stateName}': timestamp must be an ISO 8601 string`);
      wakeMs = parsed;
    }
    const record = await this.track(this.deps.journal.beginStep(this.executionArn, { key, status: 'STARTED', startedMs: nowMs, wakeMs }));
    if (this.abandoned || this.closing) throw new AbandonedError();
    if (record.status !== 'STARTED') return input;
    const until = record.wakeMs ?? wakeMs;
    await new Promise<void>((resolve, reject) => {
      const cancel = this.deps.scheduler.at(until, () => {
        this.waiters.delete(key);
        resolve();
      });
      this.waiters.set(key, {
        settle: () => {
          cancel();
          resolve();
        },
        fail: (err) => {
          cancel();
          reject(err);
        },
      });
    });
    if (this.abandoned || this.closing) throw new AbandonedError();
    await this.track(this.deps.journal.completeStep(this.executionArn, key, { status: 'SUCCEEDED', result: 'null' }));
    return input;
  }

  private async runTask(spec: TaskSpec, key: string, rawInput: Json): Promise<Json> {
    const token = encodeToken({ executionArn: this.executionArn, key });
    const input = deepReplaceString(rawInput, TASK_TOKEN_SENTINEL, token);
    const timeoutSeconds = spec.timeoutSeconds ?? secondsAt(spec.timeoutSecondsPath, input, 'TimeoutSecondsPath');
    const heartbeatSeconds = spec.heartbeatSeconds ?? secondsAt(spec.heartbeatSecondsPath, input, 'HeartbeatSecondsPath');
    const callback = spec.kind === 'lambda-callback';
    const names = eventNames(spec);
    if (spec.kind === 'lambda-arn') {
      this.emit('LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', { resource: spec.resource, input: JSON.stringify(input), timeoutInSeconds: timeoutSeconds });
      this.emit('LambdaFunctionStarted');
    } else {
      this.emit('TaskScheduled', 'taskScheduledEventDetails', {
        resourceType: 'lambda',
        resource: names.resource,
        region: 'local',
        parameters: JSON.stringify(input),
        timeoutInSeconds: timeoutSeconds,
        heartbeatInSeconds: heartbeatSeconds,
      });
      this.emit('TaskStarted', 'taskStartedEventDetails', { resourceType: 'lambda', resource: names.resource });
    }

    // The waiter exists before the step does, so a completion that lands right after the write is not lost.
    let cancelTimers: Array<() => void> = [];
    const outcome = new Promise<StepRecord>((resolve, reject) => {
      this.waiters.set(key, { settle: resolve, fail: reject });
    });
    outcome.catch(() => undefined); // observed below; avoid an unhandled rejection if we return early
    let record: StepRecord;
    try {
      record = await this.track(
        this.deps.journal.beginStep(this.executionArn, {
          key,
          status: 'STARTED',
          startedMs: this.deps.now(),
          token: callback ? token : undefined,
          invoked: callback ? false : undefined,
        }),
      );
    } catch (err) {
      this.waiters.delete(key);
      throw err;
    }
    if (this.abandoned || this.closing) throw new AbandonedError();
    const replayed = record.status !== 'STARTED';
    let final: StepRecord;
    if (replayed) {
      this.waiters.delete(key);
      final = record;
    } else {
      const expire = (error: string, cause: string) => () => {
        cancelTimers.forEach((c) => c());
        if (this.abandoned || this.closing) return;
        void this.track(this.deps.journal.completeStep(this.executionArn, key, { status: 'FAILED', error, cause })).then(
          (r) => this.deliver(key, r.record),
          (err: unknown) => this.deps.log(`step ${key}: could not record ${error}: ${String(err)}`),
        );
      };
      if (timeoutSeconds !== undefined) {
        cancelTimers.push(this.deps.scheduler.at(record.startedMs + timeoutSeconds * 1000, expire('States.Timeout', `Task timed out after ${timeoutSeconds} seconds`)));
      }
      if (heartbeatSeconds !== undefined) {
        const onMissedHeartbeat = expire('States.HeartbeatTimeout', `No heartbeat within ${heartbeatSeconds} seconds`);
        let cancelHeartbeat = this.deps.scheduler.at((record.heartbeatMs ?? record.startedMs) + heartbeatSeconds * 1000, onMissedHeartbeat);
        cancelTimers.push(() => cancelHeartbeat());
        const waiter = this.waiters.get(key);
        if (waiter) {
          waiter.heartbeat = (atMs) => {
            cancelHeartbeat();
            cancelHeartbeat = this.deps.scheduler.at(atMs + heartbeatSeconds * 1000, onMissedHeartbeat);
          };
        }
      }
      if (!(callback && record.invoked)) void this.invoke(spec, key, input);
      try {
        final = await outcome;
      } finally {
        cancelTimers.forEach((c) => c());
        cancelTimers = [];
      }
    }
    if (this.abandoned || this.closing) throw new AbandonedError();

    if (final.status === 'SUCCEEDED') {
      this.replayedFailures.delete(spec.stateName);
      const output = final.result ?? 'null';
      this.emit(names.succeeded, names.succeededKey, { ...names.details, output, outputDetails: { truncated: false } });
      return JSON.parse(output) as Json;
    }
    const error = final.error ?? 'States.TaskFailed';
    const cause = final.cause ?? '';
    if (replayed) this.replayedFailures.add(spec.stateName);
    else this.replayedFailures.delete(spec.stateName);
    const timedOut = TIMEOUT_ERRORS.has(error);
    this.emit(timedOut ? names.timedOut : names.failed, timedOut ? names.timedOutKey : names.failedKey, { ...names.details, error, cause });
    if (error === 'States.Timeout') {
      // An instance of the library's own class, so that States.TaskFailed does not match it (as in AWS).
      const err = new this.deps.timeoutErrorClass();
      err.message = cause;
      throw err;
    }
    throw taskFailure(error, cause);
  }

  /** Runs the function; records and delivers its outcome (a callback task records only a failure). */
  private async invoke(spec: TaskSpec, key: string, input: Json): Promise<void> {
    const record = async (outcome: { status: 'SUCCEEDED'; result: string } | { status: 'FAILED'; error: string; cause: string }) => {
      if (this.abandoned || this.closing) return;
      const r = await this.track(this.deps.journal.completeStep(this.executionArn, key, outcome));
      this.deliver(key, r.record);
    };
    try {
      let result: Json;
      if (spec.kind === 'lambda-arn') {
        result = toJson(await this.deps.invokeFunction(spec.resource, input));
      } else {
        if (!isObject(input) || typeof input.FunctionName !== 'string') {
          await record({ status: 'FAILED', error: 'States.Runtime', cause: `${spec.stateName}: Parameters.FunctionName must be a string` });
          return;
        }
        const payload = input.Payload === undefined ? {} : input.Payload;
        const returned = toJson(await this.deps.invokeFunction(input.FunctionName, payload));
        if (spec.kind === 'lambda-callback') {
          if (!this.abandoned && !this.closing) await this.track(this.deps.journal.touchStep(this.executionArn, key, 'invoked', true));
          return; // the task now waits for SendTaskSuccess/SendTaskFailure
        }
        result = { Payload: returned, StatusCode: 200, ExecutedVersion: '$LATEST' };
      }
      await record({ status: 'SUCCEEDED', result: JSON.stringify(result) });
    } catch (err) {
      const errorType = err instanceof Error ? err.name : 'Error';
      const errorMessage = err instanceof Error ? err.message : String(err);
      try {
        await record({ status: 'FAILED', error: errorType, cause: JSON.stringify({ errorMessage, errorType }) });
      } catch (journalErr) {
        this.deps.log(`step ${key}: could not record the function error: ${String(journalErr)}`);
        this.waiters.get(key)?.fail(journalErr instanceof Error ? journalErr : new Error(String(journalErr)));
      }
    }
  }
}

function secondsAt(path: string | undefined, input: Json, field: string): number | undefined {
  if (path === undefined) return undefined;
  const v = evalReferencePath(path, input);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw taskFailure('States.Runtime', `${field} '${path}' must point to a positive integer`);
  return v;
}

function eventNames(spec: TaskSpec) {
  if (spec.kind === 'lambda-arn') {
    return {
      resource: spec.resource,
      details: {},
      succeeded: 'LambdaFunctionSucceeded',
      succeededKey: 'lambdaFunctionSucceededEventDetails',
      failed: 'LambdaFunctionFailed',
      failedKey: 'lambdaFunctionFailedEventDetails',
      timedOut: 'LambdaFunctionTimedOut',
      timedOutKey: 'lambdaFunctionTimedOutEventDetails',
    };
  }
  const resource = spec.kind === 'lambda-callback' ? 'invoke.waitForTaskToken' : 'invoke';
  return {
    resource,
    details: { resourceType: 'lambda', resource },
    succeeded: 'TaskSucceeded',
    succeededKey: 'taskSucceededEventDetails',
    failed: 'TaskFailed',
    failedKey: 'taskFailedEventDetails',
    timedOut: 'TaskTimedOut',
    timedOutKey: 'taskTimedOutEventDetails',
  };
}
