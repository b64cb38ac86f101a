/**
 * SLAs in Chinese working days: weekends and public holidays do not count, make-up working days
 * (调休) do; the calendar ships with the `chinese-days` package, so it works offline.
 * "Within N working days" means by the end (23:59:59.999, district time) of the N-th working day after
 * the day the clock started, however late in that day it started.
 *
 * The calendar is chinese-days's own table, read from the JSON file the package ships with it
 * (dist/chinese-days.json: every holiday and make-up working day, keyed YYYY-MM-DD), and the two
 * questions asked of it are answered here exactly as the package's isWorkday/findWorkday answer them.
 * Importing the package's functions instead rebuilds that table at load, formatting every holiday date
 * since 2004: about 10 ms of every cold start of the functions with an SLA (bench/cold-start.ts).
 */
import calendar from 'chinese-days/dist/chinese-days.json';
import { districtDate } from '../../platform/clock';

const DISTRICT_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const { holidays, workdays } = calendar as { holidays: Record<string, string>; workdays: Record<string, string> };

/** Midnight UTC of a civil date (YYYY-MM-DD), for day arithmetic free of any time zone. */
function dayNumber(date: string): number {
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms)) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return ms;
}
const civilDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The end of a district civil day, as an instant. */
export function endOfDistrictDay(date: string): Date {
  return new Date(Date.parse(`${date}T23:59:59.999Z`) - DISTRICT_OFFSET_MS);
}

/** A make-up working day, or Monday to Friday and no public holiday (chinese-days's isWorkday). */
export function isWorkingDay(date: string): boolean {
  const weekday = new Date(dayNumber(date)).getUTCDay();
  return Boolean(workdays[date]) || (weekday >= 1 && weekday <= 5 && !holidays[date]);
}

/** The civil date of the N-th working day after `from`'s district date (N = 0: that day if it is one, else the next). */
export function nthWorkingDayAfter(from: Date, n: number): string {
  // chinese-days's findWorkday(n, date), on civil dates.
  let day = dayNumber(districtDate(from));
  if (n === 0) {
    if (isWorkingDay(civilDate(day))) return civilDate(day);
    n = 1;
  }
  const step = n > 0 ? DAY_MS : -DAY_MS;
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    if (isWorkingDay(civilDate(day))) left--;
  }
  return civilDate(day);
}

/** The deadline of an SLA of N working days started at `from`. */
export function dueAfterWorkingDays(from: Date, n: number): Date {
  return endOfDistrictDay(nthWorkingDayAfter(from, n));
}

/** SLA of each human step, in working days (PRODUCT.md §1; issue 3). */
export const stepSlaWorkingDays = {
  accept_case: 1,
  investigate: 5,
  department_signoff: 3,
  reinspect: 1,
} as const;

/** Rectification deadlines when the decision names none. */
export const DEFAULT_RECTIFICATION_WORKING_DAYS = 10;
