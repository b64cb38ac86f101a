/**
 * The one-machine clock across restarts. The platform's clock runs at an offset from the real time:
 * 0 normally, set by PLATFORM_NOW on a fresh DATA_DIR, moved forward by POST /_local/clock. The offset
 * is kept in DATA_DIR/clock.json, so a restart (or a crash) continues the platform's time instead of
 * moving it back to PLATFORM_NOW or to the real date: deadlines, Wait states and receipts stay in order.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clock } from '../lambdas/platform/clock';

const fileOf = (dataDir: string) => join(dataDir, 'clock.json');

/**
 * Sets the clock for this DATA_DIR: the kept offset, else PLATFORM_NOW (already read by the clock), else
 * real time. In production the clock is the real time: PLATFORM_NOW, or a data dir whose clock a demo
 * moved, refuse to start rather than date cases wrongly.
 */
export function restoreClock(dataDir: string, log: (msg: string) => void, production = false): void {
  const file = fileOf(dataDir);
  if (production) {
    if (process.env.PLATFORM_NOW) throw new Error('PLATFORM_NOW is for tests and demos: production mode runs on the real time');
    const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown }).offsetMs : 0;
    if (kept !== 0) throw new Error(`${file}: this data dir's clock was moved (a demo's or a test's data dir?); production mode runs on the real time`);
    clock.setOffset(0);
    saveClock(dataDir);
    return;
  }
  if (existsSync(file)) {
    const { offsetMs } = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs: unknown };
    if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) throw new Error(`${file}: offsetMs must be a number`);
    clock.setOffset(offsetMs);
    if (process.env.PLATFORM_NOW) log(`clock: ${file} continues this data dir's time (${clock.now().toISOString()}); PLATFORM_NOW applies to a fresh data dir only`);
  } else {
    saveClock(dataDir);
  }
  if (clock.offsetMs() !== 0) log(`clock: the platform's time is ${clock.now().toISOString()} (${(clock.offsetMs() / 86_400_000).toFixed(2)} days from the real time)`);
}

/** Keeps the clock's offset (written whole, then renamed: a crash leaves the old or the new one). */
export function saveClock(dataDir: string): void {
  const file = fileOf(dataDir);
  writeFileSync(`${file}.tmp`, JSON.stringify({ offsetMs: clock.offsetMs() }));
  renameSync(`${file}.tmp`, file);
}
