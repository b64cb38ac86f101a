/** POST /api/rectification/items/{itemId}/submit (the school) */
import { httpRoute, reply } from '../platform/http';
import { ItemIdPath, SubmitRequest } from '../domain/rectification/schemas';
import { submitItem } from '../domain/rectification/ledger';

export const handler = httpRoute({ auth: 'official', path: ItemIdPath, body: SubmitRequest }, async ({ official, path, body }) =>
  reply(200, await submitItem(official, path.itemId, body)),
);
