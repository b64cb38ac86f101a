/** PUT /api/campaigns/{campaignId}/form (supervisor): a new form version. */
import * as z from 'zod';
import { httpRoute, reply } from '../platform/http';
import { CampaignIdPath } from '../domain/campaigns/schemas';
import { newFormVersion } from '../domain/campaigns/campaigns';

export const handler = httpRoute({ auth: 'official', path: CampaignIdPath, body: z.record(z.string(), z.unknown()) }, async ({ official, path, body }) =>
  reply(200, await newFormVersion(official, path.campaignId, body)),
);
