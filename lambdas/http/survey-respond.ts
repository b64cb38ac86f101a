/** POST /api/surveys/{campaignId}/responses (public, with a one-time token) */
import { httpRoute, reply } from '../platform/http';
import { CampaignIdPath, ResponseRequest } from '../domain/campaigns/schemas';
import { submitResponse } from '../domain/campaigns/campaigns';

export const handler = httpRoute({ auth: 'public', path: CampaignIdPath, body: ResponseRequest }, async ({ path, body }) => reply(201, await submitResponse(path.campaignId, body)));
