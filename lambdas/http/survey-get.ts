/** GET /api/surveys/{campaignId} (public, while open) */
import { httpRoute, reply } from '../platform/http';
import { CampaignIdPath } from '../domain/campaigns/schemas';
import { surveyForm } from '../domain/campaigns/campaigns';

export const handler = httpRoute({ auth: 'public', path: CampaignIdPath }, async ({ path }) => reply(200, await surveyForm(path.campaignId)));
