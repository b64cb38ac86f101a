/** Homework notices (作业公示), API.md "Homework and rectification". */
import * as z from 'zod';
import { schema } from '../../platform/schema';

export const homeworkKinds = ['written', 'reading', 'exercise', 'labour', 'practice'] as const;
export const HomeworkKind = /* @__PURE__ */ schema(() => z.enum(homeworkKinds));
export type HomeworkKind = z.infer<typeof HomeworkKind>;

export const HomeworkItem = /* @__PURE__ */ schema(() => z.strictObject({
  subject: z.string().trim().min(1, 'must not be empty').max(30, 'must be at most 30 characters'),
  content: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
  kind: HomeworkKind,
  minutes: z.number().int('must be whole minutes').min(1, 'must be at least 1 minute').max(240, 'must be at most 240 minutes'),
}));
export type HomeworkItem = z.infer<typeof HomeworkItem>;

export const NoticeRequest = /* @__PURE__ */ schema(() => z
  .strictObject({
    classId: z.string().min(1).max(40),
    date: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
    // An empty list is a notice too: "no homework today" is worth publishing.
    items: z.array(HomeworkItem).max(20, 'must list at most 20 items'),
  })
  .meta({ id: 'HomeworkNoticeRequest' }));
export type NoticeRequest = z.infer<typeof NoticeRequest>;

export const Violation = /* @__PURE__ */ schema(() => z.object({
  rule: z.string(),
  /** The rule set and its version, e.g. national-default@1. */
  ruleSet: z.string(),
  message: z.string(),
  items: z.array(z.number().int()).optional(),
}));
export type Violation = z.infer<typeof Violation>;

export const NoticeCreated = /* @__PURE__ */ schema(() => z.object({ noticeId: z.string(), violations: z.array(Violation), rectificationItemIds: z.array(z.string()) }).meta({ id: 'HomeworkNoticeCreated' }));

export const Notice = /* @__PURE__ */ schema(() => z
  .object({
    noticeId: z.string(),
    schoolId: z.string(),
    classId: z.string(),
    grade: z.number().int(),
    date: z.string(),
    items: z.array(HomeworkItem),
    writtenMinutes: z.number().int(),
    totalMinutes: z.number().int(),
    violations: z.array(Violation),
    publishedAt: z.string(),
  })
  .meta({ id: 'HomeworkNotice' }));
export type Notice = z.infer<typeof Notice>;

export const NoticeQuery = /* @__PURE__ */ schema(() => z.strictObject({
  schoolId: z.string().min(1).max(40),
  classId: z.string().min(1).max(40).optional(),
  date: z.iso.date({ message: 'must be a date YYYY-MM-DD' }).optional(),
}));
