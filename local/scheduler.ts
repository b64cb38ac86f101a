/**
 * The local stand-in for EventBridge Scheduler: fires the handlers of lib/spec/schedules.ts on their
 * expressions; a run never overlaps the previous run of the same schedule.
 * - rate(N minute|hour|day): every N units of real time (as in AWS, whatever the platform's clock says).
 * - cron(min hour day-of-month month day-of-week year) in district time: when the platform's clock passes
 *   the next occurrence, so moving the clock (POST /_local/clock) past midnight fires a daily schedule,
 *   once, as the real midnight would.
 */
import { Cron } from 'croner';
import { DISTRICT_TIME_ZONE, schedules, type ScheduleSpec } from '../lib/spec/schedules';
import { clock } from '../lambdas/platform/clock';
import { invokeFunction } from './functions';

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** How often the cron schedules look at the platform's clock. */
const CRON_POLL_MS = 5_000;

export function rateMs(expression: string): number | undefined {
  const m = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : undefined;
}

/**
 * An EventBridge cron expression as a croner pattern in district time. Day-of-week is accepted as ? or *
 * only: EventBridge numbers days 1-7 from Sunday, croner 0-6, and no schedule needs one yet.
 */
export function districtCron(expression: string): Cron {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = m?.[1].trim().split(/\s+/);
  if (!fields || fields.length !== 6) throw new Error(`Unsupported schedule expression ${expression}: the local scheduler knows rate(N minute|hour|day) and cron(min hour dom month dow year)`);
  const [minute, hour, dom, month, dow, year] = fields;
  if (!['?', '*'].includes(dow) || year !== '*') throw new Error(`${expression}: the local scheduler takes day-of-week ? or * and year *`);
  return new Cron(`${minute} ${hour} ${dom === '?' ? '*' : dom} ${month} *`, { timezone: DISTRICT_TIME_ZONE, paused: true });
}

export interface LocalScheduler {
  /** Fires one schedule now (tests, catch-up). */
  fire(name: string): Promise<unknown>;
  /** The platform's clock moved: cron schedules look at it now. */
  clockMoved(): void;
  stop(): Promise<void>;
}

export function startScheduler(log: (msg: string) => void): LocalScheduler {
  const running = new Map<string, Promise<unknown>>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  const fire = (spec: ScheduleSpec): Promise<unknown> => {
    const busy = running.get(spec.name);
    if (busy) return busy;
    const run = invokeFunction(spec.target, { source: 'local.scheduler', 'detail-type': 'Scheduled Event', schedule: spec.name, time: clock.now().toISOString() })
      .catch((err: Error) => log(`schedule ${spec.name} failed: ${err.message}`))
      .finally(() => running.delete(spec.name));
    running.set(spec.name, run);
    return run;
  };

  const crons: Array<{ spec: ScheduleSpec; cron: Cron; next: Date | null }> = [];
  const checkCrons = () => {
    if (stopped) return;
    const now = clock.now();
    for (const c of crons) {
      if (c.next && now >= c.next) {
        // One firing however many occurrences the clock jumped over: the handlers catch up on everything.
        c.next = c.cron.nextRun(now);
        void fire(c.spec);
      }
    }
  };

  for (const spec of schedules) {
    const every = rateMs(spec.expression);
    if (every) timers.push(setInterval(() => !stopped && void fire(spec), every));
    else {
      const cron = districtCron(spec.expression);
      crons.push({ spec, cron, next: cron.nextRun(clock.now()) });
    }
    if (spec.fireOnLocalStart) void fire(spec);
  }
  if (crons.length) timers.push(setInterval(checkCrons, CRON_POLL_MS));

  return {
    fire: (name) => {
      const spec = schedules.find((s) => s.name === name);
      if (!spec) throw new Error(`No schedule ${name}`);
      return fire(spec);
    },
    clockMoved: checkCrons,
    async stop() {
      stopped = true;
      timers.forEach(clearInterval);
      await Promise.allSettled([...running.values()]);
    },
  };
}
