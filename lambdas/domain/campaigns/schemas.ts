/** Questionnaire campaigns (API.md "Campaigns and surveys"). */
import * as z from 'zod';
import { schema } from '../../platform/schema';

const offsetDateTime = /* @__PURE__ */ schema(() => z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with an offset, e.g. 2026-12-01T08:00:00+08:00' }));

export const OneOffSchedule = /* @__PURE__ */ schema(() => z.strictObject({ opensAt: offsetDateTime, closesAt: offsetDateTime }).refine((s) => Date.parse(s.opensAt) < Date.parse(s.closesAt), { message: 'closesAt must be after opensAt', path: ['closesAt'] }));
export const RecurringSchedule = /* @__PURE__ */ schema(() => z.strictObject({
  /** Five-field cron in district time (UTC+08:00), e.g. "0 8 1 * *": the 1st of every month at 08:00. */
  cron: z.string().min(9).max(100),
  openForDays: z.number().int().min(1, 'must be at least 1 day').max(31, 'must be at most 31 days'),
}));
export const Schedule = /* @__PURE__ */ schema(() => z.union([OneOffSchedule, RecurringSchedule], { error: 'must be {opensAt, closesAt} or {cron, openForDays}' }));
export type Schedule = z.infer<typeof Schedule>;

export const Threshold = /* @__PURE__ */ schema(() => z.strictObject({
  question: z.string().min(1).max(64),
  /** The answers that count (choice values; "true"/"false" for a boolean; rating steps as strings). */
  values: z.array(z.string().min(1).max(100)).min(1).max(20),
  /** The share of a class's responses above which an item opens, e.g. 0.2 for "more than 20%". */
  moreThan: z.number().gt(0).lt(1),
  /** Too few answers say nothing: no item below this many responses in the class. */
  minResponses: z.number().int().min(1).max(1000).default(5),
  description: z.string().max(300).optional(),
}));
export type Threshold = z.infer<typeof Threshold>;

export const CampaignRequest = /* @__PURE__ */ schema(() => z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    form: z.record(z.string(), z.unknown(), { error: 'must be a SurveyJS JSON object' }),
    audience: z.strictObject({
      classIds: z
        .array(z.string().min(1).max(40))
        .min(1, 'must name at least one class')
        .max(500)
        .refine((ids) => new Set(ids).size === ids.length, 'must not name a class twice'),
    }),
    schedule: Schedule,
    thresholds: z.array(Threshold).max(10).default([]),
    reminderHoursBeforeClose: z.number().int().min(1).max(168).default(24),
  })
  .meta({ id: 'CampaignRequest' }));
export type CampaignRequest = z.infer<typeof CampaignRequest>;

export const CampaignIdPath = /* @__PURE__ */ schema(() => z.object({ campaignId: z.string().regex(/^CP-[0-9A-Z]{10}$/, 'must be a campaign id like CP-0123456789') }));

export const Round = /* @__PURE__ */ schema(() => z.object({ round: z.number().int(), opensAt: z.string(), closesAt: z.string(), status: z.enum(['open', 'closed']), formVersion: z.number().int(), enrolled: z.number().int() }));
export type Round = z.infer<typeof Round>;

export const CampaignView = /* @__PURE__ */ schema(() => z
  .object({
    campaignId: z.string(),
    title: z.string(),
    status: z.enum(['scheduled', 'open', 'closed']),
    formVersion: z.number().int(),
    audience: z.object({ classIds: z.array(z.string()) }),
    schedule: z.unknown(),
    thresholds: z.array(Threshold),
    rounds: z.array(Round),
    nextOpensAt: z.string().optional(),
  })
  .meta({ id: 'Campaign' }));
export type CampaignView = z.infer<typeof CampaignView>;

export const TokensRequest = /* @__PURE__ */ schema(() => z.strictObject({ classId: z.string().min(1).max(40), count: z.number().int().min(1).max(500) }).meta({ id: 'TokensRequest' }));
export const TokensAnswer = /* @__PURE__ */ schema(() => z.object({ round: z.number().int(), classId: z.string(), tokens: z.array(z.string()) }).meta({ id: 'Tokens' }));

export const ResponseRequest = /* @__PURE__ */ schema(() => z.strictObject({ token: z.string().min(8).max(64), answers: z.record(z.string(), z.unknown()) }).meta({ id: 'SurveyResponse' }));
export type ResponseRequest = z.infer<typeof ResponseRequest>;

export const ResultsQuery = /* @__PURE__ */ schema(() => z.strictObject({ round: z.coerce.number().int().min(1).optional() }));

export const ResponsesExportQuery = /* @__PURE__ */ schema(() => z.strictObject({ format: z.enum(['csv', 'xlsx']), round: z.coerce.number().int().min(1).optional() }));

export const CampaignListQuery = /* @__PURE__ */ schema(() =>
  z.strictObject({
    status: z.enum(['scheduled', 'open', 'closed']).optional(),
    cursor: z.string().max(2000).optional(),
    limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  }),
);
export type CampaignListQuery = z.infer<typeof CampaignListQuery>;

export const CampaignListPage = /* @__PURE__ */ schema(() =>
  z
    .object({
      items: z.array(
        z.object({
          campaignId: z.string(),
          title: z.string(),
          status: z.enum(['scheduled', 'open', 'closed']),
          createdAt: z.string(),
          createdBy: z.string(),
          classCount: z.number().int(),
        }),
      ),
      cursor: z.string().optional(),
    })
    .meta({ id: 'CampaignListPage' }),
);
