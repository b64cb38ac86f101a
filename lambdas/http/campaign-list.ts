/** GET /api/campaigns (supervisor): the campaign list, newest first, paginated, optionally by status. */
import { httpRoute, reply } from '../platform/http';
import { CampaignListQuery } from '../domain/campaigns/schemas';
import { campaignList } from '../domain/campaigns/campaigns';

export const handler = httpRoute({ auth: 'official', query: CampaignListQuery }, async ({ official, query }) => reply(200, await campaignList(official, query)));
