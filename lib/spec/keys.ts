/**
 * The KMS key for field-level encryption of complainants' contact data, read by the CDK stack (the key
 * and the per-function grants, lib/constructs/function.ts), by the handlers (lambdas/platform/
 * contact-cipher.ts) and by the local runtime (local/kms/). Which function may do what with it is
 * `contactCipher` in lib/spec/functions.ts.
 */

/** The contact fields, each encrypted on its own so that a phone can be decrypted without the name. */
export type ContactField = 'name' | 'phone';
export const contactFields: readonly ContactField[] = ['name', 'phone'];

/**
 * encrypt: kms:Encrypt (the intake); decrypt: kms:Decrypt of every field (officials reading the contact);
 * decryptPhone: kms:Decrypt of phone ciphertexts only (the SMS sender never needs the name).
 */
export type ContactCipherAccess = 'encrypt' | 'decrypt' | 'decryptPhone';

export const contactKey = {
  /** Carries the key's ARN to the functions granted on it, and nowhere else. */
  envVar: 'CONTACT_KEY_ID',
  /**
   * Encryption context every contact ciphertext carries besides `receiptNo` and `field`. IAM grants are
   * conditioned on it, so the grant cannot be used to encrypt or decrypt anything else with this key.
   */
  purpose: 'complaint-contact',
  description: "Field-level encryption of complainants' contact data (name, phone) in the complaints table",
  /** The key's name on one machine (local/kms/); in AWS functions get the key's ARN. */
  localAlias: 'alias/contact-data',
} as const;
