/**
 * Properties of the one date module (lambdas/platform/dates.ts) against plain Date arithmetic in UTC
 * (./reference.ts). District time is UTC+08:00 all year.
 */
import fc from 'fast-check';
import {
  addDays,
  civilDate,
  dayNumber,
  daysBetween,
  districtDate,
  districtYear,
  endOfDistrictDay,
  isCivilDate,
  mondayOf,
  startOfDistrictDay,
  weekdayOf,
} from '../../../lambdas/platform/dates';
import {
  DAY_MS,
  DISTRICT_OFFSET_MS,
  civilDateIn,
  daysInMonth,
  districtInstant,
  instantIn,
  jsWeekday,
  refAddDays,
  refDaysBetween,
  refDistrictDate,
  utcCivil,
  utcMidnight,
} from './reference';

const runs = { numRuns: 300 };
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

describe('civil dates and day numbers', () => {
  it('every day from year 0000 to 9999 turns into its day number and back into the same date', () => {
    const first = utcMidnight(0, 1, 1) / DAY_MS;
    const last = utcMidnight(9999, 12, 31) / DAY_MS;
    // Years 0000–0099 are asked for explicitly: Date.UTC maps them to 1900–1999.
    const day = fc.oneof(fc.integer({ min: first, max: last }), fc.integer({ min: first, max: utcMidnight(100, 1, 1) / DAY_MS }), fc.integer({ min: -40_000, max: 120_000 }));
    fc.assert(
      fc.property(day, (n) => {
        const date = civilDate(n);
        expect(date).toBe(utcCivil(n * DAY_MS));
        expect(dayNumber(date)).toBe(n);
      }),
      { numRuns: 500, examples: [[0], [-1], [first], [last], [utcMidnight(50, 2, 28) / DAY_MS]] },
    );
  });

  it('a date string is a calendar date exactly when its day exists in its month (29 February only in leap years)', () => {
    const fields = fc.record({ y: fc.integer({ min: 0, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) });
    fc.assert(
      fc.property(fields, ({ y, m, d }) => {
        const date = `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
        const real = d <= daysInMonth(y, m);
        expect(isCivilDate(date)).toBe(real);
        if (real) expect(civilDate(dayNumber(date))).toBe(date);
        else expect(() => dayNumber(date)).toThrow(RangeError);
      }),
      { numRuns: 500, examples: [[{ y: 2028, m: 2, d: 29 }], [{ y: 2027, m: 2, d: 29 }], [{ y: 1900, m: 2, d: 29 }], [{ y: 2000, m: 2, d: 29 }], [{ y: 50, m: 6, d: 1 }]] },
    );
  });
});

describe('adding days', () => {
  const shift = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -40, max: 40 }), fc.integer({ min: -800, max: 800 }));

  it('moving a date by n days lands where Date.UTC arithmetic lands, across month ends, 29 February and year ends', () => {
    fc.assert(
      fc.property(civilDateIn(1900, 2100), shift, (date, n) => {
        const moved = addDays(date, n);
        expect(moved).toBe(refAddDays(date, n));
        expect(daysBetween(date, moved)).toBe(n);
        expect(refDaysBetween(date, moved)).toBe(n);
      }),
      { ...runs, examples: [['2028-02-28', 1], ['2027-02-28', 1], ['2026-12-31', 1], ['2027-01-01', -1], ['2028-03-01', -1], ['2026-01-31', 29]] },
    );
  });

  it('days between two dates is the difference Date.UTC gives, and its sign says which comes first', () => {
    fc.assert(
      fc.property(civilDateIn(1900, 2100), civilDateIn(1900, 2100), (a, b) => {
        const n = daysBetween(a, b);
        expect(n).toBe(refDaysBetween(a, b));
        expect(Math.sign(n)).toBe(a < b ? 1 : a > b ? -1 : 0);
      }),
      runs,
    );
  });
});

describe('weeks', () => {
  it('the weekday of a date is the one getUTCDay gives (1 = Monday … 7 = Sunday)', () => {
    fc.assert(
      fc.property(civilDateIn(1900, 2100), (date) => {
        expect(weekdayOf(date)).toBe(((jsWeekday(date) + 6) % 7) + 1);
      }),
      runs,
    );
  });

  it('the Monday of a date is a Monday, never after the date and less than 7 days before it', () => {
    fc.assert(
      fc.property(civilDateIn(1900, 2100), (date) => {
        const monday = mondayOf(date);
        expect(jsWeekday(monday)).toBe(1);
        expect(monday <= date).toBe(true);
        const back = refDaysBetween(monday, date);
        expect(back).toBeGreaterThanOrEqual(0);
        expect(back).toBeLessThan(7);
      }),
      { ...runs, examples: [['2027-01-03'], ['2026-03-01'], ['2028-02-29'], ['2026-12-28']] },
    );
  });
});

describe('district time (UTC+08:00)', () => {
  it('the district date of an instant is the UTC date 8 hours later', () => {
    fc.assert(
      fc.property(instantIn(1970, 2100), (ms) => {
        expect(districtDate(new Date(ms))).toBe(refDistrictDate(ms));
      }),
      runs,
    );
  });

  it('the district date of an instant is the date a clock in Asia/Shanghai shows (since 1992, when China had stopped daylight saving)', () => {
    const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(
      fc.property(instantIn(1992, 2100), (ms) => {
        expect(districtDate(new Date(ms))).toBe(shanghai.format(new Date(ms)));
      }),
      { numRuns: 200 },
    );
  });

  it('every instant lies within its district day, from 00:00:00.000 to 23:59:59.999 district time', () => {
    fc.assert(
      fc.property(instantIn(1970, 2100), (ms) => {
        const date = districtDate(new Date(ms));
        const start = startOfDistrictDay(date).getTime();
        const end = endOfDistrictDay(date).getTime();
        expect(start).toBe(districtInstant(date, '00:00:00.000'));
        expect(end).toBe(districtInstant(date, '23:59:59.999'));
        expect(start).toBeLessThanOrEqual(ms);
        expect(ms).toBeLessThanOrEqual(end);
        // Days follow one another with no gap and no overlap.
        expect(startOfDistrictDay(refAddDays(date, 1)).getTime()).toBe(end + 1);
      }),
      runs,
    );
  });

  it('the district year turns from 2026 to 2027 exactly at 2026-12-31T16:00:00.000Z (midnight UTC+08:00)', () => {
    const turn = Date.parse('2026-12-31T16:00:00.000Z');
    expect(districtYear(new Date(turn - 1))).toBe(2026);
    expect(districtYear(new Date(turn))).toBe(2027);
    expect(districtYear(new Date('2027-01-01T00:00:00+08:00'))).toBe(2027);
    expect(districtYear(new Date('2026-12-31T23:59:59.999+08:00'))).toBe(2026);
    const near = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS }));
    fc.assert(
      fc.property(near, (delta) => {
        expect(districtYear(new Date(turn + delta))).toBe(delta < 0 ? 2026 : 2027);
      }),
      runs,
    );
  });

  it('the district year of any instant is the UTC year 8 hours later', () => {
    fc.assert(
      fc.property(instantIn(1970, 2100), (ms) => {
        expect(districtYear(new Date(ms))).toBe(new Date(ms + DISTRICT_OFFSET_MS).getUTCFullYear());
      }),
      runs,
    );
  });
});
