/**
 * The working-day calendar in force: a year an admin entered wins over the bundled table
 * (chinese-days), and a year known to neither is `missing` (weekends only, and a warning in health).
 *
 * The admin's years are read with one Query and kept for a minute per container, so an SLA costs no
 * request on a warm function; a new calendar takes effect within that minute everywhere (at once in the
 * container that stored it, and on one machine, where every handler shares this module). Deadlines
 * already stored are never recomputed: new ones use the new calendar.
 */
import { clock } from '../../platform/clock';
import { districtDate, yearOf } from '../../platform/dates';
import { ForbiddenError, InvalidInputError } from '../../platform/errors';
import type { Official } from '../registry/schemas';
import { bundledYear } from './bundled';
import { adminCalendars, putAdminCalendar, type AdminCalendar } from './calendar-repository';
import type { CalendarRequest, CalendarYearView } from './schemas';
import { calendarProblems, missingYear, workingCalendar, type WorkingCalendar, type YearCalendar } from './working-days';

const CACHE_MS = 60_000;
let cached: { at: number; calendar: Promise<WorkingCalendar>; admin: Promise<Map<number, AdminCalendar>> } | undefined;

function load() {
  // Real time, not the platform clock: this is how fresh the copy is, whatever the date being computed.
  if (cached && Date.now() - cached.at < CACHE_MS) return cached;
  const admin = adminCalendars().then((list) => new Map(list.map((c) => [c.year, c])));
  const calendar = admin.then((byYear) => workingCalendar((year): YearCalendar => byYear.get(year) ?? bundledYear(year) ?? missingYear(year)));
  const entry = { at: Date.now(), calendar, admin };
  cached = entry;
  // A failed read is not kept: the next call asks again.
  calendar.catch(() => cached === entry && (cached = undefined));
  return entry;
}

/** The working calendar in force (admin years, else bundled, else missing). */
export const currentWorkingCalendar = (): Promise<WorkingCalendar> => load().calendar;

/** The deadline of an SLA of N working days started at `from`, with the calendar in force. */
export async function dueAfterWorkingDays(from: Date, n: number): Promise<Date> {
  return (await currentWorkingCalendar()).dueAfterWorkingDays(from, n);
}

/** The civil date of the N-th working day after `from`, with the calendar in force. */
export async function nthWorkingDayAfter(from: Date, n: number): Promise<string> {
  return (await currentWorkingCalendar()).nthWorkingDayAfter(from, n);
}

/** GET /api/calendar/{year}: the year's calendar in force and where it comes from. */
export async function calendarYear(year: number): Promise<CalendarYearView> {
  const admin = (await load().admin).get(year);
  const cal = admin ?? bundledYear(year) ?? missingYear(year);
  return { year, source: cal.source, holidays: [...cal.holidays], workdays: [...cal.workdays], ...(admin ? { updatedBy: admin.updatedBy, updatedAt: admin.updatedAt } : {}) };
}

/** PUT /api/admin/calendar/{year}: the admin enters the State Council's schedule for a year. */
export async function replaceCalendarYear(official: Official, year: number, req: CalendarRequest): Promise<CalendarYearView> {
  if (official.role !== 'admin') throw new ForbiddenError('Only the admin keeps the working-day calendar');
  const problems = calendarProblems(year, req.holidays, req.workdays);
  if (problems.length) throw new InvalidInputError('The calendar is invalid: see details for each date', problems.map((p) => ({ ...p, in: 'body' as const })));
  const sorted = (dates: string[]) => [...new Set(dates)].sort();
  const cal: AdminCalendar = { year, source: 'admin', holidays: sorted(req.holidays), workdays: sorted(req.workdays), updatedBy: `${official.role}:${official.username}`, updatedAt: clock.now().toISOString() };
  await putAdminCalendar(cal);
  cached = undefined;
  return { year, source: 'admin', holidays: [...cal.holidays], workdays: [...cal.workdays], updatedBy: cal.updatedBy, updatedAt: cal.updatedAt };
}

export interface Warning {
  code: 'calendar_missing';
  year: number;
  message: string;
}

/**
 * What an admin must do about the calendar: the current year, and from 1 November the next one (the
 * State Council publishes the next year's schedule in the autumn, and SLAs started in December reach
 * into January), when no calendar is known for it.
 */
export async function calendarWarnings(now: Date): Promise<Warning[]> {
  const today = districtDate(now);
  const year = yearOf(today);
  const years = today.slice(5) >= '11-01' ? [year, year + 1] : [year];
  const calendar = await currentWorkingCalendar();
  return years
    .filter((y) => calendar.year(y).source === 'missing')
    .map((y) => ({
      code: 'calendar_missing' as const,
      year: y,
      message: `No working-day calendar is known for ${y}: SLAs count weekends only there. Enter the State Council's holiday schedule (PUT /api/admin/calendar/${y}).`,
    }));
}
