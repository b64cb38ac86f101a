/** Schedule (every minute): deliver decisions recorded but not yet confirmed to the workflow engine. */
import { redeliverDecisions } from '../domain/tasks/deliver';
import { logger } from '../platform/logger';

export const handler = async (): Promise<{ delivered: number; pending: number }> => {
  const result = await redeliverDecisions();
  if (result.delivered || result.pending) logger.info('decisions redelivered', result);
  return result;
};
