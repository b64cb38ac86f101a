/**
 * The local KMS's keys: 256-bit AES key material generated once per alias into <dataDir>/keys.json (mode
 * 0600, in a 0700 directory), and the symmetric Encrypt/Decrypt KMS performs with them, as AES-256-GCM
 * with the encryption context authenticated as additional data.
 *
 * A ciphertext blob (opaque to callers, as KMS's are): version byte, the key's id (16 bytes), IV (12),
 * tag (16), ciphertext. The AAD covers the version, the key id and the canonical encryption context, so
 * a blob decrypts only under its own key and with exactly the context it was made with.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KmsError } from './errors';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + 16 + IV_BYTES + TAG_BYTES;

interface StoredKey {
  keyId: string;
  alias: string;
  /** base64 of 32 random bytes. */
  material: string;
  createdAt: string;
}

export type EncryptionContext = Record<string, string>;

/** Order-independent, as in KMS: the same pairs in another order are the same context. */
const canonicalContext = (context: EncryptionContext): string =>
  JSON.stringify(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const uuidBytes = (keyId: string): Buffer => Buffer.from(keyId.replaceAll('-', ''), 'hex');
const uuidOf = (bytes: Buffer): string => {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const aad = (keyId: string, context: EncryptionContext): Buffer =>
  Buffer.concat([Buffer.from([VERSION]), uuidBytes(keyId), Buffer.from(canonicalContext(context), 'utf8')]);

export class LocalKeyStore {
  private readonly byId = new Map<string, StoredKey>();
  private readonly byAlias = new Map<string, StoredKey>();

  private constructor(
    private readonly region: string,
    private readonly account: string,
    keys: StoredKey[],
  ) {
    for (const k of keys) {
      this.byId.set(k.keyId, k);
      this.byAlias.set(k.alias, k);
    }
  }

  /** Loads <dir>/keys.json, adding a key for every alias it lacks (generated once, then kept). */
  static open(dir: string, opts: { region: string; account: string; aliases: readonly string[] }): LocalKeyStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'keys.json');
    const keys: StoredKey[] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { keys: StoredKey[] }).keys : [];
    const missing = opts.aliases.filter((alias) => !keys.some((k) => k.alias === alias));
    for (const alias of missing) {
      if (!/^alias\/[a-zA-Z0-9/_-]+$/.test(alias) || alias.startsWith('alias/aws/')) throw new Error(`Not a customer alias name: ${alias}`);
      keys.push({ keyId: randomUUID(), alias, material: randomBytes(32).toString('base64'), createdAt: new Date().toISOString() });
    }
    if (missing.length > 0) {
      // Written whole and renamed into place: a crash never leaves half a key file (and a lost key).
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ keys }, null, 2), { mode: 0o600 });
      renameSync(tmp, file);
    }
    // Key material: readable by this user only, whoever created the file and however.
    chmodSync(file, 0o600);
    return new LocalKeyStore(opts.region, opts.account, keys);
  }

  keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.account}:key/${keyId}`;
  }

  /** The key's ARN from its alias (what the runtime hands to functions as the key id). */
  arnOfAlias(alias: string): string {
    const key = this.byAlias.get(alias);
    if (!key) throw new Error(`No local KMS key with alias ${alias}`);
    return this.keyArn(key.keyId);
  }

  /** Resolves a KeyId as KMS accepts it: key id, key ARN, alias name or alias ARN. */
  resolve(keyRef: string): StoredKey {
    const arn = /^arn:aws[a-z-]*:kms:([^:]*):([^:]*):(key|alias)\/(.+)$/.exec(keyRef);
    if (arn) {
      const [, region, account, kind, rest] = arn;
      const key = region === this.region && account === this.account ? (kind === 'key' ? this.byId.get(rest) : this.byAlias.get(`alias/${rest}`)) : undefined;
      if (!key) throw new KmsError('NotFoundException', kind === 'key' ? `Key '${keyRef}' does not exist` : `Alias ${keyRef} is not found.`);
      return key;
    }
    const key = keyRef.startsWith('alias/') ? this.byAlias.get(keyRef) : this.byId.get(keyRef);
    if (!key) throw new KmsError('NotFoundException', keyRef.startsWith('alias/') ? `Alias ${this.region}/${keyRef} is not found.` : `Key '${this.keyArn(keyRef)}' does not exist`);
    return key;
  }

  encrypt(keyRef: string, plaintext: Buffer, context: EncryptionContext): { ciphertext: Buffer; keyArn: string } {
    const key = this.resolve(keyRef);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
    cipher.setAAD(aad(key.keyId, context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const ciphertext = Buffer.concat([Buffer.from([VERSION]), uuidBytes(key.keyId), iv, cipher.getAuthTag(), body]);
    return { ciphertext, keyArn: this.keyArn(key.keyId) };
  }

  /** As KMS: one InvalidCiphertextException for a foreign blob, a tampered one and a wrong context alike. */
  decrypt(ciphertext: Buffer, context: EncryptionContext, keyRef?: string): { plaintext: Buffer; keyArn: string } {
    const invalid = () => new KmsError('InvalidCiphertextException', 'The ciphertext is not valid for this key and encryption context.');
    if (ciphertext.length <= HEADER_BYTES || ciphertext[0] !== VERSION) throw invalid();
    const key = this.byId.get(uuidOf(ciphertext.subarray(1, 17)));
    if (!key) throw invalid();
    if (keyRef !== undefined && this.resolve(keyRef).keyId !== key.keyId) {
      throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
    }
    const iv = ciphertext.subarray(17, 17 + IV_BYTES);
    const tag = ciphertext.subarray(17 + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key.material, 'base64'), iv);
    decipher.setAAD(aad(key.keyId, context));
    decipher.setAuthTag(tag);
    try {
      return { plaintext: Buffer.concat([decipher.update(ciphertext.subarray(HEADER_BYTES)), decipher.final()]), keyArn: this.keyArn(key.keyId) };
    } catch {
      throw invalid();
    }
  }
}
