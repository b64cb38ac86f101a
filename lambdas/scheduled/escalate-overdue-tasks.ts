/** Schedule (every minute): tasks past their SLA get a supervisor task of the same kind. */
import { escalateOverdueTasks } from '../domain/tasks/escalate';
import { logger } from '../platform/logger';

export const handler = async (): Promise<{ escalated: number }> => {
  const result = await escalateOverdueTasks();
  if (result.escalated) logger.info('overdue tasks escalated', result);
  return result;
};
