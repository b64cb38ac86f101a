/** POST /api/rectification/plans/{planId}/items */
import { httpRoute, reply } from '../platform/http';
import { NewItemRequest, PlanIdPath } from '../domain/rectification/schemas';
import { addItem } from '../domain/rectification/ledger';

export const handler = httpRoute({ auth: 'official', path: PlanIdPath, body: NewItemRequest }, async ({ official, path, body }) =>
  reply(201, await addItem(official, path.planId, body)),
);
