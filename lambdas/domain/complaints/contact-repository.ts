/**
 * Data access for a complainant's contact: complaints table, item pk=CASE#<receiptNo>, sk=CONTACT, written
 * with the case (complaint-repository's insertComplaint) and never changed. The item holds ciphertext only
 * (lambdas/platform/contact-cipher.ts), under attribute names that say so.
 *
 * Apart from complaint-repository so that the SMS sender, which reads nothing else of a case, loads no
 * other table's configuration.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactField } from '../../../lib/spec/keys';
import { tableNameFor } from '../../platform/config';
import { documents } from '../../platform/dynamodb';
import type { SealedContact } from './model';

const TABLE = tableNameFor('complaints');

export const contactKeyOf = (receiptNo: string) => ({ pk: `CASE#${receiptNo}`, sk: 'CONTACT' });

const ATTRIBUTE: Record<ContactField, string> = { name: 'nameCiphertext', phone: 'phoneCiphertext' };

function toItem(receiptNo: string, sealed: SealedContact): Record<string, unknown> {
  return { ...contactKeyOf(receiptNo), entity: 'contact', [ATTRIBUTE.name]: sealed.name, [ATTRIBUTE.phone]: sealed.phone };
}

function fromItem(item: Record<string, unknown>): SealedContact {
  const sealed: SealedContact = {};
  for (const field of Object.keys(ATTRIBUTE) as ContactField[]) {
    const value = item[ATTRIBUTE[field]];
    if (value instanceof Uint8Array) sealed[field] = value;
  }
  return sealed;
}

/** The Put of a contact, for the transaction that writes its case. */
export const contactPut = (receiptNo: string, sealed: SealedContact) => ({ TableName: TABLE, Item: toItem(receiptNo, sealed) });

/** The sealed contact of a case (only the fields asked for), or undefined when the case has none. */
export async function getSealedContact(receiptNo: string, fields: readonly ContactField[] = ['name', 'phone']): Promise<SealedContact | undefined> {
  const out = await documents.send(
    new GetCommand({
      TableName: TABLE,
      Key: contactKeyOf(receiptNo),
      ProjectionExpression: fields.map((_, i) => `#f${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(fields.map((f, i) => [`#f${i}`, ATTRIBUTE[f]])),
      // The contact is written with the case; a consistent read never misses it.
      ConsistentRead: true,
    }),
  );
  return out.Item ? fromItem(out.Item) : undefined;
}
