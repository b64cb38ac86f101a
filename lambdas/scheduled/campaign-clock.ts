/** Schedule (every minute): open and close campaign rounds on time, remind before closing. */
import { tickCampaigns } from '../domain/campaigns/campaign-clock';
import { logger } from '../platform/logger';

export const handler = async () => {
  const result = await tickCampaigns();
  if (result.opened || result.closed || result.reminded) logger.info('campaign clock', result);
  return result;
};
