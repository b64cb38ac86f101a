/** POST /api/rectification/plans {schoolId} (supervisor) */
import { httpRoute, reply } from '../platform/http';
import { InvalidInputError } from '../platform/errors';
import { PlansQuery } from '../domain/rectification/schemas';
import { openPlanFor } from '../domain/rectification/ledger';
import { getSchool } from '../domain/registry/registry-repository';

export const handler = httpRoute({ auth: 'official', body: PlansQuery }, async ({ official, body }) => {
  if (!(await getSchool(body.schoolId))) throw new InvalidInputError('No such school', [{ field: 'schoolId', message: 'must be a school of the registry', in: 'body' }]);
  return reply(200, await openPlanFor(official, body.schoolId));
});
