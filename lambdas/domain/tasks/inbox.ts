/** GET /api/tasks: the caller's open tasks, earliest due first, with the decisions each allows. */
import { clock } from '../../platform/clock';
import type { Official } from '../registry/schemas';
import { inboxOf } from './access';
import { openTasksOf } from './task-repository';
import type { TaskView } from './schemas';
import { taskView } from './views';

export async function inbox(official: Official): Promise<TaskView[]> {
  const partition = inboxOf(official);
  if (!partition) return [];
  const now = clock.now();
  return (await openTasksOf(partition)).map((t) => taskView(t, now));
}
