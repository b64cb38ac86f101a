/**
 * The one date module: civil dates, the district's time and day arithmetic. Nothing else in the code
 * adds days, finds a Monday or turns an instant into a date; it asks here.
 *
 * - A civil date is a `YYYY-MM-DD` string (a day on the calendar, no time zone).
 * - A day number is the count of whole days from 1970-01-01 to a civil date (1970-01-01 is 0, a
 *   Thursday). It is an integer, never milliseconds: differences of day numbers are days.
 * - District time is UTC+08:00 all year (China keeps no daylight saving), so an instant's district
 *   date is its UTC date 8 hours later, and a district day starts at 16:00 UTC the day before.
 */

export const DISTRICT_UTC_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** A civil date, YYYY-MM-DD. */
export type CivilDate = string;

const CIVIL = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date in YYYY-MM-DD form (2027-02-29 is not one). */
export function isCivilDate(date: string): boolean {
  const m = CIVIL.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999 (0050-01-01 would be refused).
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  return check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d;
}

/** Days from 1970-01-01 to `date`. Throws a RangeError on a malformed or impossible date. */
export function dayNumber(date: CivilDate): number {
  if (!isCivilDate(date)) throw new RangeError(`not a calendar date YYYY-MM-DD: ${JSON.stringify(date)}`);
  return Date.parse(`${date}T00:00:00.000Z`) / DAY_MS;
}

/** The civil date of a day number. */
export function civilDate(day: number): CivilDate {
  if (!Number.isInteger(day)) throw new RangeError(`not a whole day number: ${day}`);
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `date` moved by `n` days (negative: back). */
export function addDays(date: CivilDate, n: number): CivilDate {
  return civilDate(dayNumber(date) + n);
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CivilDate, to: CivilDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (day 0, 1970-01-01, was a Thursday). */
export function weekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** ISO weekday of a civil date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: CivilDate): number {
  return weekdayOfDay(dayNumber(date));
}

/** The Monday that starts the Monday–Sunday week of `date` (the date itself on a Monday). */
export function mondayOf(date: CivilDate): CivilDate {
  return addDays(date, 1 - weekdayOf(date));
}

/** The year of a civil date. */
export const yearOf = (date: CivilDate): number => Number(date.slice(0, 4));

/** The district's civil date of an instant. */
export function districtDate(instant: Date): CivilDate {
  return new Date(instant.getTime() + DISTRICT_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** The district's year of an instant (a receipt made at 2026-12-31T16:00:00Z belongs to 2027). */
export function districtYear(instant: Date): number {
  return yearOf(districtDate(instant));
}

/** ISO 8601 with the district's offset, e.g. 2026-11-28T20:32:47.123+08:00. */
export function districtTimestamp(instant: Date): string {
  return new Date(instant.getTime() + DISTRICT_UTC_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** The first instant (00:00:00.000 district time) of a district civil day. */
export function startOfDistrictDay(date: CivilDate): Date {
  return new Date(dayNumber(date) * DAY_MS - DISTRICT_UTC_OFFSET_MS);
}

/** The last millisecond (23:59:59.999 district time) of a district civil day. */
export function endOfDistrictDay(date: CivilDate): Date {
  return new Date((dayNumber(date) + 1) * DAY_MS - DISTRICT_UTC_OFFSET_MS - 1);
}
