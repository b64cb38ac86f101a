import { districtTimestamp } from '../../platform/dates';
import type { Task } from './task-repository';
import type { TaskView } from './schemas';

export function taskView(t: Task, now: Date): TaskView {
  return {
    taskId: t.taskId,
    kind: t.kind,
    title: t.title,
    subjectId: t.receiptNo,
    status: t.status,
    openedAt: districtTimestamp(new Date(t.openedAt)),
    dueAt: districtTimestamp(new Date(t.dueAt)),
    overdue: t.status === 'open' && new Date(t.dueAt) < now,
    escalated: t.escalated || t.escalationOf !== undefined,
    decisions: t.decisions,
    assignee: t.assignee,
    ...(t.decision ? { decision: t.decision } : {}),
    ...(t.completedBy ? { completedBy: t.completedBy } : {}),
    ...(t.completedAt ? { completedAt: districtTimestamp(new Date(t.completedAt)) } : {}),
  };
}
