/** GET /api/calendar/{year} (public): the public holidays and make-up working days SLAs count with. */
import { httpRoute, reply } from '../platform/http';
import { CalendarYearPath } from '../domain/calendar/schemas';
import { calendarYear } from '../domain/calendar/calendar';

export const handler = httpRoute({ auth: 'public', path: CalendarYearPath }, async ({ path }) => reply(200, await calendarYear(path.year)));
