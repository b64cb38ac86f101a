/**
 * Working days, over a calendar given as data (pure: no I/O, no clock). Weekends and public holidays do
 * not count, make-up working days (调休) do. "Within N working days" means by the end (23:59:59.999,
 * district time) of the N-th working day after the day the clock started, however late in that day it
 * started. A year with no known calendar (`missing`) counts weekends only: the platform says so in
 * GET /api/health rather than guess the State Council's schedule.
 */
import { civilDate, dayNumber, districtDate, endOfDistrictDay, weekdayOfDay, yearOf, type CivilDate } from '../../platform/dates';

export type CalendarSource = 'bundled' | 'admin' | 'missing';

/** One year's public holidays and make-up working days, and where they come from. */
export interface YearCalendar {
  year: number;
  source: CalendarSource;
  holidays: readonly CivilDate[];
  workdays: readonly CivilDate[];
}

export interface WorkingCalendar {
  /** The calendar in force for a year (`missing` when none is known). */
  year(year: number): YearCalendar;
  /** A make-up working day, or Monday to Friday and no public holiday. */
  isWorkingDay(date: CivilDate): boolean;
  /** The civil date of the N-th working day after `from`'s district date (N = 0: that day if it is one, else the next). */
  nthWorkingDayAfter(from: Date, n: number): CivilDate;
  /** The deadline of an SLA of N working days started at `from`. */
  dueAfterWorkingDays(from: Date, n: number): Date;
}

export const missingYear = (year: number): YearCalendar => ({ year, source: 'missing', holidays: [], workdays: [] });

/** SLAs longer than this are refused as a mistake rather than counted (a year and a half of working days). */
const MAX_WORKING_DAYS = 400;

/** A working calendar over `yearOf`, which answers the calendar in force for each year. */
export function workingCalendar(yearOfCalendar: (year: number) => YearCalendar): WorkingCalendar {
  const sets = new Map<number, { holidays: Set<CivilDate>; workdays: Set<CivilDate> }>();
  const setsOf = (year: number) => {
    let s = sets.get(year);
    if (!s) {
      const cal = yearOfCalendar(year);
      s = { holidays: new Set(cal.holidays), workdays: new Set(cal.workdays) };
      sets.set(year, s);
    }
    return s;
  };
  const isWorkingDayNumber = (day: number): boolean => {
    const date = civilDate(day);
    const { holidays, workdays } = setsOf(yearOf(date));
    if (workdays.has(date)) return true;
    const weekday = weekdayOfDay(day);
    return weekday <= 5 && !holidays.has(date);
  };
  const nthWorkingDayAfter = (from: Date, n: number): CivilDate => {
    if (!Number.isInteger(n) || Math.abs(n) > MAX_WORKING_DAYS) throw new RangeError(`an SLA is a whole number of working days up to ${MAX_WORKING_DAYS}, got ${n}`);
    let day = dayNumber(districtDate(from));
    if (n === 0) {
      if (isWorkingDayNumber(day)) return civilDate(day);
      n = 1;
    }
    const step = n > 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      if (isWorkingDayNumber(day)) left--;
    }
    return civilDate(day);
  };
  return {
    year: yearOfCalendar,
    isWorkingDay: (date) => isWorkingDayNumber(dayNumber(date)),
    nthWorkingDayAfter,
    dueAfterWorkingDays: (from, n) => endOfDistrictDay(nthWorkingDayAfter(from, n)),
  };
}

/** Checks a year's calendar as an admin enters it; returns the problems by field (empty: fine). */
export function calendarProblems(year: number, holidays: readonly string[], workdays: readonly string[]): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  const check = (field: 'holidays' | 'workdays', dates: readonly string[]) => {
    const seen = new Set<string>();
    dates.forEach((date, i) => {
      if (yearOf(date) !== year) problems.push({ field: `${field}.${i}`, message: `${date} is not in ${year}` });
      else if (seen.has(date)) problems.push({ field: `${field}.${i}`, message: `${date} is listed twice` });
      seen.add(date);
    });
  };
  check('holidays', holidays);
  check('workdays', workdays);
  const holidaySet = new Set(holidays);
  workdays.forEach((date, i) => {
    if (holidaySet.has(date)) problems.push({ field: `workdays.${i}`, message: `${date} is also listed as a holiday` });
    else if (yearOf(date) === year && weekdayOfDay(dayNumber(date)) <= 5) {
      problems.push({ field: `workdays.${i}`, message: `${date} is a weekday, a working day anyway; a make-up working day (调休) falls on a Saturday or Sunday` });
    }
  });
  return problems;
}
