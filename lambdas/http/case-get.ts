/** GET /api/cases/{receiptNo} (officials): the full case with its audit trail, scoped by role. */
import { httpRoute, reply } from '../platform/http';
import { ReceiptPath } from '../domain/complaints/schemas';
import { caseForOfficial } from '../domain/complaints/official-access';
import { openContact } from '../platform/contact-cipher';

export const handler = httpRoute({ auth: 'official', path: ReceiptPath }, async ({ official, path }) => reply(200, await caseForOfficial(official, path.receiptNo, openContact)));
