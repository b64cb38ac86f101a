/**
 * The local stand-in for EventBridge Scheduler: fires the handlers of lib/spec/schedules.ts on their
 * expressions. rate(...) only for now; a run never overlaps the previous run of the same schedule.
 */
import { schedules, type ScheduleSpec } from '../lib/spec/schedules';
import { invokeFunction } from './functions';

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function rateMs(expression: string): number {
  const m = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression.trim());
  if (!m) throw new Error(`Unsupported schedule expression ${expression}: the local scheduler knows rate(N minute|hour|day)`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

export interface LocalScheduler {
  /** Fires one schedule now (tests, catch-up). */
  fire(name: string): Promise<unknown>;
  stop(): Promise<void>;
}

export function startScheduler(log: (msg: string) => void): LocalScheduler {
  const running = new Map<string, Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  const fire = (spec: ScheduleSpec): Promise<unknown> => {
    const busy = running.get(spec.name);
    if (busy) return busy;
    const run = invokeFunction(spec.target, { source: 'local.scheduler', 'detail-type': 'Scheduled Event', schedule: spec.name, time: new Date().toISOString() })
      .catch((err: Error) => log(`schedule ${spec.name} failed: ${err.message}`))
      .finally(() => running.delete(spec.name));
    running.set(spec.name, run);
    return run;
  };

  for (const spec of schedules) {
    const every = rateMs(spec.expression);
    timers.push(setInterval(() => !stopped && void fire(spec), every));
    if (spec.fireOnLocalStart) void fire(spec);
  }

  return {
    fire: (name) => {
      const spec = schedules.find((s) => s.name === name);
      if (!spec) throw new Error(`No schedule ${name}`);
      return fire(spec);
    },
    async stop() {
      stopped = true;
      timers.forEach(clearInterval);
      await Promise.allSettled([...running.values()]);
    },
  };
}
