/** The task inbox contract (API.md "Tasks"): kinds, their decisions and the data each decision needs. */
import * as z from 'zod';
import { Department, Unit } from '../registry/schemas';
import { schema } from '../../platform/schema';

export const taskKinds = ['accept_case', 'investigate', 'department_signoff', 'reinspect'] as const;
export const TaskKind = /* @__PURE__ */ schema(() => z.enum(taskKinds));
export type TaskKind = z.infer<typeof TaskKind>;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const rectificationDays = /* @__PURE__ */ schema(() => z.number().int().min(1, 'must be at least 1 working day').max(60, 'must be at most 60 working days'));

/** Per kind, per decision: the schema of `data`. */
export const decisionData = /* @__PURE__ */ schema(() => ({
  accept_case: {
    accept: z.strictObject({}),
    transfer: z.strictObject({ unit: Unit }),
  },
  investigate: {
    unfounded: z.strictObject({ findings: text(4000), publicOutcome: text(500).optional() }),
    violation_confirmed: z.strictObject({
      findings: text(4000),
      departments: z.array(Department).max(6).refine((d) => new Set(d).size === d.length, 'must not name a department twice'),
      rectificationDays: rectificationDays.optional(),
      publicOutcome: text(500).optional(),
    }),
  },
  department_signoff: {
    signed: z.strictObject({ action: text(2000) }),
  },
  reinspect: {
    rectified: z.strictObject({ findings: text(4000).optional(), publicOutcome: text(500).optional() }),
    not_rectified: z.strictObject({ findings: text(4000).optional(), rectificationDays: rectificationDays.optional() }),
  },
} as const satisfies Record<TaskKind, Record<string, z.ZodType>>));

export const decisionsOf = (kind: TaskKind): string[] => Object.keys(decisionData[kind]);

export const TaskIdPath = /* @__PURE__ */ schema(() => z.object({ taskId: z.string().regex(/^[0-9a-f]{32}$/, 'must be a task id') }));

export const CompleteTaskRequest = /* @__PURE__ */ schema(() => z
  .strictObject({
    decision: z.string().min(1).max(50),
    comment: text(2000).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'CompleteTaskRequest' }));
export type CompleteTaskRequest = z.infer<typeof CompleteTaskRequest>;

export const Assignee = /* @__PURE__ */ schema(() => z.object({
  unit: Unit.optional(),
  department: Department.optional(),
  role: z.enum(['group_officer', 'department_officer', 'supervisor']),
}));
export type Assignee = z.infer<typeof Assignee>;

export const TaskView = /* @__PURE__ */ schema(() => z
  .object({
    taskId: z.string(),
    kind: TaskKind,
    title: z.string(),
    subjectId: z.string(),
    status: z.enum(['open', 'completed', 'superseded']),
    openedAt: z.string(),
    dueAt: z.string(),
    overdue: z.boolean(),
    escalated: z.boolean(),
    decisions: z.array(z.string()),
    assignee: Assignee,
    decision: z.string().optional(),
    completedBy: z.string().optional(),
    completedAt: z.string().optional(),
  })
  .meta({ id: 'Task' }));
export type TaskView = z.infer<typeof TaskView>;

/** What a completed human step hands back to the workflow (SendTaskSuccess output). */
export interface StepOutcome {
  decision: string;
  data: Record<string, unknown>;
  comment: string | null;
  completedBy: string;
  completedAt: string;
}
