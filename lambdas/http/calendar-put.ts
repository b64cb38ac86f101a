/** PUT /api/admin/calendar/{year} (admin): the State Council's schedule for a year; it wins over the bundled one. */
import { httpRoute, reply } from '../platform/http';
import { CalendarRequest, CalendarYearPath } from '../domain/calendar/schemas';
import { replaceCalendarYear } from '../domain/calendar/calendar';

export const handler = httpRoute({ auth: 'official', path: CalendarYearPath, body: CalendarRequest }, async ({ official, path, body }) =>
  reply(200, await replaceCalendarYear(official, path.year, body)),
);
