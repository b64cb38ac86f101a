/** GET /api/campaigns/{campaignId}/results?round= (supervisor; a school administrator: its own school) */
import { httpRoute, reply } from '../platform/http';
import { CampaignIdPath, ResultsQuery } from '../domain/campaigns/schemas';
import { campaignResults } from '../domain/campaigns/campaigns';

export const handler = httpRoute({ auth: 'official', path: CampaignIdPath, query: ResultsQuery }, async ({ official, path, query }) =>
  reply(200, await campaignResults(official, path.campaignId, query.round)),
);
