/**
 * Hosts the platform's Lambda handlers in this process: the same files the CDK app bundles, loaded on
 * first use, called with the event their AWS trigger would send and a Lambda-like context.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { functionSpecs, type FunctionName } from '../lib/spec/functions';
import { meter } from './meter';

export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'local';
const ROOT = resolve(__dirname, '..');

export const functionArn = (name: FunctionName): string => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;

type Handler = (event: unknown, context: Context) => Promise<unknown>;
const loaded = new Map<FunctionName, Promise<Handler>>();

function load(name: FunctionName): Promise<Handler> {
  let handler = loaded.get(name);
  if (!handler) {
    const entry = resolve(ROOT, functionSpecs[name].entry);
    handler = import(entry).then((m: { handler?: Handler }) => {
      if (typeof m.handler !== 'function') throw new Error(`${functionSpecs[name].entry} exports no handler`);
      return m.handler;
    });
    loaded.set(name, handler);
  }
  return handler;
}

function lambdaContext(name: FunctionName, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(name),
    memoryLimitInMB: String(functionSpecs[name].memoryMb ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/local/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export function isFunctionName(name: string): name is FunctionName {
  return Object.prototype.hasOwnProperty.call(functionSpecs, name);
}

// A backup holds new invocations at this gate and waits for those in flight: every write to the tables
// happens in a handler, so the tables are still while it reads them (local/backup.ts).
let gate: Promise<void> | undefined;
let inFlight = 0;
const drained: Array<() => void> = [];

/**
 * Holds every new invocation (API requests, workflow tasks, schedules wait, none is refused) and resolves
 * once those in flight have returned, with the function that lets the held ones go.
 */
export async function pauseInvocations(): Promise<() => void> {
  if (gate) throw new Error('invocations are paused already');
  let release!: () => void;
  gate = new Promise<void>((r) => (release = r));
  if (inFlight > 0) await new Promise<void>((r) => drained.push(r));
  return () => {
    gate = undefined;
    release();
  };
}

export async function invokeFunction(name: FunctionName, event: unknown): Promise<unknown> {
  while (gate) await gate;
  inFlight++;
  try {
    return await invokeNow(name, event);
  } finally {
    inFlight--;
    if (inFlight === 0) for (const r of drained.splice(0)) r();
  }
}

async function invokeNow(name: FunctionName, event: unknown): Promise<unknown> {
  const handler = await load(name);
  if (!meter.on) return handler(event, lambdaContext(name, functionSpecs[name].timeoutSeconds ?? 10));
  const started = performance.now();
  const handle = meter.lambdaStarted();
  try {
    return await handler(event, lambdaContext(name, functionSpecs[name].timeoutSeconds ?? 10));
  } finally {
    meter.lambdaInvocation(name, performance.now() - started, handle);
  }
}

/** Resolves a (local) Lambda ARN or bare function name, as Step Functions' lambda:invoke accepts both. */
export function functionNameFromArn(arnOrName: string): FunctionName {
  const name = arnOrName.split(':function:').pop()?.split(':')[0] ?? arnOrName;
  if (!isFunctionName(name)) throw new Error(`No local function ${arnOrName}`);
  return name;
}
