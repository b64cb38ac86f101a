/** GET /api/rectification/export?format=csv|xlsx[&schoolId=] → the ledger as a file to download */
import { httpRoute, reply } from '../platform/http';
import { ExportQuery } from '../domain/rectification/schemas';
import { exportLedger } from '../domain/rectification/ledger-report';

export const handler = httpRoute({ auth: 'official', query: ExportQuery }, async ({ official, query }) => {
  const file = await exportLedger(official, query);
  return reply.file(file.contentType, file.fileName, file.body);
});
