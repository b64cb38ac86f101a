import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DecryptCommand, EncryptCommand, InvalidCiphertextException, KMSClient, type DecryptCommandInput, type EncryptCommandInput } from '@aws-sdk/client-kms';
import { isUnreadableCiphertext, openContact, sealContact } from '../../../lambdas/platform/contact-cipher';

const kms = mockClient(KMSClient);
const KEY = process.env.CONTACT_KEY_ID;

/**
 * A stand-in for KMS that keeps what it encrypted and honours the encryption context as KMS does: a
 * ciphertext decrypts only with the context it was made with.
 */
function fakeKms(): void {
  const sealed = new Map<string, { plaintext: Uint8Array; context: string }>();
  let serial = 0;
  kms.on(EncryptCommand).callsFake((input: EncryptCommandInput) => {
    const blob = Buffer.from(`ct-${(serial += 1)}`);
    sealed.set(blob.toString('hex'), { plaintext: input.Plaintext!, context: JSON.stringify(input.EncryptionContext) });
    return { CiphertextBlob: blob, KeyId: KEY };
  });
  kms.on(DecryptCommand).callsFake((input: DecryptCommandInput) => {
    const entry = sealed.get(Buffer.from(input.CiphertextBlob!).toString('hex'));
    if (!entry || entry.context !== JSON.stringify(input.EncryptionContext)) throw new InvalidCiphertextException({ message: '', $metadata: {} });
    return { Plaintext: entry.plaintext, KeyId: KEY };
  });
}

beforeEach(() => {
  kms.reset();
  fakeKms();
});

describe('the contact cipher', () => {
  it('encrypts name and phone separately under the contact key, each bound to the receipt number and its field', async () => {
    const sealed = await sealContact('TS-2026-000001', { name: '王女士', phone: '13912345678' });

    expect(Object.keys(sealed).sort()).toEqual(['name', 'phone']);
    expect(kms).toHaveReceivedCommandTimes(EncryptCommand, 2);
    for (const field of ['name', 'phone']) {
      expect(kms).toHaveReceivedCommandWith(EncryptCommand, { KeyId: KEY, EncryptionContext: { purpose: 'complaint-contact', receiptNo: 'TS-2026-000001', field } });
    }
    expect(Buffer.from(sealed.phone!).toString('utf8')).not.toContain('13912345678');
  });

  it('encrypts only the fields that have a value', async () => {
    const sealed = await sealContact('TS-2026-000002', { name: '', phone: '13912345678' });

    expect(Object.keys(sealed)).toEqual(['phone']);
    expect(kms).toHaveReceivedCommandTimes(EncryptCommand, 1);
  });

  it('decrypts what it encrypted, naming the key and the same context', async () => {
    const sealed = await sealContact('TS-2026-000003', { name: 'Li Lei', phone: '13800138000' });

    expect(await openContact('TS-2026-000003', sealed)).toEqual({ name: 'Li Lei', phone: '13800138000' });
    expect(kms).toHaveReceivedCommandWith(DecryptCommand, { KeyId: KEY, EncryptionContext: { purpose: 'complaint-contact', receiptNo: 'TS-2026-000003', field: 'phone' } });
  });

  it('decrypts only the fields it is given, so a reader of the phone never decrypts the name', async () => {
    const sealed = await sealContact('TS-2026-000004', { name: 'Li Lei', phone: '13800138000' });

    expect(await openContact('TS-2026-000004', { phone: sealed.phone })).toEqual({ phone: '13800138000' });
    expect(kms).toHaveReceivedCommandTimes(DecryptCommand, 1);
  });

  it('cannot decrypt a contact copied to another case, nor a phone ciphertext read as a name', async () => {
    const sealed = await sealContact('TS-2026-000005', { phone: '13800138000' });

    const elsewhere = openContact('TS-2026-000006', sealed);
    await expect(elsewhere).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(openContact('TS-2026-000005', { name: sealed.phone })).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  it('tells a ciphertext no retry will decrypt from a failure that may pass', () => {
    expect(isUnreadableCiphertext(new InvalidCiphertextException({ message: '', $metadata: {} }))).toBe(true);
    expect(isUnreadableCiphertext(Object.assign(new Error('wrong key'), { name: 'IncorrectKeyException' }))).toBe(true);
    expect(isUnreadableCiphertext(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))).toBe(false);
    expect(isUnreadableCiphertext(Object.assign(new Error('no grant'), { name: 'AccessDeniedException' }))).toBe(false);
    expect(isUnreadableCiphertext(undefined)).toBe(false);
  });

  it('fails at start-up, not at the first contact, when CONTACT_KEY_ID is not set', () => {
    const saved = process.env.CONTACT_KEY_ID;
    delete process.env.CONTACT_KEY_ID;
    try {
      jest.isolateModules(() => {
        expect(() => require('../../../lambdas/platform/contact-cipher')).toThrow('CONTACT_KEY_ID');
      });
    } finally {
      process.env.CONTACT_KEY_ID = saved;
    }
  });
});
