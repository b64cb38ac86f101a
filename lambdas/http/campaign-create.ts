/** POST /api/campaigns (supervisor) */
import { httpRoute, reply } from '../platform/http';
import { CampaignRequest } from '../domain/campaigns/schemas';
import { createCampaign } from '../domain/campaigns/campaign-audience';

export const handler = httpRoute({ auth: 'official', body: CampaignRequest }, async ({ official, body }) => reply(201, await createCampaign(official, body)));
