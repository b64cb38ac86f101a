/**
 * An independent reference for the date properties in this folder: plain Date arithmetic in UTC
 * (setUTCFullYear, getUTCDay), never lambdas/platform/dates.ts, plus generators of dates and instants
 * that favour the places where day arithmetic goes wrong (month ends, 29 February, year ends, the
 * district's midnight at 16:00 UTC).
 */
import fc from 'fast-check';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const DISTRICT_OFFSET_MS = 8 * HOUR_MS;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The UTC midnight of year/month/day, normalised as Date does (day 0 is the last of the month before). Any year 0–9999. */
export function utcMidnight(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, no 0–99 → 1900–1999 mapping
  return d.getTime();
}

/** YYYY-MM-DD of the UTC day containing `ms`. */
export function utcCivil(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function parts(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d];
}

/** `date` moved by `n` days, by Date's own month and year arithmetic. */
export function refAddDays(date: string, n: number): string {
  const [y, m, d] = parts(date);
  return utcCivil(utcMidnight(y, m, d + n));
}

export function refDaysBetween(from: string, to: string): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((utcMidnight(y2, m2, d2) - utcMidnight(y1, m1, d1)) / DAY_MS);
}

/** JavaScript's weekday: 0 = Sunday … 6 = Saturday. */
export function jsWeekday(date: string): number {
  const [y, m, d] = parts(date);
  return new Date(utcMidnight(y, m, d)).getUTCDay();
}

export const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const daysInMonth = (y: number, m: number) => [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

/** The Monday of the Monday–Sunday week of `date`, from getUTCDay. */
export function refMonday(date: string): string {
  return refAddDays(date, -((jsWeekday(date) + 6) % 7));
}

/** The district (UTC+08:00) civil date of an instant: the UTC date 8 hours later. */
export const refDistrictDate = (ms: number) => utcCivil(ms + DISTRICT_OFFSET_MS);

/** An instant given as district wall time, parsed by Date with an explicit +08:00 offset. */
export const districtInstant = (date: string, time = '00:00:00.000') => Date.parse(`${date}T${time}+08:00`);

// ---------------------------------------------------------------------------------------------
// Generators

/** Any day from `from` to `to` (YYYY-MM-DD), uniformly. */
export function anyDateBetween(from: string, to: string): fc.Arbitrary<string> {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return fc.integer({ min: utcMidnight(y1, m1, d1) / DAY_MS, max: utcMidnight(y2, m2, d2) / DAY_MS }).map((day) => utcCivil(day * DAY_MS));
}

/** Dates around the turn of a month: the last 4 days of one month and the first 4 of the next. */
export const aroundMonthTurn = (fromYear: number, toYear: number) =>
  fc.record({ y: fc.integer({ min: fromYear, max: toYear }), m: fc.integer({ min: 1, max: 12 }), off: fc.integer({ min: -4, max: 3 }) }).map(({ y, m, off }) => utcCivil(utcMidnight(y, m, 1 + off)));

/** Dates around 29 February (or 1 March in a common year), leap years favoured. */
export const aroundLeapDay = (fromYear: number, toYear: number) =>
  fc
    .record({ y: fc.oneof(fc.integer({ min: fromYear, max: toYear }), fc.integer({ min: Math.ceil(fromYear / 4), max: Math.floor(toYear / 4) }).map((q) => q * 4)), off: fc.integer({ min: -3, max: 3 }) })
    .map(({ y, off }) => utcCivil(utcMidnight(y, 2, 29 + off)));

/** Dates around the turn of a year: 27 December to 4 January. */
export const aroundYearTurn = (fromYear: number, toYear: number) =>
  fc.record({ y: fc.integer({ min: fromYear, max: toYear }), off: fc.integer({ min: -5, max: 3 }) }).map(({ y, off }) => utcCivil(utcMidnight(y, 1, 1 + off)));

/** A civil date in [fromYear, toYear], a quarter of the time anywhere, else near a month, leap-day or year boundary. */
export const civilDateIn = (fromYear: number, toYear: number): fc.Arbitrary<string> =>
  fc.oneof(anyDateBetween(`${pad(fromYear, 4)}-01-01`, `${pad(toYear, 4)}-12-31`), aroundMonthTurn(fromYear, toYear), aroundLeapDay(fromYear, toYear), aroundYearTurn(fromYear, toYear));

/**
 * An instant (ms) whose district date lies in [fromYear, toYear]: anywhere, or within a few
 * milliseconds, seconds or hours of a district midnight (16:00 UTC).
 */
export const instantIn = (fromYear: number, toYear: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: utcMidnight(fromYear, 1, 1), max: utcMidnight(toYear, 12, 31) }),
    fc
      .record({
        date: civilDateIn(fromYear, toYear),
        delta: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -120_000, max: 120_000 }), fc.integer({ min: -10 * HOUR_MS, max: 10 * HOUR_MS })),
      })
      .map(({ date, delta }) => districtInstant(date) + delta),
  );
