/** GET /api/rectification/plans/{planId} */
import { httpRoute, reply } from '../platform/http';
import { PlanIdPath } from '../domain/rectification/schemas';
import { planForOfficial } from '../domain/rectification/ledger';

export const handler = httpRoute({ auth: 'official', path: PlanIdPath }, async ({ official, path }) => reply(200, await planForOfficial(official, path.planId)));
