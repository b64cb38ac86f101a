// The durable journal: one append-only file of JSON lines, replayed into memory at start.
// Each line is one atomic change of one execution, written in full and fsynced before the change is
// acknowledged (writes that arrive while a flush runs share the next one: group commit):
//   {"arn", "exec"?: ExecutionRecord, "steps"?: StepRecord[], "events"?: HistoryEventRecord[]}
// Records are upserts (an execution by ARN, a step by key, an event by id), so replaying a line twice
// changes nothing. A line cut short by a crash can only be the last one: it was never acknowledged and
// is dropped. The file is compacted at every open and, while running, whenever it has doubled (one line
// per execution, written beside it, fsynced, renamed over it); closed executions are dropped 90 days after
// they stopped, as Step Functions keeps them, so file and memory hold running and recent executions only.
//
// Why a file and not DynamoDB Local: in AWS, Step Functions keeps its own history outside the
// application's tables. Journaling in DynamoDB Local cost ~40 requests per execution on the one
// process that also serves every handler's data (bench/workflow.ts measured 77 vs 7,482 transitions/s);
// here a step costs one buffered append and a shared fsync.
//
// Conditions are checked and applied in memory synchronously (Node runs one at a time), so the first of
// two racing completions wins; its caller, and any reader, is answered only once the change is on disk.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

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

/** One line of the journal file. */
export interface JournalLine {
  arn: string;
  exec?: ExecutionRecord;
  steps?: StepRecord[];
  events?: HistoryEventRecord[];
}

interface ExecutionState {
  record: ExecutionRecord;
  steps: Map<string, StepRecord>;
  events: Map<number, HistoryEventRecord>;
}

/** Reads a journal file: its lines, without a last line cut short by a crash. Throws on damage elsewhere. */
export function readJournalFile(file: string): JournalLine[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const parts = text.split('\n');
  const lines: JournalLine[] = [];
  parts.forEach((part, i) => {
    if (part === '') return;
    try {
      const line = JSON.parse(part) as JournalLine;
      if (typeof line.arn !== 'string') throw new Error('no arn');
      lines.push(line);
    } catch (err) {
      // Only the last line can be torn (written, not yet acknowledged, when the process died).
      if (i === parts.length - 1) return;
      throw new Error(`Step Functions journal ${file} is damaged at line ${i + 1}: ${String(err)}`);
    }
  });
  return lines;
}

export interface JournalOptions {
  /** The engine's clock (ms), for retention. */
  now?: () => number;
  /** Closed executions are kept this long after they stopped, as Step Functions keeps them (90 days). */
  retentionDays?: number;
  /** The file is compacted while running once this much was appended and it doubled since the last compaction. */
  compactAfterBytes?: number;
}

const RETENTION_DAYS = 90;
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

interface Pending {
  text: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class Journal {
  private readonly executions = new Map<string, ExecutionState>();
  private readonly byMachine = new Map<string, ExecutionState[]>();
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  /** Settles once every change queued so far is on disk (or the journal failed). */
  private tail: Promise<void> = Promise.resolve();
  private failed: Error | undefined;
  private closed = false;
  private readonly counters = { lines: 0, flushes: 0, bytes: 0, compactions: 0 };

  /** Bytes appended since the file was last compacted, and the size of that compacted file. */
  private appended = 0;
  private compactedBytes = 0;

  private constructor(
    readonly file: string,
    private handle: FileHandle,
    private readonly options: Required<JournalOptions>,
  ) {}

  /** Opens (or creates) the journal file: replays it, compacts it, and appends from there on. */
  static async open(file: string, options: JournalOptions = {}): Promise<Journal> {
    const o: Required<JournalOptions> = { now: Date.now, retentionDays: RETENTION_DAYS, compactAfterBytes: COMPACT_AFTER_BYTES, ...options };
    mkdirSync(dirname(file), { recursive: true });
    const states = new Map<string, ExecutionState>();
    for (const line of readJournalFile(file)) apply(states, line);
    const journal = new Journal(file, await open(file, 'a', 0o600), o);
    for (const state of states.values()) journal.index(state);
    await journal.compact();
    return journal;
  }

  /** What this run has written: changes (lines), flushes (one write + fdatasync each), bytes and compactions. */
  stats(): { lines: number; flushes: number; bytes: number; compactions: number } {
    return { ...this.counters };
  }

  /** Waits for what was queued, then closes the file; later writes fail. */
  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.durable();
    } finally {
      await this.handle.close();
    }
  }

  // ---- executions ----

  /** Creates the execution and its ExecutionStarted event atomically; false if the name is taken. */
  async createExecution(rec: ExecutionRecord, started: HistoryEventRecord): Promise<boolean> {
    if (this.executions.has(rec.executionArn)) {
      await this.durable();
      return false;
    }
    const state: ExecutionState = { record: { ...rec }, steps: new Map(), events: new Map() };
    this.index(state);
    return this.change({ arn: rec.executionArn, exec: state.record, events: [started] }).then(() => true);
  }

  async getExecution(executionArn: string): Promise<ExecutionRecord | undefined> {
    await this.durable();
    const state = this.executions.get(executionArn);
    return state ? { ...state.record } : undefined;
  }

  /** Executions of one state machine, newest first. */
  async listExecutions(stateMachineArn: string): Promise<ExecutionRecord[]> {
    await this.durable();
    return (this.byMachine.get(stateMachineArn) ?? [])
      .map((s) => ({ ...s.record }))
      .sort((a, b) => b.startMs - a.startMs || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  }

  /**
   * Closes a RUNNING execution and appends its terminal event in one line, so that a crash can neither
   * leave a closed execution without its event nor write the event twice. False if already closed.
   */
  async closeExecution(
    executionArn: string,
    close: { status: Exclude<ExecutionStatus, 'RUNNING'>; stopMs: number; output?: string; error?: string; cause?: string },
    event: HistoryEventRecord,
  ): Promise<boolean> {
    const state = this.executions.get(executionArn);
    if (!state || state.record.status !== 'RUNNING') {
      await this.durable();
      return false;
    }
    const record: ExecutionRecord = { ...state.record, status: close.status, stopMs: close.stopMs };
    for (const f of ['output', 'error', 'cause'] as const) if (close[f] !== undefined) record[f] = close[f];
    return this.change({ arn: executionArn, exec: record, events: [event] }).then(() => true);
  }

  // ---- steps ----

  /** Creates the step if it is new; either way returns what the journal holds for it. */
  async beginStep(executionArn: string, step: StepRecord): Promise<StepRecord> {
    const existing = this.state(executionArn).steps.get(step.key);
    if (existing) {
      await this.durable();
      return { ...existing };
    }
    await this.change({ arn: executionArn, steps: [{ ...step }] });
    return step;
  }

  async getStep(executionArn: string, key: string): Promise<StepRecord | undefined> {
    await this.durable();
    const step = this.executions.get(executionArn)?.steps.get(key);
    return step ? { ...step } : undefined;
  }

  /** STARTED → SUCCEEDED/FAILED. Returns the record that is final afterwards and whether this call made it so. */
  async completeStep(
    executionArn: string,
    key: string,
    outcome: { status: 'SUCCEEDED'; result: string } | { status: 'FAILED'; error: string; cause: string },
  ): Promise<{ won: boolean; record: StepRecord }> {
    const existing = this.executions.get(executionArn)?.steps.get(key);
    if (!existing) throw new Error(`Step ${key} does not exist`);
    if (existing.status !== 'STARTED') {
      await this.durable();
      return { won: false, record: { ...existing } };
    }
    const record: StepRecord = { ...existing, ...outcome };
    await this.change({ arn: executionArn, steps: [record] });
    return { won: true, record: { ...record } };
  }

  /** Sets a field on a STARTED step; false if the step is already closed. */
  async touchStep(executionArn: string, key: string, field: 'invoked' | 'heartbeatMs', value: boolean | number): Promise<boolean> {
    const existing = this.executions.get(executionArn)?.steps.get(key);
    if (!existing || existing.status !== 'STARTED') {
      await this.durable();
      return false;
    }
    await this.change({ arn: executionArn, steps: [{ ...existing, [field]: value }] });
    return true;
  }

  // ---- history ----

  /** Writes events whose ids are new (callers skip what a previous run already wrote). */
  async putEvents(executionArn: string, events: HistoryEventRecord[]): Promise<void> {
    if (events.length) await this.change({ arn: executionArn, events });
  }

  async listEvents(executionArn: string): Promise<HistoryEventRecord[]> {
    await this.durable();
    return [...(this.executions.get(executionArn)?.events.values() ?? [])].sort((a, b) => a.id - b.id);
  }

  // ---- storage ----

  private state(executionArn: string): ExecutionState {
    const state = this.executions.get(executionArn);
    if (!state) throw new Error(`Execution ${executionArn} is not in the journal`);
    return state;
  }

  private index(state: ExecutionState): void {
    this.executions.set(state.record.executionArn, state);
    const list = this.byMachine.get(state.record.stateMachineArn) ?? [];
    list.push(state);
    this.byMachine.set(state.record.stateMachineArn, list);
  }

  /**
   * Rewrites the file from memory, one line per execution, and swaps it in atomically (written beside it,
   * fsynced, renamed, the folder fsynced); closed executions past retention are left out, of memory too.
   * Memory may be ahead of the disk by changes still queued: they are in the new file already and are
   * appended again after it, which replays to the same state (every record is an upsert).
   */
  private async compact(): Promise<void> {
    const horizon = this.options.now() - this.options.retentionDays * 86_400_000;
    for (const [arn, state] of this.executions) {
      if (state.record.status !== 'RUNNING' && (state.record.stopMs ?? 0) < horizon) this.forget(arn, state);
    }
    const tmp = `${this.file}.compacting`;
    const fd = openSync(tmp, 'w', 0o600);
    let bytes = 0;
    try {
      for (const state of this.executions.values()) {
        const text = `${JSON.stringify(snapshotLine(state))}\n`;
        bytes += writeSync(fd, text);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    const dir = openSync(dirname(this.file), 'r');
    try {
      fsyncSync(dir); // the rename itself survives a crash
    } finally {
      closeSync(dir);
    }
    const old = this.handle;
    this.handle = await open(this.file, 'a', 0o600);
    await old.close();
    this.appended = 0;
    this.compactedBytes = bytes;
    this.counters.compactions++;
  }

  private forget(arn: string, state: ExecutionState): void {
    this.executions.delete(arn);
    const list = this.byMachine.get(state.record.stateMachineArn);
    if (list) this.byMachine.set(state.record.stateMachineArn, list.filter((s) => s !== state));
  }

  /** Applies a change in memory now and resolves once its line is on disk. */
  private change(line: JournalLine): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closed) return Promise.reject(new Error('The Step Functions journal is closed'));
    apply(this.executions, line);
    const text = `${JSON.stringify(line)}\n`;
    const written = new Promise<void>((resolve, reject) => {
      this.queue.push({ text, resolve, reject });
      this.flushing ??= this.flush();
    });
    // Batches are written in order: this change on disk means every earlier one is too.
    this.tail = written.catch(() => undefined);
    return written;
  }

  /** Resolves once everything queued so far is on disk (what a reader sees has been acknowledged). */
  private async durable(): Promise<void> {
    await this.tail;
    if (this.failed) throw this.failed;
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue;
        this.queue = [];
        try {
          const text = batch.map((p) => p.text).join('');
          await this.handle.appendFile(text);
          await this.handle.datasync();
          const bytes = Buffer.byteLength(text);
          this.counters.lines += batch.length;
          this.counters.flushes++;
          this.counters.bytes += bytes;
          this.appended += bytes;
        } catch (err) {
          // Memory is ahead of the disk now: refuse everything from here on (a restart replays the file).
          this.fail(err, [...batch, ...this.queue]);
          return;
        }
        for (const p of batch) p.resolve();
        // A long-running engine keeps its file near the live state (and lets retention drop the old).
        if (this.appended > Math.max(this.options.compactAfterBytes, this.compactedBytes)) {
          try {
            await this.compact();
          } catch (err) {
            this.fail(err, this.queue);
            return;
          }
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private fail(err: unknown, pending: Pending[]): void {
    this.failed = new Error(`The Step Functions journal could not be written: ${String(err)}`);
    for (const p of pending) p.reject(this.failed);
    this.queue = [];
  }
}

function apply(states: Map<string, ExecutionState>, line: JournalLine): void {
  let state = states.get(line.arn);
  if (line.exec) {
    if (state) state.record = { ...line.exec };
    else {
      state = { record: { ...line.exec }, steps: new Map(), events: new Map() };
      states.set(line.arn, state);
    }
  }
  if (!state) throw new Error(`Journal line for ${line.arn} before its execution`);
  for (const step of line.steps ?? []) state.steps.set(step.key, { ...step });
  for (const event of line.events ?? []) state.events.set(event.id, event);
}

function snapshotLine(state: ExecutionState): JournalLine {
  return {
    arn: state.record.executionArn,
    exec: state.record,
    ...(state.steps.size ? { steps: [...state.steps.values()] } : {}),
    ...(state.events.size ? { events: [...state.events.values()].sort((a, b) => a.id - b.id) } : {}),
  };
}
