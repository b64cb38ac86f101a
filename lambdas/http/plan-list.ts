/** GET /api/rectification/plans?schoolId= */
import { httpRoute, reply } from '../platform/http';
import { PlansQuery } from '../domain/rectification/schemas';
import { plansOfSchool } from '../domain/rectification/ledger';

export const handler = httpRoute({ auth: 'official', query: PlansQuery }, async ({ official, query }) => reply(200, await plansOfSchool(official, query.schoolId)));
