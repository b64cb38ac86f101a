/** POST /api/surveys/{campaignId}/responses (public, with a one-time token) */
import { httpRoute, reply } from '../platform/http';
import { clientLimit } from '../platform/rate-limit';
import { CampaignIdPath, ResponseRequest } from '../domain/campaigns/schemas';
import { submitResponse } from '../domain/campaigns/survey-answers';

export const handler = httpRoute({ auth: 'public', guard: clientLimit('publicWrites'), path: CampaignIdPath, body: ResponseRequest }, async ({ path, body }) => reply(201, await submitResponse(path.campaignId, body)));
