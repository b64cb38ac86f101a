/** The rectification ledger (台账): "one school, one plan", items closed one by one (销号). API.md. */
import * as z from 'zod';
import { schema } from '../../platform/schema';

export const itemSources = ['notice_violation', 'self_inspection', 'complaint_case', 'survey_signal'] as const;
export const ItemSource = /* @__PURE__ */ schema(() => z.enum(itemSources));
export type ItemSource = z.infer<typeof ItemSource>;

export const itemStatuses = ['open', 'submitted', 'returned', 'closed'] as const;
export const ItemStatus = /* @__PURE__ */ schema(() => z.enum(itemStatuses));
export type ItemStatus = z.infer<typeof ItemStatus>;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const PlanIdPath = /* @__PURE__ */ schema(() => z.object({ planId: z.string().regex(/^RP-[a-z0-9]+-\d{3,}$/, 'must be a plan id like RP-p06-001') }));
export const ItemIdPath = /* @__PURE__ */ schema(() => z.object({ itemId: z.string().regex(/^RP-[a-z0-9]+-\d{3,}\.[a-z0-9]{4,16}$/, 'must be an item id like RP-p06-001.4f2a9c') }));

export const NewItemRequest = /* @__PURE__ */ schema(() => z
  .strictObject({
    description: text(1000),
    measure: text(1000),
    owner: text(50),
    dueOn: z.iso.date({ message: 'must be a date YYYY-MM-DD' }),
    /** Supervisors may record any source; a school's own items are self-inspection. */
    source: ItemSource.optional(),
    sourceRef: z.string().max(100).optional(),
  })
  .meta({ id: 'NewRectificationItem' }));
export type NewItemRequest = z.infer<typeof NewItemRequest>;

export const SubmitRequest = /* @__PURE__ */ schema(() => z
  .strictObject({
    note: text(2000),
    evidence: z.array(z.string().regex(/^[a-f0-9]{32}$/, 'must be a file id from an evidence upload')).min(1, 'must name at least one uploaded file').max(20),
  })
  .meta({ id: 'SubmitRectificationItem' }));
export const ReturnRequest = /* @__PURE__ */ schema(() => z.strictObject({ reason: text(1000) }).meta({ id: 'ReturnRectificationItem' }));
export const CloseRequest = /* @__PURE__ */ schema(() => z.strictObject({ note: text(1000).optional() }).meta({ id: 'CloseRectificationItem' }));

export const Evidence = /* @__PURE__ */ schema(() => z.object({ fileId: z.string(), fileName: z.string(), contentType: z.string(), size: z.number(), uploadedAt: z.string(), downloadUrl: z.string().optional() }));
export const HistoryEntry = /* @__PURE__ */ schema(() => z.object({ at: z.string(), action: z.string(), by: z.string(), note: z.string().optional() }));

export const Item = /* @__PURE__ */ schema(() => z
  .object({
    itemId: z.string(),
    planId: z.string(),
    schoolId: z.string(),
    source: ItemSource,
    sourceRef: z.string().optional(),
    description: z.string(),
    measure: z.string(),
    owner: z.string(),
    dueOn: z.string(),
    status: ItemStatus,
    overdue: z.boolean(),
    evidence: z.array(Evidence),
    history: z.array(HistoryEntry),
    closedOn: z.string().optional(),
    closedBy: z.string().optional(),
  })
  .meta({ id: 'RectificationItem' }));
export type ItemView = z.infer<typeof Item>;

export const Plan = /* @__PURE__ */ schema(() => z
  .object({
    planId: z.string(),
    schoolId: z.string(),
    status: z.enum(['open', 'closed']),
    openedAt: z.string(),
    closedAt: z.string().optional(),
    items: z.array(Item),
  })
  .meta({ id: 'RectificationPlan' }));
export type PlanView = z.infer<typeof Plan>;

export const PlansQuery = /* @__PURE__ */ schema(() => z.strictObject({ schoolId: z.string().min(1).max(40) }));
export const ExportQuery = /* @__PURE__ */ schema(() => z.strictObject({ format: z.enum(['csv', 'xlsx']), schoolId: z.string().min(1).max(40).optional() }));
