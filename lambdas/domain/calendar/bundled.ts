/**
 * The calendar that ships with the platform: chinese-days's own table (dist/chinese-days.json: every
 * public holiday and make-up working day it knows, keyed YYYY-MM-DD), grouped by year. A year the
 * package does not know (it has no 2027 at 1.5.7) is not bundled; an admin enters it (calendar.ts).
 * Reading the JSON rather than importing the package's functions saves ~10 ms of every cold start
 * (the package rebuilds its table at load).
 */
import table from 'chinese-days/dist/chinese-days.json';
import { yearOf, type CivilDate } from '../../platform/dates';
import type { YearCalendar } from './working-days';

const { holidays, workdays } = table as { holidays: Record<CivilDate, string>; workdays: Record<CivilDate, string> };

function byYear(dates: Record<CivilDate, string>): Map<number, CivilDate[]> {
  const years = new Map<number, CivilDate[]>();
  for (const date of Object.keys(dates).sort()) {
    const y = yearOf(date);
    years.set(y, [...(years.get(y) ?? []), date]);
  }
  return years;
}

const holidaysByYear = byYear(holidays);
const workdaysByYear = byYear(workdays);

/** The bundled calendar of a year, or undefined when the package has none (every known year has holidays). */
export function bundledYear(year: number): YearCalendar | undefined {
  const h = holidaysByYear.get(year);
  if (!h) return undefined;
  return { year, source: 'bundled', holidays: h, workdays: workdaysByYear.get(year) ?? [] };
}

/** The years the bundled table covers, oldest first. */
export const bundledYears = (): number[] => [...holidaysByYear.keys()].sort((a, b) => a - b);
