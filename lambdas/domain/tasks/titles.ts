import type { TaskKind } from './schemas';

const TITLES: Record<TaskKind, string> = {
  accept_case: 'Accept or transfer complaint',
  investigate: 'Investigate complaint',
  department_signoff: 'Sign off joint enforcement action for complaint',
  reinspect: 'Re-inspect rectification for complaint',
};

export const taskTitle = (kind: TaskKind, receiptNo: string, escalated = false): string =>
  `${escalated ? '[Escalated] ' : ''}${TITLES[kind]} ${receiptNo}`;
