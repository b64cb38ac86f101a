/** The public contract of complaint intake (API.md). Types are derived from these schemas. */
import * as z from 'zod';
import { schema } from '../../platform/schema';

export const complaintCategories = [
  'unlicensed_tutoring',
  'licensed_violation',
  'teacher_paid_tutoring',
  'homework_burden',
  'after_school_service',
  'other',
] as const;
export const ComplaintCategory = /* @__PURE__ */ schema(() => z.enum(complaintCategories));
export type ComplaintCategory = z.infer<typeof ComplaintCategory>;

export const publicStatuses = ['received', 'accepted', 'investigating', 'joint_enforcement', 'rectifying', 'closed'] as const;
export const PublicStatus = /* @__PURE__ */ schema(() => z.enum(publicStatuses));
export type PublicStatus = z.infer<typeof PublicStatus>;

/** Mainland China mobile number: 11 digits starting 13–19. */
export const MainlandMobile = /* @__PURE__ */ schema(() => z.string().regex(/^1[3-9]\d{9}$/, 'must be a mainland mobile number (11 digits, starting 13–19)'));

const isoDate = /* @__PURE__ */ schema(() => z.iso.date({ message: 'must be a date YYYY-MM-DD' }));
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const ComplaintSubmission = /* @__PURE__ */ schema(() => z
  .strictObject({
    category: ComplaintCategory,
    description: z
      .string()
      .trim()
      .min(10, 'must be at least 10 characters')
      .max(2000, 'must be at most 2000 characters'),
    subject: z.strictObject({
      institutionName: text(200).optional(),
      address: text(300).optional(),
      schoolName: text(200).optional(),
      teacherName: text(50).optional(),
    }),
    occurredOn: isoDate.optional(),
    contact: z
      .strictObject({
        name: text(50).optional(),
        phone: MainlandMobile.optional(),
      })
      .optional(),
    anonymous: z.boolean().optional(),
  })
  .superRefine((c, ctx) => {
    // An anonymous report stores no contact at all: refusing a contact here is clearer than dropping it.
    if (c.anonymous && c.contact && (c.contact.name || c.contact.phone)) {
      ctx.addIssue({ code: 'custom', path: ['contact'], message: 'must be empty when anonymous is true' });
    }
  })
  .meta({ id: 'ComplaintSubmission' }));
export type ComplaintSubmission = z.infer<typeof ComplaintSubmission>;

export const ReceiptNo = /* @__PURE__ */ schema(() => z.string().regex(/^TS-\d{4}-\d{6}$/, 'must look like TS-2026-000123'));

export const ComplaintReceipt = /* @__PURE__ */ schema(() => z
  .object({
    receiptNo: ReceiptNo,
    accessCode: z.string().min(8),
    status: PublicStatus,
  })
  .meta({ id: 'ComplaintReceipt' }));
export type ComplaintReceipt = z.infer<typeof ComplaintReceipt>;

export const TimelineEntry = /* @__PURE__ */ schema(() => z.object({
  at: z.string(),
  status: PublicStatus,
  note: z.string().optional(),
}));
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const ComplaintPublicView = /* @__PURE__ */ schema(() => z
  .object({
    receiptNo: ReceiptNo,
    category: ComplaintCategory,
    status: PublicStatus,
    submittedAt: z.string(),
    timeline: z.array(TimelineEntry),
    outcome: z.string().optional(),
  })
  .meta({ id: 'ComplaintPublicView' }));
export type ComplaintPublicView = z.infer<typeof ComplaintPublicView>;

export const ReceiptPath = /* @__PURE__ */ schema(() => z.object({ receiptNo: ReceiptNo }));
export const AccessCodeHeaders = /* @__PURE__ */ schema(() => z.object({
  'x-access-code': z.string({ message: 'the X-Access-Code header is required' }).min(1).max(64),
}));

export const RatingRequest = /* @__PURE__ */ schema(() => z.strictObject({ score: z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'), comment: z.string().trim().max(500, 'must be at most 500 characters').optional() }).meta({ id: 'RatingRequest' }));
export type RatingRequest = z.infer<typeof RatingRequest>;
export const RatingAnswer = /* @__PURE__ */ schema(() => z.object({ receiptNo: ReceiptNo, score: z.number(), ratedAt: z.string() }).meta({ id: 'RatingAnswer' }));

export const QueueQuery = /* @__PURE__ */ schema(() => z.strictObject({
  status: PublicStatus.optional(),
  unit: z.enum(['group_1', 'group_2', 'group_3', 'group_4', 'school_supervision', 'teacher_conduct']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2000).optional(),
}));
export type QueueQuery = z.infer<typeof QueueQuery>;

export const CaseSummary = /* @__PURE__ */ schema(() => z.object({
  receiptNo: ReceiptNo,
  category: ComplaintCategory,
  status: PublicStatus,
  unit: z.string().optional(),
  submittedAt: z.string(),
  overdue: z.boolean(),
  duplicateOf: z.string().optional(),
}));
export const QueuePage = /* @__PURE__ */ schema(() => z.object({ items: z.array(CaseSummary), cursor: z.string().optional() }).meta({ id: 'CaseQueuePage' }));

export const OfficialCaseView = /* @__PURE__ */ schema(() => z
  .object({
    receiptNo: ReceiptNo,
    category: ComplaintCategory,
    status: PublicStatus,
    description: z.string(),
    subject: z.record(z.string(), z.string()),
    occurredOn: z.string().optional(),
    submittedAt: z.string(),
    anonymous: z.boolean(),
    unit: z.string().optional(),
    triage: z.record(z.string(), z.unknown()).optional(),
    duplicateOf: z.string().optional(),
    duplicates: z.array(z.string()),
    overdue: z.boolean(),
    outcome: z.string().optional(),
    rating: z.object({ score: z.number(), comment: z.string().optional() }).optional(),
    contact: z.object({ name: z.string().optional(), phone: z.string().optional() }).optional(),
    auditTrail: z.array(z.record(z.string(), z.unknown())),
  })
  .meta({ id: 'OfficialCaseView' }));
export type OfficialCaseView = z.infer<typeof OfficialCaseView>;
