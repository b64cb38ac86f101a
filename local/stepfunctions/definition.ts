// Turns an ASL definition (JSONPath only) into what aws-local-stepfunctions can run with our semantics:
//  - Task timeouts/heartbeats are stripped (the library defaults to 60 s, overflows past ~24.8 days and
//    ignores heartbeats) and enforced by the engine from absolute times stored in the journal.
//  - Wait states become Tasks run by a local handler that stores the absolute wake-up time, so a restart
//    only waits for what remains and tests can drive time with an injected clock.
//  - Context-object paths the library cannot serve correctly ($$.Task.Token per task, $$.State.*, and
//    $$.Execution.Input/StartTime, which it overwrites per run and per Map iteration) are redirected to a
//    private `__sfn` part of the context object that the engine fills.
import { isObject } from './json';

export type TaskKind = 'lambda-invoke' | 'lambda-callback' | 'lambda-arn' | 'wait';

export interface WaitSpec {
  seconds?: number;
  secondsPath?: string;
  timestamp?: string;
  timestampPath?: string;
}

export interface TaskSpec {
  stateName: string;
  kind: TaskKind;
  /** The Resource as written in the definition (the rewritten Wait has none). */
  resource: string;
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
  heartbeatSeconds?: number;
  heartbeatSecondsPath?: string;
  wait?: WaitSpec;
}

export interface CompiledMachine {
  name: string;
  arn: string;
  definitionText: string;
  libraryDefinition: Record<string, unknown>;
  tasks: Map<string, TaskSpec>;
  /** Original Type of every state (a rewritten Wait is still reported as a Wait in the history). */
  stateTypes: Map<string, string>;
  /** State name → key under `$$.__sfn.states` that serves $$.State.* for that state. */
  stateKeys: Map<string, string>;
  /** Execution-level TimeoutSeconds, enforced by the engine. */
  timeoutSeconds?: number;
}

/** What `$$.Task.Token` evaluates to inside the library; the task wrapper swaps in the real token. */
export const TASK_TOKEN_SENTINEL = '__local_sfn_task_token_5f2c9e__';
/** Largest timeout the library's setTimeout accepts without overflowing (2^31-1 ms, about 24.8 days). */
export const LIBRARY_TASK_TIMEOUT_SECONDS = 2_147_483;
export const WAIT_RESOURCE = 'arn:aws:states:::local:wait';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/;
const UNSUPPORTED_FIELDS = ['Assign', 'Arguments', 'Output', 'Items', 'ItemReader', 'ResultWriter', 'ItemBatcher', 'Credentials'];
const CONTEXT_PATH = /\$\$\.(Task\.Token|Execution\.Input|Execution\.StartTime|State\.Name|State\.EnteredTime|State\.RetryCount)(?![A-Za-z0-9_])/g;

export class DefinitionError extends Error {
  constructor(machine: string, message: string) {
    super(`State machine '${machine}': ${message}`);
    this.name = 'DefinitionError';
  }
}

export function compileDefinition(name: string, arn: string, definition: Record<string, unknown>): CompiledMachine {
  const fail = (message: string): never => {
    throw new DefinitionError(name, message);
  };
  if (definition.QueryLanguage === 'JSONata') fail('QueryLanguage JSONata is not supported locally; use JSONPath');
  const compiled: CompiledMachine = {
    name,
    arn,
    definitionText: JSON.stringify(definition),
    libraryDefinition: {},
    tasks: new Map(),
    stateTypes: new Map(),
    stateKeys: new Map(),
  };
  if (typeof definition.TimeoutSeconds === 'number') compiled.timeoutSeconds = definition.TimeoutSeconds;

  const rewriteMachine = (machine: unknown, where: string): Record<string, unknown> => {
    if (!isObject(machine) || !isObject(machine.States) || typeof machine.StartAt !== 'string') {
      return fail(`${where} needs StartAt and States`);
    }
    if (machine.QueryLanguage === 'JSONata') fail(`${where}: QueryLanguage JSONata is not supported locally`);
    const states: Record<string, unknown> = {};
    for (const [stateName, raw] of Object.entries(machine.States)) {
      if (!isObject(raw) || typeof raw.Type !== 'string') return fail(`state '${stateName}' has no Type`);
      if (compiled.stateTypes.has(stateName)) fail(`state name '${stateName}' is used twice (names must be unique in the whole machine)`);
      compiled.stateTypes.set(stateName, raw.Type);
      const stateKey = `s${compiled.stateKeys.size}`;
      compiled.stateKeys.set(stateName, stateKey);
      states[stateName] = rewriteState(stateName, stateKey, raw);
    }
    const out: Record<string, unknown> = { StartAt: machine.StartAt, States: states };
    if (typeof machine.Comment === 'string') out.Comment = machine.Comment;
    return out;
  };

  const rewriteState = (stateName: string, stateKey: string, raw: Record<string, unknown>): Record<string, unknown> => {
    if (raw.QueryLanguage === 'JSONata') fail(`state '${stateName}': QueryLanguage JSONata is not supported locally`);
    for (const field of UNSUPPORTED_FIELDS) {
      if (field in raw) fail(`state '${stateName}': field '${field}' is not supported locally (JSONPath states only)`);
    }
    const state: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === 'Iterator' || k === 'ItemProcessor') state[k] = rewriteMachine(v, `state '${stateName}' ${k}`);
      else if (k === 'Branches') {
        if (!Array.isArray(v)) fail(`state '${stateName}': Branches must be an array`);
        state[k] = (v as unknown[]).map((b, i) => rewriteMachine(b, `state '${stateName}' branch ${i}`));
      } else state[k] = rewriteContextPaths(v, stateKey);
    }
    if (state.Type === 'Task') return rewriteTask(stateName, state);
    if (state.Type === 'Wait') return rewriteWait(stateName, state);
    return state;
  };

  const rewriteTask = (stateName: string, state: Record<string, unknown>): Record<string, unknown> => {
    const resource = typeof state.Resource === 'string' ? state.Resource : fail(`state '${stateName}' has no Resource`);
    let kind: TaskKind;
    if (resource === LAMBDA_INVOKE) kind = 'lambda-invoke';
    else if (resource === LAMBDA_CALLBACK) kind = 'lambda-callback';
    else if (LAMBDA_ARN.test(resource)) kind = 'lambda-arn';
    else return fail(`state '${stateName}': resource '${resource}' is not supported locally (lambda:invoke, lambda:invoke.waitForTaskToken or a Lambda function ARN)`);
    const spec: TaskSpec = { stateName, kind, resource };
    const num = (field: string): number | undefined => {
      const v = state[field];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return fail(`state '${stateName}': ${field} must be a positive integer`);
      return v;
    };
    const path = (field: string): string | undefined => {
      const v = state[field];
      if (v === undefined) return undefined;
      return typeof v === 'string' ? v : fail(`state '${stateName}': ${field} must be a string`);
    };
    spec.timeoutSeconds = num('TimeoutSeconds');
    spec.heartbeatSeconds = num('HeartbeatSeconds');
    spec.timeoutSecondsPath = path('TimeoutSecondsPath');
    spec.heartbeatSecondsPath = path('HeartbeatSecondsPath');
    compiled.tasks.set(stateName, spec);
    const out: Record<string, unknown> = { ...state };
    delete out.TimeoutSecondsPath;
    delete out.HeartbeatSeconds;
    delete out.HeartbeatSecondsPath;
    out.TimeoutSeconds = LIBRARY_TASK_TIMEOUT_SECONDS;
    return out;
  };

  const rewriteWait = (stateName: string, state: Record<string, unknown>): Record<string, unknown> => {
    const wait: WaitSpec = {};
    if (typeof state.Seconds === 'number') wait.seconds = state.Seconds;
    if (typeof state.SecondsPath === 'string') wait.secondsPath = state.SecondsPath;
    if (typeof state.Timestamp === 'string') wait.timestamp = state.Timestamp;
    if (typeof state.TimestampPath === 'string') wait.timestampPath = state.TimestampPath;
    if (Object.keys(wait).length !== 1) fail(`Wait state '${stateName}' needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath`);
    compiled.tasks.set(stateName, { stateName, kind: 'wait', resource: WAIT_RESOURCE, wait });
    const out: Record<string, unknown> = { Type: 'Task', Resource: WAIT_RESOURCE, TimeoutSeconds: LIBRARY_TASK_TIMEOUT_SECONDS };
    for (const k of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) if (k in state) out[k] = state[k];
    return out;
  };

  compiled.libraryDefinition = rewriteMachine(definition, 'the definition');
  return compiled;
}

/** Rewrites context-object paths inside every string of a state's own fields (paths and intrinsics alike). */
function rewriteContextPaths(value: unknown, stateKey: string): unknown {
  if (typeof value === 'string') {
    return value.replace(CONTEXT_PATH, (_m, what: string) => {
      switch (what) {
        case 'Task.Token':
          return '$$.__sfn.taskToken';
        case 'Execution.Input':
          return '$$.__sfn.execution.Input';
        case 'Execution.StartTime':
          return '$$.__sfn.execution.StartTime';
        default:
          return `$$.__sfn.states.${stateKey}.${what.slice('State.'.length)}`;
      }
    });
  }
  if (Array.isArray(value)) return value.map((v) => rewriteContextPaths(v, stateKey));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = rewriteContextPaths(v, stateKey);
    return out;
  }
  return value;
}
