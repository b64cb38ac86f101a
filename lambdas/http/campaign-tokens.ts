/** POST /api/campaigns/{campaignId}/tokens (supervisor) */
import { httpRoute, reply } from '../platform/http';
import { CampaignIdPath, TokensRequest } from '../domain/campaigns/schemas';
import { issueTokens } from '../domain/campaigns/campaign-audience';

export const handler = httpRoute({ auth: 'official', path: CampaignIdPath, body: TokensRequest }, async ({ official, path, body }) =>
  reply(201, await issueTokens(official, path.campaignId, body)),
);
