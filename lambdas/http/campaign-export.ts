/**
 * GET /api/campaigns/{campaignId}/export?format=csv|xlsx&round= (supervisor): answers 303 See Other to
 * the file, which was streamed into the bucket; a client following redirects downloads it directly.
 */
import { httpRoute, reply } from '../platform/http';
import { CampaignIdPath, ResponsesExportQuery } from '../domain/campaigns/schemas';
import { exportResponses } from '../domain/campaigns/export-responses';

export const handler = httpRoute({ auth: 'official', path: CampaignIdPath, query: ResponsesExportQuery }, async ({ official, path, query }) => {
  const file = await exportResponses(official, path.campaignId, query);
  return reply(303, { fileName: file.fileName, rows: file.rows, url: file.url }, { location: file.url });
});
