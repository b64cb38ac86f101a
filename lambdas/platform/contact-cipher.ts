/**
 * Field-level encryption of a complainant's contact (name, phone) with the contact key in KMS: the
 * complaints table holds ciphertext only, so table access alone reads no contact; a function also needs
 * the key grant its spec declares (`contactCipher` in lib/spec/functions.ts).
 *
 * Plain Encrypt/Decrypt rather than envelope encryption: a field is a few bytes, and one KMS ciphertext
 * per field is what lets the SMS sender's grant decrypt phones and never names (an IAM condition on the
 * `field` context key). Each ciphertext is bound by its encryption context to its case and field, so one
 * copied to another case or field no longer decrypts. The context is not secret (CloudTrail records it):
 * it carries the receipt number, never personal data.
 *
 * Loaded only by the functions granted on the key: CONTACT_KEY_ID is read (and required) at start-up.
 */
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { contactFields, contactKey, type ContactField } from '../../lib/spec/keys';
import type { Contact, SealedContact } from '../domain/complaints/model';
import { requireEnv } from './config';

/** One client per container; on one machine AWS_ENDPOINT_URL_KMS points it at the local KMS. */
const kms = new KMSClient({});
const KEY_ID = requireEnv(contactKey.envVar);

export const contactEncryptionContext = (receiptNo: string, field: ContactField): Record<string, string> => ({
  purpose: contactKey.purpose,
  receiptNo,
  field,
});

async function encryptField(receiptNo: string, field: ContactField, value: string): Promise<Uint8Array> {
  const out = await kms.send(new EncryptCommand({ KeyId: KEY_ID, Plaintext: Buffer.from(value, 'utf8'), EncryptionContext: contactEncryptionContext(receiptNo, field) }));
  if (!out.CiphertextBlob) throw new Error('KMS Encrypt answered without a ciphertext');
  return out.CiphertextBlob;
}

async function decryptField(receiptNo: string, field: ContactField, ciphertext: Uint8Array): Promise<string> {
  const out = await kms.send(
    new DecryptCommand({
      // Naming the key makes KMS refuse a ciphertext made under any other key (IncorrectKeyException).
      KeyId: KEY_ID,
      CiphertextBlob: ciphertext,
      EncryptionContext: contactEncryptionContext(receiptNo, field),
    }),
  );
  if (!out.Plaintext) throw new Error('KMS Decrypt answered without a plaintext');
  return Buffer.from(out.Plaintext).toString('utf8');
}

/** Encrypts the fields that have a value (KMS refuses an empty plaintext; an empty field is no contact). */
export async function sealContact(receiptNo: string, contact: Contact): Promise<SealedContact> {
  const sealed: SealedContact = {};
  await Promise.all(
    contactFields.map(async (field) => {
      const value = contact[field];
      if (value) sealed[field] = await encryptField(receiptNo, field, value);
    }),
  );
  return sealed;
}

/** Decrypts the fields present (a caller that read only the phone gets only the phone). */
export async function openContact(receiptNo: string, sealed: SealedContact): Promise<Contact> {
  const contact: Contact = {};
  await Promise.all(
    contactFields.map(async (field) => {
      const ciphertext = sealed[field];
      if (ciphertext) contact[field] = await decryptField(receiptNo, field, ciphertext);
    }),
  );
  return contact;
}

/**
 * A ciphertext that no retry will decrypt: tampered, copied from another case or field, or made under
 * another key. Anything else (throttling, a missing grant, KMS unreachable) may pass on a retry.
 */
export const isUnreadableCiphertext = (err: unknown): boolean => {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'InvalidCiphertextException' || name === 'IncorrectKeyException';
};
