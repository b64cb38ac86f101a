/** GET /api/rectification/summary → plans open/closed, items by status, overdue by school */
import { httpRoute, reply } from '../platform/http';
import { districtSummary } from '../domain/rectification/ledger-report';

export const handler = httpRoute({ auth: 'official' }, async ({ official }) => reply(200, await districtSummary(official)));
