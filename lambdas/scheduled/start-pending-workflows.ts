/** Schedule (every minute): start the workflow of every stored complaint whose start was not confirmed. */
import { startPendingWorkflows } from '../domain/complaints/workflow-start';
import { logger } from '../platform/logger';

export const handler = async (): Promise<{ started: number; failed: number }> => {
  const result = await startPendingWorkflows();
  if (result.started || result.failed) logger.info('pending complaint workflows', result);
  return result;
};
