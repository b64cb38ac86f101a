// The local KMS endpoint driven by the real @aws-sdk/client-kms, as the handlers drive it: round trips,
// the encryption context as authenticated data, tampering, KMS's error shapes, and keys that persist.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
  NotFoundException,
  UnsupportedOperationException,
} from '@aws-sdk/client-kms';
import { startLocalKms, type LocalKms } from '../../local/kms';

jest.setTimeout(30_000);

const REGION = 'local';
const ACCOUNT = '000000000000';
const ALIAS = 'alias/contact-data';
const OTHER = 'alias/other-data';
const CONTEXT = { purpose: 'complaint-contact', receiptNo: 'TS-2031-000001', field: 'phone' };

let root: string;
let kmsLocal: LocalKms;
let client: KMSClient;

const start = (dataDir: string) => startLocalKms({ dataDir, aliases: [ALIAS, OTHER], region: REGION, account: ACCOUNT });
const sdk = (endpoint: string) => new KMSClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

async function encrypt(plaintext: string, context: Record<string, string> = CONTEXT, keyId = ALIAS): Promise<Uint8Array> {
  const out = await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext), EncryptionContext: context }));
  return out.CiphertextBlob!;
}
async function decrypt(blob: Uint8Array, context: Record<string, string> = CONTEXT, keyId?: string): Promise<string> {
  const out = await client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: keyId }));
  return Buffer.from(out.Plaintext!).toString('utf8');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'local-kms-'));
  kmsLocal = await start(join(root, 'kms'));
  client = sdk(kmsLocal.endpoint);
});
afterAll(async () => {
  client?.destroy();
  await kmsLocal?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('the local KMS endpoint', () => {
  it('encrypts and decrypts a round trip, answering the key ARN, and the ciphertext does not contain the plaintext', async () => {
    const out = await client.send(new EncryptCommand({ KeyId: ALIAS, Plaintext: Buffer.from('13800138000'), EncryptionContext: CONTEXT }));
    expect(out.KeyId).toBe(kmsLocal.keyArn(ALIAS));
    expect(out.KeyId).toMatch(/^arn:aws:kms:local:000000000000:key\/[0-9a-f-]{36}$/);
    expect(out.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
    expect(Buffer.from(out.CiphertextBlob!).includes(Buffer.from('13800138000'))).toBe(false);

    const back = await client.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: CONTEXT }));
    expect(Buffer.from(back.Plaintext!).toString('utf8')).toBe('13800138000');
    expect(back.KeyId).toBe(kmsLocal.keyArn(ALIAS));
  });

  it('accepts the key as alias name, alias ARN, key ARN and key id, as KMS does', async () => {
    const keyArn = kmsLocal.keyArn(ALIAS);
    const refs = [ALIAS, `arn:aws:kms:${REGION}:${ACCOUNT}:${ALIAS}`, keyArn, keyArn.split('/').pop()!];
    for (const ref of refs) {
      expect(await decrypt(await encrypt('王女士', CONTEXT, ref), CONTEXT, ref)).toBe('王女士');
    }
  });

  it('encrypts the same plaintext differently each time (a fresh IV per call)', async () => {
    const [a, b] = [await encrypt('13800138000'), await encrypt('13800138000')];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('treats the encryption context as a set of pairs: the order does not matter', async () => {
    const blob = await encrypt('13800138000');
    expect(await decrypt(blob, { field: 'phone', receiptNo: 'TS-2031-000001', purpose: 'complaint-contact' })).toBe('13800138000');
  });

  it.each([
    ['another receipt number', { ...CONTEXT, receiptNo: 'TS-2031-000002' }],
    ['another field', { ...CONTEXT, field: 'name' }],
    ['no context at all', {}],
    ['one more pair', { ...CONTEXT, extra: 'x' }],
  ])('refuses to decrypt with %s (InvalidCiphertextException)', async (_what, context) => {
    const blob = await encrypt('13800138000');
    await expect(decrypt(blob, context)).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  it('refuses a tampered ciphertext, wherever the flipped bit is', async () => {
    const blob = Buffer.from(await encrypt('13800138000'));
    // Version, key id, IV, tag, body: every part of the blob is covered.
    for (const at of [0, 5, 20, 35, blob.length - 1]) {
      const tampered = Buffer.from(blob);
      tampered[at] ^= 0x01;
      await expect(decrypt(tampered)).rejects.toBeInstanceOf(InvalidCiphertextException);
    }
    await expect(decrypt(blob.subarray(0, 40))).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(decrypt(Buffer.from('not a ciphertext at all'))).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  it('refuses a ciphertext of another key when the request names the key (IncorrectKeyException)', async () => {
    const blob = await encrypt('13800138000', CONTEXT, OTHER);
    await expect(decrypt(blob, CONTEXT, ALIAS)).rejects.toBeInstanceOf(IncorrectKeyException);
    expect(await decrypt(blob, CONTEXT, OTHER)).toBe('13800138000');
  });

  it('answers NotFoundException for an unknown key or alias', async () => {
    await expect(encrypt('x', CONTEXT, 'alias/nobody')).rejects.toBeInstanceOf(NotFoundException);
    await expect(encrypt('x', CONTEXT, `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`)).rejects.toBeInstanceOf(NotFoundException);
    await expect(encrypt('x', CONTEXT, `arn:aws:kms:eu-west-1:${ACCOUNT}:${ALIAS}`)).rejects.toBeInstanceOf(NotFoundException);
  });

  it('answers ValidationException for an empty plaintext and for one above the 4096 bytes KMS allows', async () => {
    await expect(encrypt('')).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    await expect(encrypt('x'.repeat(4097))).rejects.toMatchObject({ name: 'ValidationException' });
    expect(await decrypt(await encrypt('x'.repeat(4096)))).toHaveLength(4096);
  });

  it('says which real operations it does not implement', async () => {
    await expect(client.send(new GenerateDataKeyCommand({ KeyId: ALIAS, KeySpec: 'AES_256' }))).rejects.toBeInstanceOf(UnsupportedOperationException);
  });

  it('answers errors in KMS JSON 1.1 shape over the wire', async () => {
    const post = (target: string, body: string) =>
      fetch(`${kmsLocal.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body });
    const bad = await post('TrentService.Decrypt', JSON.stringify({ CiphertextBlob: Buffer.from('garbage-garbage-garbage-garbage-garbage-garbage').toString('base64') }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(((await bad.json()) as { __type: string }).__type).toBe('InvalidCiphertextException');
    expect(((await (await post('TrentService.Encrypt', '{not json')).json()) as { __type: string }).__type).toBe('SerializationException');
    expect(((await (await post('TrentService.Encrypt', JSON.stringify({ KeyId: ALIAS, Plaintext: 'a*b=' }))).json()) as { __type: string }).__type).toBe('SerializationException');
    expect(((await (await post('Nonsense.Op', '{}')).json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('generates each key once into a 0600 file and keeps it across restarts; another data dir has other keys', async () => {
    const dataDir = join(root, 'kms');
    expect(statSync(join(dataDir, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o077).toBe(0);
    const blob = await encrypt('13800138000');
    const arn = kmsLocal.keyArn(ALIAS);

    await kmsLocal.stop();
    client.destroy();
    kmsLocal = await start(dataDir);
    client = sdk(kmsLocal.endpoint);
    expect(kmsLocal.keyArn(ALIAS)).toBe(arn);
    expect(await decrypt(blob)).toBe('13800138000');

    const elsewhere = await start(join(root, 'other-kms'));
    const otherClient = sdk(elsewhere.endpoint);
    try {
      expect(elsewhere.keyArn(ALIAS)).not.toBe(arn);
      await expect(otherClient.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: CONTEXT }))).rejects.toBeInstanceOf(InvalidCiphertextException);
    } finally {
      otherClient.destroy();
      await elsewhere.stop();
    }
  });
});
