/**
 * Recurring campaign rounds (lambdas/domain/campaigns/schedule.ts): the campaign clock is simulated
 * over years of rounds (open at each opening, close at each closing), and every opening is checked in
 * district time (UTC+08:00) against the cron's fields, across month ends and 29 February.
 */
import fc from 'fast-check';
import { nextOpening, nextTransition } from '../../../lambdas/domain/campaigns/schedule';
import type { Round } from '../../../lambdas/domain/campaigns/schemas';
import { DAY_MS, DISTRICT_OFFSET_MS, districtInstant, isLeapYear, refAddDays, utcCivil, utcMidnight } from './reference';

interface Opened {
  opensAt: number;
  closesAt: number;
}

/**
 * Runs the campaign clock from `start` until `count` rounds have opened and closed, checking that it
 * never acts early. A new campaign's first tick may open at once the latest occurrence before `start`
 * whose window still runs (the catch-up of schedule.ts); every later round opens at its occurrence.
 */
function simulate(schedule: { cron: string; openForDays: number }, start: number, count: number): Opened[] {
  const rounds: Round[] = [];
  const none = new Set<number>();
  let now = start;
  while (rounds.length < count) {
    let opened = nextTransition(schedule, rounds, new Date(now), 0, none);
    if (opened) {
      if (opened.kind !== 'open') throw new Error(`unexpected ${opened.kind}`);
      // Open at once: an occurrence no later than now whose window still runs; before now only for a new campaign.
      expect(Date.parse(opened.opensAt)).toBeLessThanOrEqual(now);
      expect(Date.parse(opened.closesAt)).toBeGreaterThan(now);
      if (rounds.length) expect(Date.parse(opened.opensAt)).toBe(now);
    } else {
      const next = nextOpening(schedule, rounds, new Date(now));
      expect(next).toBeDefined();
      const at = Date.parse(next as string);
      expect(at).toBeGreaterThan(now);
      // Nothing opens a millisecond early; at the opening, exactly this round opens.
      expect(nextTransition(schedule, rounds, new Date(at - 1), 0, none)).toBeUndefined();
      opened = nextTransition(schedule, rounds, new Date(at), 0, none);
      expect(opened).toEqual({ kind: 'open', round: rounds.length + 1, opensAt: new Date(at).toISOString(), closesAt: expect.any(String) });
      if (opened?.kind !== 'open') throw new Error('no opening');
    }
    expect(opened.round).toBe(rounds.length + 1);
    const round: Round = { round: opened.round, opensAt: opened.opensAt, closesAt: opened.closesAt, status: 'open', formVersion: 1, enrolled: 40 };
    rounds.push(round);
    const closesAt = Date.parse(opened.closesAt);
    // It stays open until its closing, and closes then.
    expect(nextTransition(schedule, rounds, new Date(closesAt - 1), 0, none)).toBeUndefined();
    expect(nextTransition(schedule, rounds, new Date(closesAt), 0, none)).toEqual({ kind: 'close', round: round.round });
    round.status = 'closed';
    now = closesAt;
  }
  return rounds.map((r) => ({ opensAt: Date.parse(r.opensAt), closesAt: Date.parse(r.closesAt) }));
}

/** An instant as the district's wall clock shows it. */
function districtClock(ms: number) {
  const d = new Date(ms + DISTRICT_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), ms: d.getUTCMilliseconds() };
}

/** Whether a district instant matches a cron of numbers and stars (no two of day-of-month and weekday restricted here). */
function matchesCron(cron: string, ms: number): boolean {
  const [minute, hour, dom, month, dow] = cron.split(' ');
  const c = districtClock(ms);
  const ok = (field: string, value: number) => field === '*' || Number(field) === value;
  return c.second === 0 && c.ms === 0 && ok(minute, c.minute) && ok(hour, c.hour) && ok(dom, c.day) && ok(month, c.month) && ok(dow, c.weekday);
}

/** Every occurrence of the cron after `start` and up to `end`, found day by day on the district calendar. */
function referenceOccurrences(cron: string, start: number, end: number): number[] {
  const [minute, hour] = cron.split(' ').map(Number);
  const out: number[] = [];
  for (let date = utcCivil(start + DISTRICT_OFFSET_MS - DAY_MS); districtInstant(date) <= end; date = refAddDays(date, 1)) {
    const at = districtInstant(date, `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00.000`);
    if (at > start && at <= end && matchesCron(cron, at)) out.push(at);
  }
  return out;
}

const startIn2020s = fc.integer({ min: utcMidnight(2020, 1, 1), max: utcMidnight(2030, 12, 31) });

describe.each([
  // cron, most days a round may stay open without overlapping the next opening, rounds simulated
  ['0 8 29 * *', 28, 26],
  ['0 8 31 * *', 31, 16],
  ['0 8 1 * *', 28, 26],
  ['30 23 * * 0', 7, 30],
])('a campaign with rounds at "%s"', (cron, maxDays, count) => {
  const schedule = fc.record({ start: startIn2020s, openForDays: fc.integer({ min: 1, max: maxDays }) });

  it('opens each round at a moment that, in district time, matches the cron, in strictly increasing order, and at no other occurrence', () => {
    fc.assert(
      fc.property(schedule, ({ start, openForDays }) => {
        const opened = simulate({ cron, openForDays }, start, count);
        for (const r of opened) expect([new Date(r.opensAt).toISOString(), matchesCron(cron, r.opensAt)]).toEqual([new Date(r.opensAt).toISOString(), true]);
        for (let i = 1; i < opened.length; i++) expect(opened[i].opensAt).toBeGreaterThan(opened[i - 1].opensAt);
        // Every occurrence from the first round on opens a round (the first may be caught up from before start).
        expect(opened.map((r) => r.opensAt)).toEqual(referenceOccurrences(cron, opened[0].opensAt - 1, opened[opened.length - 1].opensAt));
        const firstAfterStart = referenceOccurrences(cron, start, start + 400 * DAY_MS)[0];
        if (opened[0].opensAt <= start) {
          // Caught up: the latest occurrence before start, and its window still ran at start.
          expect(referenceOccurrences(cron, opened[0].opensAt, start)).toEqual([]);
          expect(opened[0].closesAt).toBeGreaterThan(start);
          expect(opened[1].opensAt).toBe(firstAfterStart);
        } else expect(opened[0].opensAt).toBe(firstAfterStart);
      }),
      { numRuns: 6 },
    );
  });

  it('closes each round exactly openForDays days after it opened, at the same district time of day', () => {
    fc.assert(
      fc.property(schedule, ({ start, openForDays }) => {
        for (const r of simulate({ cron, openForDays }, start, 4)) {
          expect(r.closesAt - r.opensAt).toBe(openForDays * DAY_MS);
          const [o, c] = [districtClock(r.opensAt), districtClock(r.closesAt)];
          expect([c.hour, c.minute]).toEqual([o.hour, o.minute]);
          expect(utcCivil(r.closesAt + DISTRICT_OFFSET_MS)).toBe(refAddDays(utcCivil(r.opensAt + DISTRICT_OFFSET_MS), openForDays));
        }
      }),
      { numRuns: 10 },
    );
  });
});

describe('month ends and 29 February', () => {
  it('a round on the 29th of each month opens on 29 February in leap years only, and in every leap year it spans', () => {
    fc.assert(
      fc.property(startIn2020s, fc.integer({ min: 1, max: 28 }), (start, openForDays) => {
        const opened = simulate({ cron: '0 8 29 * *', openForDays }, start, 52);
        const february = opened.map((r) => districtClock(r.opensAt)).filter((c) => c.month === 2);
        for (const c of february) expect([c.year, c.day, isLeapYear(c.year)]).toEqual([c.year, 29, true]);
        const first = opened[0].opensAt;
        const last = opened[opened.length - 1].opensAt;
        const leapDays = Array.from({ length: 20 }, (_, i) => 2020 + i)
          .filter(isLeapYear)
          .map((y) => districtInstant(`${y}-02-29`, '08:00:00.000'))
          .filter((at) => at >= first && at <= last);
        expect(leapDays.length).toBeGreaterThanOrEqual(1); // 52 rounds span more than four years
        expect(february.map((c) => Date.parse(`${c.year}-02-29T08:00:00+08:00`))).toEqual(leapDays);
      }),
      { numRuns: 6 },
    );
  });

  it.each([
    ['0 8 29 * *', '2027-01-01T00:00:00+08:00', ['2027-01-29', '2027-03-29', '2027-04-29']],
    ['0 8 29 * *', '2028-01-01T00:00:00+08:00', ['2028-01-29', '2028-02-29', '2028-03-29']],
    ['0 8 31 * *', '2026-01-02T00:00:00+08:00', ['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31', '2026-10-31', '2026-12-31']],
    ['0 8 1 * *', '2026-12-02T08:00:00+08:00', ['2027-01-01', '2027-02-01', '2027-03-01']],
  ])('"%s" from %s opens on %j at 08:00 district time', (cron, from, dates) => {
    const opened = simulate({ cron, openForDays: 1 }, Date.parse(from), dates.length);
    expect(opened.map((r) => new Date(r.opensAt).toISOString())).toEqual(dates.map((d) => new Date(`${d}T08:00:00+08:00`).toISOString()));
  });

  it('a Sunday 23:30 round opens on Sunday in the district, which is Sunday 15:30 UTC, across the year end', () => {
    const opened = simulate({ cron: '30 23 * * 0', openForDays: 2 }, Date.parse('2026-12-23T00:00:00+08:00'), 3);
    expect(opened.map((r) => new Date(r.opensAt).toISOString())).toEqual(['2026-12-27T15:30:00.000Z', '2027-01-03T15:30:00.000Z', '2027-01-10T15:30:00.000Z']);
    expect(new Date(opened[0].closesAt).toISOString()).toBe('2026-12-29T15:30:00.000Z');
  });

  it('a weekly campaign created on a Wednesday opens at once the round of the Sunday before, whose 7 days still run', () => {
    const opened = simulate({ cron: '30 23 * * 0', openForDays: 7 }, Date.parse('2026-12-23T10:00:00+08:00'), 2);
    expect(opened.map((r) => new Date(r.opensAt).toISOString())).toEqual(['2026-12-20T15:30:00.000Z', '2026-12-27T15:30:00.000Z']);
    expect(opened[0].closesAt).toBe(opened[1].opensAt);
  });
});
