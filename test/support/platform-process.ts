/**
 * Runs `npm start` as a user would, on its own port and data dir, for end-to-end tests: start, wait
 * for health, stop with SIGTERM or kill with SIGKILL, restart on the same data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../local/net';
import { ApiClient } from './api-client';

export interface PlatformProcess {
  url: string;
  dataDir: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** Seconds from spawn to the first healthy answer. */
  readySeconds: number;
}

const ROOT = resolve(__dirname, '../..');

export const newDataDir = (): string => mkdtempSync(join(tmpdir(), 'dr-platform-'));

/**
 * Tests file many complaints from one address (127.0.0.1): the client limits are lifted unless a test
 * passes its own (test/e2e/abuse-limits.test.ts runs with the shipped defaults).
 */
const TEST_LIMITS = { PUBLIC_WRITES_PER_MINUTE: '100000', ACCESS_CODE_CHECKS_PER_MINUTE: '100000' };

type StartOptions = { dataDir?: string; port?: number; timeoutMs?: number; env?: Record<string, string | undefined> };

export async function startPlatformProcess(opts: StartOptions = {}): Promise<PlatformProcess> {
  const dataDir = opts.dataDir ?? newDataDir();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({ ...opts, dataDir }, opts.port ?? (await freePort()));
    } catch (err) {
      // freePort's port can be taken before npm start binds it (the test files run in parallel and
      // their local endpoints bind port 0): pick another, unless the caller chose the port.
      if (opts.port !== undefined || attempt >= 3 || !String((err as Error).message).includes('EADDRINUSE')) throw err;
    }
  }
}

async function startOnce(opts: StartOptions & { dataDir: string }, port: number): Promise<PlatformProcess> {
  const dataDir = opts.dataDir;
  const started = Date.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, ...TEST_LIMITS, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a kill reaches tsx and node alike
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      throw new Error(`npm start was not healthy within ${(opts.timeoutMs ?? 60_000) / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, dataDir, port, child, output: () => out, readySeconds: (Date.now() - started) / 1000 };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(child: ChildProcess): boolean {
  try {
    if (child.pid) process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM: sent to `npm start` alone, as a process manager would; resolves once every process of the
 * platform (node, DynamoDB Local) is gone, with whether it said it stopped cleanly.
 * SIGKILL: the whole process group dies at once, as in a crash.
 */
export async function stopPlatformProcess(p: PlatformProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<{ clean: boolean; seconds: number }> {
  const started = Date.now();
  if (!groupAlive(p.child)) return { clean: p.output().includes('stopped cleanly'), seconds: 0 };
  if (signal === 'SIGKILL') killGroup(p.child, 'SIGKILL');
  else if (p.child.pid && p.child.exitCode === null && p.child.signalCode === null) process.kill(p.child.pid, 'SIGTERM');
  while (groupAlive(p.child) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 100));
  const seconds = (Date.now() - started) / 1000;
  if (groupAlive(p.child)) killGroup(p.child, 'SIGKILL');
  return { clean: p.output().includes('stopped cleanly'), seconds };
}

/**
 * One platform for a test file: started before its tests, stopped after them. `api` follows the platform
 * across `restart()`.
 */
export function usePlatform(opts: Pick<StartOptions, 'env'> = {}): { api: ApiClient; current: () => PlatformProcess; restart: (signal: 'SIGTERM' | 'SIGKILL') => Promise<void> } {
  let platform: PlatformProcess | undefined;
  const api = new ApiClient('http://127.0.0.1:0');
  beforeAll(async () => {
    platform = await startPlatformProcess(opts);
    api.moveTo(platform.url);
  });
  afterAll(async () => {
    if (platform) await stopPlatformProcess(platform);
  });
  return {
    api,
    current: () => {
      if (!platform) throw new Error('the platform is not running');
      return platform;
    },
    async restart(signal) {
      const old = platform as PlatformProcess;
      await stopPlatformProcess(old, signal);
      platform = await startPlatformProcess({ ...opts, dataDir: old.dataDir });
      api.moveTo(platform.url);
    },
  };
}
