/** Who may see and work which task: the scope comes from the official's token (role + unit/department). */
import type { Official } from '../registry/schemas';
import type { Assignee } from './schemas';

/** The inbox partition of an official, or none for roles that have no complaint tasks. */
export function inboxOf(official: Official): string | undefined {
  if (official.role === 'supervisor') return 'ROLE#supervisor';
  if (official.role === 'group_officer' && official.unit) return `UNIT#${official.unit}`;
  if (official.role === 'department_officer' && official.department) return `DEPT#${official.department}`;
  return undefined;
}

export function mayWork(official: Official, assignee: Assignee): boolean {
  if (assignee.role === 'supervisor') return official.role === 'supervisor';
  if (assignee.unit) return official.role === 'group_officer' && official.unit === assignee.unit;
  return official.role === 'department_officer' && official.department === assignee.department;
}
