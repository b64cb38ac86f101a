// A local AWS Step Functions endpoint: the real JSON 1.0 protocol over HTTP, ASL (JSONPath) run by
// aws-local-stepfunctions, and executions journaled in a file so they survive restarts (even SIGKILL).
// See definition.ts (what is rewritten and why), runner.ts (record and replay) and journal.ts (storage).
import { DeadlineScheduler } from './clock';
import { compileDefinition } from './definition';
import { Engine, stateMachineArnOf } from './engine';
import { statesTimeoutErrorClass } from './errors';
import { listen } from './http';
import { Journal } from './journal';

export interface LocalStateMachine {
  name: string;
  definition: Record<string, unknown> /* ASL with substitutions already applied */;
}

export interface LocalStepFunctionsOptions {
  journalFile: string; // the journal (JSON lines, fsynced); created with its folder if missing
  stateMachines: LocalStateMachine[]; // ARN: arn:aws:states:local:000000000000:stateMachine:<name>
  invokeFunction(functionArn: string, payload: unknown): Promise<unknown>; // runs a Lambda handler in-process; throws on function error
  now?: () => number; // injectable clock in ms (default Date.now); ALL deadlines use it
  port?: number; // default: a free port on 127.0.0.1
  log?: (msg: string) => void;
}

export interface LocalStepFunctions {
  endpoint: string; // http://127.0.0.1:<port>
  stateMachineArn(name: string): string;
  /** What the journal has written since start: changes (lines), flushes (write + fdatasync), bytes and compactions. */
  journalStats(): { lines: number; flushes: number; bytes: number; compactions: number };
  /** Re-check timers/deadlines against now() immediately (tests move the clock, then call this). */
  wake(): void;
  /** Stops the HTTP server and abandons in-memory runs WITHOUT marking them: they stay RUNNING in the journal and resume on the next start. */
  stop(): Promise<void>;
}

export async function startLocalStepFunctions(opts: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => undefined);
  // Compile first: an unsupported definition (JSONata, Assign, unknown resource) fails before anything starts.
  const machines = opts.stateMachines.map((m) => compileDefinition(m.name, stateMachineArnOf(m.name), m.definition));
  const journal = await Journal.open(opts.journalFile, { now });
  const scheduler = new DeadlineScheduler(now);
  const engine = new Engine(journal, machines, scheduler, {
    now,
    log,
    invokeFunction: (arn, payload) => opts.invokeFunction(arn, payload),
    timeoutErrorClass: await statesTimeoutErrorClass(),
  });
  const server = await listen((op, body) => engine.handle(op, body), opts.port ?? 0, log);
  const resumed = await engine.resumeAll();
  log(`local Step Functions on ${server.endpoint} (${machines.length} state machines, ${resumed} executions resumed)`);
  return {
    endpoint: server.endpoint,
    stateMachineArn: stateMachineArnOf,
    journalStats: () => journal.stats(),
    wake: () => scheduler.wake(),
    async stop() {
      await engine.stop();
      scheduler.stop();
      await server.stop();
      await journal.close();
    },
  };
}
