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

/** Sets the clock for this DATA_DIR: the kept offset, else PLATFORM_NOW (already read by the clock), else real time. */
export function restoreClock(dataDir: string, log: (msg: string) => void): void {
  const file = fileOf(dataDir);
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
