/** The working-day calendar's contract (API.md "Calendar"). */
import * as z from 'zod';
import { schema } from '../../platform/schema';
import { isCivilDate } from '../../platform/dates';

const CivilDateSchema = /* @__PURE__ */ schema(() => z.string().refine(isCivilDate, 'must be a calendar date YYYY-MM-DD'));

export const CalendarYearPath = /* @__PURE__ */ schema(() =>
  z.object({ year: z.coerce.number({ error: 'must be a year' }).int('must be a year').min(2000, 'must be 2000 or later').max(2100, 'must be 2100 or earlier') }),
);

export const CalendarRequest = /* @__PURE__ */ schema(() =>
  z.strictObject({
    holidays: z.array(CivilDateSchema).max(366, 'must list at most 366 dates'),
    workdays: z.array(CivilDateSchema).max(366, 'must list at most 366 dates'),
  }),
);
export type CalendarRequest = z.infer<typeof CalendarRequest>;

export const CalendarYearView = /* @__PURE__ */ schema(() =>
  z
    .object({
      year: z.number().int(),
      source: z.enum(['bundled', 'admin', 'missing']),
      holidays: z.array(z.string()),
      workdays: z.array(z.string()),
      updatedBy: z.string().optional(),
      updatedAt: z.string().optional(),
    })
    .meta({ id: 'CalendarYear' }),
);
export type CalendarYearView = z.infer<typeof CalendarYearView>;
