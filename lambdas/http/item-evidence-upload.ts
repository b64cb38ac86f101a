/** POST /api/rectification/items/{itemId}/evidence (the school): a presigned upload for one file. */
import { httpRoute, reply } from '../platform/http';
import { EvidenceUploadRequest } from '../platform/evidence-store';
import { ItemIdPath } from '../domain/rectification/schemas';
import { requestEvidenceUpload } from '../domain/rectification/ledger';

export const handler = httpRoute({ auth: 'official', path: ItemIdPath, body: EvidenceUploadRequest }, async ({ official, path, body }) =>
  reply(201, await requestEvidenceUpload(official, path.itemId, body)),
);
