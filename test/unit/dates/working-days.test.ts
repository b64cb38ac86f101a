/**
 * SLA deadlines in working days (lambdas/domain/calendar/working-days.ts), over random calendars (random
 * holidays and make-up working days, some years missing) and over the bundled one (chinese-days,
 * 2004–2026), against a reference that counts days with getUTCDay and the calendar's own sets.
 */
import fc from 'fast-check';
import table from 'chinese-days/dist/chinese-days.json';
import { bundledYear } from '../../../lambdas/domain/calendar/bundled';
import { missingYear, workingCalendar, type YearCalendar } from '../../../lambdas/domain/calendar/working-days';
import { DAY_MS, civilDateIn, districtInstant, jsWeekday, refAddDays, refDistrictDate, utcCivil, utcMidnight } from './reference';

interface Sets {
  holidays: Set<string>;
  workdays: Set<string>;
  missing: Set<number>;
}

const isWeekday = (date: string) => jsWeekday(date) >= 1 && jsWeekday(date) <= 5;
const year = (date: string) => Number(date.slice(0, 4));

/** The reference: a make-up working day counts, a holiday does not, else Monday to Friday; a missing year has weekends only. */
function refWorking(s: Sets, date: string): boolean {
  if (s.missing.has(year(date))) return isWeekday(date);
  if (s.workdays.has(date)) return true;
  return isWeekday(date) && !s.holidays.has(date);
}

/** Working days in (from, to]. */
function workingDaysIn(s: Sets, from: string, to: string): number {
  let count = 0;
  for (let d = refAddDays(from, 1); d <= to; d = refAddDays(d, 1)) if (refWorking(s, d)) count++;
  return count;
}

/** The reference's N-th working day after a district date (N = 0: that day if working, else the next). */
function refNth(s: Sets, from: string, n: number): string {
  let d = from;
  if (n === 0) {
    while (!refWorking(s, d)) d = refAddDays(d, 1);
    return d;
  }
  for (let left = n; left > 0; ) {
    d = refAddDays(d, 1);
    if (refWorking(s, d)) left--;
  }
  return d;
}

/** A calendar as YearCalendar per year from sets of dates, with the missing years answered as missing. */
function calendarOf(s: Sets) {
  const yearCalendar = (y: number): YearCalendar =>
    s.missing.has(y)
      ? missingYear(y)
      : { year: y, source: 'admin', holidays: [...s.holidays].filter((d) => year(d) === y), workdays: [...s.workdays].filter((d) => year(d) === y) };
  return workingCalendar(yearCalendar);
}

/**
 * A random calendar around a start day in 2024–2027: holidays on any day, make-up working days on
 * weekend days that are not holidays (as calendarProblems requires), and some years missing.
 */
const randomCalendar = fc
  .record({
    startDay: fc.integer({ min: utcMidnight(2024, 1, 1) / DAY_MS, max: utcMidnight(2027, 12, 31) / DAY_MS }),
    holidayOffsets: fc.uniqueArray(fc.integer({ min: -5, max: 120 }), { maxLength: 50 }),
    workdayOffsets: fc.uniqueArray(fc.integer({ min: -5, max: 120 }), { maxLength: 25 }),
    missing: fc.subarray([2024, 2025, 2026, 2027, 2028]),
    timeOfDay: fc.oneof(fc.integer({ min: 0, max: DAY_MS - 1 }), fc.constantFrom(0, 1, DAY_MS - 1, DAY_MS - 60_000)),
    n: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 60 })),
  })
  .map(({ startDay, holidayOffsets, workdayOffsets, missing, timeOfDay, n }) => {
    const start = utcCivil(startDay * DAY_MS);
    const holidays = new Set(holidayOffsets.map((o) => refAddDays(start, o)));
    const workdays = new Set(workdayOffsets.map((o) => refAddDays(start, o)).filter((d) => !isWeekday(d) && !holidays.has(d)));
    const sets: Sets = { holidays, workdays, missing: new Set(missing) };
    // `timeOfDay` is district time: the instant is that far into the district day `start`.
    return { sets, start, from: new Date(districtInstant(start) + timeOfDay), n };
  });

describe('SLA deadlines over random calendars', () => {
  it('the N-th working day after a start is a working day, with exactly N working days after the start day up to it', () => {
    fc.assert(
      fc.property(randomCalendar, ({ sets, start, from, n }) => {
        const due = calendarOf(sets).nthWorkingDayAfter(from, n);
        expect(refDistrictDate(from.getTime())).toBe(start);
        expect(refWorking(sets, due)).toBe(true);
        if (n === 0) {
          // That day if it is a working day, else the first working day after it.
          if (refWorking(sets, start)) expect(due).toBe(start);
          else expect([due > start, workingDaysIn(sets, start, due)]).toEqual([true, 1]);
        } else {
          expect(due > start).toBe(true);
          expect(workingDaysIn(sets, start, due)).toBe(n);
        }
        expect(due).toBe(refNth(sets, start, n));
      }),
      { numRuns: 300 },
    );
  });

  it('holidays never count and make-up working days always count, in the years the calendar knows', () => {
    fc.assert(
      fc.property(randomCalendar, ({ sets }) => {
        const calendar = calendarOf(sets);
        for (const h of sets.holidays) if (!sets.missing.has(year(h))) expect([h, calendar.isWorkingDay(h)]).toEqual([h, false]);
        for (const w of sets.workdays) if (!sets.missing.has(year(w))) expect([w, calendar.isWorkingDay(w)]).toEqual([w, true]);
      }),
      { numRuns: 200 },
    );
  });

  it('a year with no known calendar (missing) counts Monday to Friday only, whatever holidays it really has', () => {
    fc.assert(
      fc.property(randomCalendar, ({ sets, start, from, n }) => {
        const weekendsOnly: Sets = { ...sets, missing: new Set([2023, 2024, 2025, 2026, 2027, 2028]) };
        const calendar = calendarOf(weekendsOnly);
        for (let d = start, i = 0; i < 30; i++, d = refAddDays(d, 1)) expect([d, calendar.isWorkingDay(d)]).toEqual([d, isWeekday(d)]);
        expect(calendar.nthWorkingDayAfter(from, n)).toBe(refNth({ holidays: new Set(), workdays: new Set(), missing: new Set() }, start, n));
        expect(workingCalendar(missingYear).nthWorkingDayAfter(from, n)).toBe(calendar.nthWorkingDayAfter(from, n));
      }),
      { numRuns: 150 },
    );
  });

  it('a deadline ends at 23:59:59.999 district time of its N-th working day', () => {
    fc.assert(
      fc.property(randomCalendar, ({ sets, from, n }) => {
        const calendar = calendarOf(sets);
        const due = calendar.dueAfterWorkingDays(from, n);
        const day = calendar.nthWorkingDayAfter(from, n);
        expect(due.getTime()).toBe(districtInstant(day, '23:59:59.999'));
        expect(due.toISOString()).toBe(`${day}T15:59:59.999Z`);
      }),
      { numRuns: 200 },
    );
  });

  it('a start at 23:59 and one at 00:00 the next day (district time; the same UTC date) count from different district dates', () => {
    fc.assert(
      fc.property(randomCalendar, ({ sets, start, n }) => {
        const calendar = calendarOf(sets);
        const late = new Date(districtInstant(start, '23:59:00.000'));
        const midnight = new Date(late.getTime() + 60_000);
        expect(utcCivil(late.getTime())).toBe(utcCivil(midnight.getTime()));
        const next = refAddDays(start, 1);
        expect(calendar.nthWorkingDayAfter(late, n)).toBe(refNth(sets, start, n));
        expect(calendar.nthWorkingDayAfter(midnight, n)).toBe(refNth(sets, next, n));
        // The minute matters exactly when the new district day is itself a working day.
        if (n >= 1) expect(calendar.nthWorkingDayAfter(late, n) !== calendar.nthWorkingDayAfter(midnight, n)).toBe(refWorking(sets, next));
      }),
      { numRuns: 200 },
    );
  });
});

describe('SLA deadlines over the bundled calendar (chinese-days, 2004–2026; 2027 not known)', () => {
  const data = table as { holidays: Record<string, string>; workdays: Record<string, string> };
  const knownYears = new Set(Object.keys(data.holidays).map(year));
  const bundledSets: Sets = {
    holidays: new Set(Object.keys(data.holidays)),
    workdays: new Set(Object.keys(data.workdays)),
    missing: new Set(Array.from({ length: 40 }, (_, i) => 2000 + i).filter((y) => !knownYears.has(y))),
  };
  const bundled = workingCalendar((y) => bundledYear(y) ?? missingYear(y));
  const at = (local: string) => new Date(`${local}+08:00`);

  it('knows 2004 to 2026 and not 2027', () => {
    expect([...knownYears].sort()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(bundledYear(2027)).toBeUndefined();
  });

  it('every deadline is a working day of the table with exactly N working days after the start day up to it, into 2027 too', () => {
    const start = fc.record({ date: civilDateIn(2004, 2026), timeOfDay: fc.integer({ min: 0, max: DAY_MS - 1 }), n: fc.integer({ min: 0, max: 60 }) });
    fc.assert(
      fc.property(start, ({ date, timeOfDay, n }) => {
        const from = new Date(districtInstant(date) + timeOfDay);
        const due = bundled.nthWorkingDayAfter(from, n);
        expect(due).toBe(refNth(bundledSets, date, n));
        expect(bundledSets.holidays.has(due) && !bundledSets.missing.has(year(due))).toBe(false);
        if (n > 0) expect(workingDaysIn(bundledSets, date, due)).toBe(n);
        expect(bundled.dueAfterWorkingDays(from, n).getTime()).toBe(districtInstant(due, '23:59:59.999'));
      }),
      { numRuns: 300 },
    );
  });

  // The 2026 Spring Festival: holidays 15–23 February, make-up working days Saturday 14 and Saturday 28 February.
  const springFestival = calendarOf({
    holidays: new Set(Array.from({ length: 9 }, (_, i) => `2026-02-${String(15 + i).padStart(2, '0')}`)),
    workdays: new Set(['2026-02-14', '2026-02-28']),
    missing: new Set(),
  });

  it.each([
    ['Friday 13 February, 1 working day: the make-up Saturday 14th', '2026-02-13T10:00:00', 1, '2026-02-14'],
    ['Friday 13 February, 2 working days: over the holiday to Tuesday 24th', '2026-02-13T10:00:00', 2, '2026-02-24'],
    ['Friday 13 February, 6 working days: the make-up Saturday 28th', '2026-02-13T10:00:00', 6, '2026-02-28'],
    ['Friday 13 February, 7 working days: Monday 2 March', '2026-02-13T10:00:00', 7, '2026-03-02'],
    ['Saturday 14 February (make-up day) 23:59, 1 working day: Tuesday 24th', '2026-02-14T23:59:00', 1, '2026-02-24'],
    ['Friday 13 February 23:59, 1 working day: Saturday 14th', '2026-02-13T23:59:00', 1, '2026-02-14'],
    ['Saturday 14 February 00:00 (still the 13th in UTC), 1 working day: Tuesday 24th', '2026-02-14T00:00:00', 1, '2026-02-24'],
    ['a start during the holiday, 0 working days: the first day back, Tuesday 24th', '2026-02-18T09:00:00', 0, '2026-02-24'],
    ['the make-up Saturday itself, 0 working days: that Saturday', '2026-02-14T09:00:00', 0, '2026-02-14'],
  ])('across the 2026 Spring Festival, %s', (_what, local, n, expected) => {
    expect(springFestival.nthWorkingDayAfter(at(local), n)).toBe(expected);
    expect(bundled.nthWorkingDayAfter(at(local), n)).toBe(expected);
    expect(bundled.dueAfterWorkingDays(at(local), n).toISOString()).toBe(`${expected}T15:59:59.999Z`);
  });

  it.each([
    ['the eve of the holiday, 1 working day: Thursday 8 October', '2026-09-30T10:00:00', 1, '2026-10-08'],
    ['the eve of the holiday, 3 working days: the make-up Saturday 10 October', '2026-09-30T10:00:00', 3, '2026-10-10'],
    ['the eve of the holiday, 4 working days: Monday 12 October', '2026-09-30T10:00:00', 4, '2026-10-12'],
    ['Friday 18 September, 1 working day: the make-up Sunday 20 September', '2026-09-18T10:00:00', 1, '2026-09-20'],
    ['Thursday 24 September, 1 working day: over the Mid-Autumn holiday to Monday 28th', '2026-09-24T10:00:00', 1, '2026-09-28'],
    ['National Day itself, 0 working days: Thursday 8 October', '2026-10-01T10:00:00', 0, '2026-10-08'],
    ['Thursday 31 December 2026, 5 working days: 2027 is not known, so New Year’s Day counts', '2026-12-31T10:00:00', 5, '2027-01-07'],
  ])('across the 2026 National Day, %s', (_what, local, n, expected) => {
    expect(bundled.nthWorkingDayAfter(at(local), n)).toBe(expected);
  });

  it('the fixed examples agree with the reference over the table', () => {
    for (const [local, n] of [['2026-02-13T10:00:00', 7], ['2026-09-30T10:00:00', 4], ['2026-12-31T10:00:00', 5]] as const) {
      expect(bundled.nthWorkingDayAfter(at(local), n)).toBe(refNth(bundledSets, local.slice(0, 10), n));
    }
  });
});
