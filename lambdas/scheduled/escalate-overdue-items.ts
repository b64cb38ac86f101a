/** Schedule (daily): rectification items past their due date are flagged overdue and the school notified. */
import { escalateOverdueItems } from '../domain/rectification/overdue-escalation';
import { logger } from '../platform/logger';

export const handler = async (): Promise<{ flagged: number }> => {
  const result = await escalateOverdueItems();
  if (result.flagged) logger.info('overdue rectification items flagged', result);
  return result;
};
