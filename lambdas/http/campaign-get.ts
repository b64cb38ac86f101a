/** GET /api/campaigns/{campaignId} */
import { httpRoute, reply } from '../platform/http';
import { CampaignIdPath } from '../domain/campaigns/schemas';
import { campaignForOfficial } from '../domain/campaigns/campaign-audience';

export const handler = httpRoute({ auth: 'official', path: CampaignIdPath }, async ({ official, path }) => reply(200, await campaignForOfficial(official, path.campaignId)));
