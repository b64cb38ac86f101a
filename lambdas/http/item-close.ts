/** POST /api/rectification/items/{itemId}/close (supervisor: 销号) */
import { httpRoute, reply } from '../platform/http';
import { CloseRequest, ItemIdPath } from '../domain/rectification/schemas';
import { closeItem } from '../domain/rectification/ledger';

export const handler = httpRoute({ auth: 'official', path: ItemIdPath, body: CloseRequest }, async ({ official, path, body }) =>
  reply(200, await closeItem(official, path.itemId, body.note)),
);
