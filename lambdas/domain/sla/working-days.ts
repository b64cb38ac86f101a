/**
 * SLAs in Chinese working days: weekends and public holidays do not count, make-up working days
 * (调休) do; the calendar ships with the `chinese-days` package, so it works offline.
 * "Within N working days" means by the end (23:59:59.999, district time) of the N-th working day after
 * the day the clock started, however late in that day it started.
 */
import { findWorkday, isWorkday } from 'chinese-days';
import { districtDate } from '../../platform/clock';

const DISTRICT_OFFSET_MS = 8 * 3600_000;

/** The end of a district civil day, as an instant. */
export function endOfDistrictDay(date: string): Date {
  return new Date(Date.parse(`${date}T23:59:59.999Z`) - DISTRICT_OFFSET_MS);
}

export function isWorkingDay(date: string): boolean {
  return isWorkday(date);
}

/** The civil date of the N-th working day after `from`'s district date (N = 0: that day if it is one, else the next). */
export function nthWorkingDayAfter(from: Date, n: number): string {
  return findWorkday(n, districtDate(from));
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
