/** GET /api/openapi.json */
import { routes } from '../../lib/spec/routes';
import { httpRoute, reply } from '../platform/http';
import { openApiDocument } from '../platform/openapi';

// Local mode serves the dev-login route too, so the document lists it there (marked one-machine only).
const LOCAL = Boolean(process.env.DATA_DIR);
const document = openApiDocument(LOCAL ? routes : routes.filter((r) => !r.localOnly), {
  title: 'Double Reduction governance platform',
  version: '0.1.0',
});

export const handler = httpRoute({ auth: 'public' }, async () => reply(200, document, { 'cache-control': 'public, max-age=300' }));
