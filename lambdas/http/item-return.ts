/** POST /api/rectification/items/{itemId}/return (supervisor, with a reason) */
import { httpRoute, reply } from '../platform/http';
import { ItemIdPath, ReturnRequest } from '../domain/rectification/schemas';
import { returnItem } from '../domain/rectification/ledger';

export const handler = httpRoute({ auth: 'official', path: ItemIdPath, body: ReturnRequest }, async ({ official, path, body }) =>
  reply(200, await returnItem(official, path.itemId, body.reason)),
);
