/** POST /api/admin/import?kind=&dryRun= (admin): a CSV or XLSX sheet of a registry, checked whole, written all or nothing. */
import { httpRoute, reply } from '../platform/http';
import { ImportQuery } from '../domain/registry/schemas';
import { readSheet, sheetUpload } from '../domain/registry/sheets';
import { importSheet } from '../domain/registry/registry-import';
import { requireAdmin } from '../domain/registry/admin';

export const handler = httpRoute({ auth: 'official', query: ImportQuery, upload: sheetUpload }, async ({ official, query, file }) => {
  requireAdmin(official);
  return reply(200, await importSheet(official, query.kind, await readSheet(file), { dryRun: query.dryRun === 'true' }));
});
