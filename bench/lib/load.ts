/**
 * Shared pieces of the throughput benchmarks (bench/submission.ts, bench/surveys.ts): the platform as
 * `npm start` runs it, a raw DynamoDB baseline on the same DynamoDB Local, and a closed-loop load driver
 * that records every request's latency.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest, type AgentOptions } from 'node:http';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../../test/support/platform-process';
import { median, percentile, withRatio, type Measurement } from './report';

export interface BenchPlatform {
  platform: PlatformProcess;
  url: string;
  /**
   * The DynamoDB Local endpoint that `npm start` prints (`DynamoDB Local http://...`): local/main.ts prints
   * `platform.dynamodbEndpoint`, the database itself, not `handlerDynamodbEndpoint` (the fault-injection
   * proxy the handlers go through). The baseline talks to it directly.
   */
  dynamodbEndpoint: string;
  /** CPU time used so far (user + system, ms) by DynamoDB Local's JVM and by the platform's Node process. */
  cpuMs(): ProcessCpu;
  stop(): Promise<void>;
}

export interface ProcessCpu {
  dynamodbLocal: number;
  platform: number;
}

/** CPU ms of a process from /proc/<pid>/stat (utime + stime, clock ticks of 10 ms). */
function cpuOf(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The processes of the platform's process group: DynamoDB Local's JVM and the Node process of local/main.ts. */
function platformPids(groupId: number): { java: string; node: string } {
  let java = '';
  let node = '';
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const pgid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[2]);
      if (pgid !== groupId) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (/^java\0/.test(cmd) || /DynamoDBLocal\.jar/.test(cmd)) java = pid;
      else if (/^node\0.*local\/main\.ts/.test(cmd)) node = pid;
    } catch {
      // gone meanwhile
    }
  }
  if (!java || !node) throw new Error(`platform processes not found in group ${groupId} (java ${java || '?'}, node ${node || '?'})`);
  return { java, node };
}

export async function startBenchPlatform(env?: Record<string, string | undefined>): Promise<BenchPlatform> {
  const platform = await startPlatformProcess({ timeoutMs: 120_000, env });
  // The banner is printed right after the server answers its first health check: wait for it.
  let endpoint: string | undefined;
  for (const deadline = Date.now() + 15_000; !endpoint && Date.now() < deadline; ) {
    endpoint = /DynamoDB Local\s+(http:\/\/\S+)/.exec(platform.output())?.[1];
    if (!endpoint) await new Promise((r) => setTimeout(r, 50));
  }
  if (!endpoint) {
    await stopPlatformProcess(platform);
    throw new Error(`npm start printed no DynamoDB Local endpoint:\n${platform.output()}`);
  }
  const pids = platformPids(platform.child.pid ?? 0);
  return {
    platform,
    url: platform.url,
    dynamodbEndpoint: endpoint,
    cpuMs: () => ({ dynamodbLocal: cpuOf(pids.java), platform: cpuOf(pids.node) }),
    async stop() {
      await stopPlatformProcess(platform);
      // For profiling runs (NODE_OPTIONS=--require <preload> reaches the platform): keep what it printed.
      if (process.env.BENCH_PLATFORM_OUTPUT) writeFileSync(process.env.BENCH_PLATFORM_OUTPUT, platform.output());
    },
  };
}

export interface RawTable {
  name: string;
  /** One conditional PutItem (attribute_not_exists(pk)) of `item` under a fresh pk; false when refused. */
  put(item: Record<string, unknown>): Promise<boolean>;
  destroy(): void;
}

/**
 * The baseline: a table of its own (pk only, on-demand) in the platform's DynamoDB Local, written with
 * the same SDK (DocumentClient, default HTTP agent) the handlers use.
 */
export async function rawTable(endpoint: string, name = `bench-raw-${Date.now()}`): Promise<RawTable> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const docs = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  for (;;) {
    const t = await client.send(new DescribeTableCommand({ TableName: name }));
    if (t.Table?.TableStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    async put(item) {
      try {
        await docs.send(new PutCommand({ TableName: name, Item: { ...item, pk: randomUUID() }, ConditionExpression: 'attribute_not_exists(pk)' }));
        return true;
      } catch {
        return false;
      }
    },
    destroy: () => client.destroy(),
  };
}

export interface LoadResult {
  label: string;
  requests: number;
  errors: number;
  /** Wall time from the first request to the last answer. */
  seconds: number;
  /** Requests per second (answered ones, successful or not). */
  throughput: number;
  latenciesMs: number[];
  p50: number;
  p99: number;
  /** CPU ms per request of DynamoDB Local and of the platform process over the run (when measured). */
  cpuPerRequest?: ProcessCpu;
}

/**
 * A closed loop: `concurrency` clients, each sending its next request as soon as the previous one is
 * answered, until `count` requests have been sent. `op(i)` returns whether request i succeeded; a throw
 * counts as an error.
 */
export async function runLoad(label: string, opts: { concurrency: number; count: number; cpu?: () => ProcessCpu }, op: (i: number, client: number) => Promise<boolean>): Promise<LoadResult> {
  const cpuBefore = opts.cpu?.();
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const client = async (_: unknown, c: number) => {
    for (let i = next++; i < opts.count; i = next++) {
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await op(i, c);
      } catch {
        ok = false;
      }
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = opts.cpu?.();
  const cpuPerRequest =
    cpuBefore && cpuAfter
      ? { dynamodbLocal: (cpuAfter.dynamodbLocal - cpuBefore.dynamodbLocal) / latencies.length, platform: (cpuAfter.platform - cpuBefore.platform) / latencies.length }
      : undefined;
  return { label, requests: latencies.length, errors, seconds, throughput: latencies.length / seconds, latenciesMs: latencies, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuPerRequest };
}

export const fmtLoad = (r: LoadResult) =>
  `${r.label}: ${r.requests} req in ${r.seconds.toFixed(1)} s = ${r.throughput.toFixed(1)}/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}` +
  (r.cpuPerRequest ? `, CPU per request: DynamoDB Local ${r.cpuPerRequest.dynamodbLocal.toFixed(1)} ms, platform ${r.cpuPerRequest.platform.toFixed(1)} ms` : '');

/**
 * Where the time goes on a CPU-bound machine: the CPU per request of DynamoDB Local (platform runs against
 * the raw runs) and of the platform process, as report rows; none when the runs did not measure it.
 */
export function cpuMeasurements(bench: string, platformRuns: LoadResult[], rawRuns: LoadResult[]): Measurement[] {
  const platform = cpuOfRuns(platformRuns);
  const raw = cpuOfRuns(rawRuns);
  if (!platform || !raw) return [];
  return [
    withRatio({ bench, metric: 'DynamoDB Local CPU per request', value: platform.dynamodbLocal, baseline: raw.dynamodbLocal, unit: 'ms', note: 'JVM user+system time over each run / requests; baseline: the raw PutItem runs' }),
    { bench, metric: 'platform process CPU per request', value: platform.platform, unit: 'ms', note: 'gateway, handlers, SDK, local KMS and Step Functions, in one Node process' },
  ];
}

/** Median CPU ms per request over runs that measured it. */
function cpuOfRuns(runs: LoadResult[]): ProcessCpu | undefined {
  const measured = runs.flatMap((r) => (r.cpuPerRequest ? [r.cpuPerRequest] : []));
  if (!measured.length) return undefined;
  return { dynamodbLocal: median(measured.map((c) => c.dynamodbLocal)), platform: median(measured.map((c) => c.platform)) };
}

/** The median of each figure over alternating runs of the same kind. */
export function medianOf(runs: LoadResult[]): { throughput: number; p50: number; p99: number; errors: number; requests: number } {
  return {
    throughput: median(runs.map((r) => r.throughput)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    requests: runs.reduce((s, r) => s + r.requests, 0),
  };
}

/**
 * The loopback address of closed-loop client n (127.0.0.2, 127.0.0.3 …): each simulated citizen has an
 * address of its own, as on the internet, so the per-address rate-limit counters are as many as clients.
 */
export const clientAddress = (client: number): string => `127.0.0.${2 + (client % 250)}`;
const agents = new Map<string, Agent>();
const agentFor = (localAddress: string): Agent => agents.get(localAddress) ?? agents.set(localAddress, new Agent({ keepAlive: true, localAddress } as AgentOptions)).get(localAddress)!;

/** POST a JSON body from the given client's address; true when the status is the expected one. */
export function postJson(url: string, body: unknown, client: number, expected = 201, onWrong?: (status: number, text: string) => void): Promise<boolean> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolvePost, reject) => {
    const req = httpRequest(url, { method: 'POST', agent: agentFor(clientAddress(client)), headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== expected) onWrong?.(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
        resolvePost(res.statusCode === expected);
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}
