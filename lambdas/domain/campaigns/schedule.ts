/**
 * When rounds open and close (pure). A one-off campaign has one round, [opensAt, closesAt). A recurring
 * campaign opens a round at each cron occurrence (district time, UTC+08:00) for openForDays days.
 * The campaign clock runs every minute and asks for the next transition, so an occurrence missed while
 * the platform was down is caught up when it comes back: the latest missed opening whose window is still
 * running opens at once (earlier missed windows are over and are skipped, never opened late).
 */
import { Cron } from 'croner';
import type { Round, Schedule } from './schemas';

const DISTRICT_TZ = 'Asia/Shanghai';
const DAY_MS = 86_400_000;

export type Transition =
  | { kind: 'open'; round: number; opensAt: string; closesAt: string }
  | { kind: 'close'; round: number }
  | { kind: 'remind'; round: number };

export function validCron(expression: string): boolean {
  try {
    new Cron(expression, { timezone: DISTRICT_TZ, paused: true });
    return expression.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}

/** The window of the latest occurrence at or before `now`, if its window is still open at `now`. */
function currentOccurrence(cron: string, openForDays: number, after: Date, now: Date): { opensAt: Date; closesAt: Date } | undefined {
  const job = new Cron(cron, { timezone: DISTRICT_TZ, paused: true });
  // Walk occurrences from (now - window) forward; the last one not after now is the candidate.
  let candidate: Date | undefined;
  let cursor: Date | null = job.nextRun(new Date(Math.max(after.getTime(), now.getTime() - openForDays * DAY_MS) - 1));
  for (let i = 0; cursor && cursor.getTime() <= now.getTime() && i < 1000; i++) {
    candidate = cursor;
    cursor = job.nextRun(cursor);
  }
  if (!candidate) return undefined;
  const closesAt = new Date(candidate.getTime() + openForDays * DAY_MS);
  return closesAt.getTime() > now.getTime() ? { opensAt: candidate, closesAt } : undefined;
}

export function nextOpening(schedule: Schedule, rounds: Round[], now: Date): string | undefined {
  if ('opensAt' in schedule) return rounds.length ? undefined : new Date(schedule.opensAt).toISOString();
  const last = rounds[rounds.length - 1];
  const job = new Cron(schedule.cron, { timezone: DISTRICT_TZ, paused: true });
  return job.nextRun(last ? new Date(last.opensAt) : now)?.toISOString() ?? undefined;
}

export function nextTransition(schedule: Schedule, rounds: Round[], now: Date, reminderHours: number, remindedRounds: Set<number>): Transition | undefined {
  const open = rounds.find((r) => r.status === 'open');
  if (open) {
    if (now.getTime() >= Date.parse(open.closesAt)) return { kind: 'close', round: open.round };
    if (!remindedRounds.has(open.round) && now.getTime() >= Date.parse(open.closesAt) - reminderHours * 3_600_000) return { kind: 'remind', round: open.round };
    return undefined;
  }
  const round = rounds.length + 1;
  if ('opensAt' in schedule) {
    if (rounds.length) return undefined;
    const opensAt = Date.parse(schedule.opensAt);
    const closesAt = Date.parse(schedule.closesAt);
    if (now.getTime() < opensAt) return undefined;
    // Opened late (the platform was down at opensAt) still opens; a window already over is opened and closed.
    return { kind: 'open', round, opensAt: new Date(opensAt).toISOString(), closesAt: new Date(closesAt).toISOString() };
  }
  const last = rounds[rounds.length - 1];
  const occurrence = currentOccurrence(schedule.cron, schedule.openForDays, last ? new Date(last.opensAt) : new Date(0), now);
  if (!occurrence || (last && occurrence.opensAt.getTime() <= Date.parse(last.opensAt))) return undefined;
  return { kind: 'open', round, opensAt: occurrence.opensAt.toISOString(), closesAt: occurrence.closesAt.toISOString() };
}

/** A one-off campaign is over once its round has closed; a recurring one goes on. */
export function campaignStatus(schedule: Schedule, rounds: Round[]): 'scheduled' | 'open' | 'closed' {
  if (rounds.some((r) => r.status === 'open')) return 'open';
  if ('opensAt' in schedule && rounds.length) return 'closed';
  return 'scheduled';
}

/** A survey token lives at least this long (DynamoDB TTL). */
export const TOKEN_TTL_DAYS = 180;

/**
 * When a token's item may be deleted (DynamoDB TTL, epoch seconds): TOKEN_TTL_DAYS after issue, but never
 * before its round closes plus a month (a one-off round can stay open longer than that; TTL deletion
 * would otherwise refuse a parent's valid token mid-round).
 */
export function tokenExpiry(schedule: Schedule, rounds: Round[], open: Round | undefined, now: Date): number {
  const closes = open
    ? Date.parse(open.closesAt)
    : 'closesAt' in schedule
      ? Date.parse(schedule.closesAt)
      : Date.parse(nextOpening(schedule, rounds, now) ?? now.toISOString()) + schedule.openForDays * DAY_MS;
  return Math.floor(Math.max(now.getTime() + TOKEN_TTL_DAYS * DAY_MS, closes + 30 * DAY_MS) / 1000);
}
