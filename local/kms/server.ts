// The KMS JSON 1.1 protocol (POST /, X-Amz-Target: TrentService.<Operation>, base64 blobs), for the
// operations the platform uses: Encrypt and Decrypt. Errors are KMS's `{__type, message}` with its
// statuses, so the unchanged @aws-sdk/client-kms throws the exceptions it throws in AWS. Request bodies
// carry plaintexts: nothing of a request is ever logged.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { KmsError } from './errors';
import type { EncryptionContext, LocalKeyStore } from './keys';
import { meter } from '../meter';

const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** KMS's own limits: Encrypt takes at most 4096 bytes of plaintext; a ciphertext blob is at most 6144. */
const MAX_PLAINTEXT = 4096;
const MAX_CIPHERTEXT = 6144;
const MAX_BODY = 64 * 1024;
const ALGORITHM = 'SYMMETRIC_DEFAULT';

type Body = Record<string, unknown>;

const validation = (value: string, member: string, constraint: string) =>
  new KmsError('ValidationException', `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: ${constraint}`);

function requiredString(body: Body, field: string): string {
  const v = body[field];
  if (v === undefined || v === null) throw validation('null', lowerFirst(field), 'Member must not be null');
  if (typeof v !== 'string') throw new KmsError('SerializationException', `${field} must be a string`);
  if (v.length === 0) throw validation("''", lowerFirst(field), 'Member must have length greater than or equal to 1');
  return v;
}

function optionalString(body: Body, field: string): string | undefined {
  return body[field] === undefined || body[field] === null ? undefined : requiredString(body, field);
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function blob(body: Body, field: string, max: number): Buffer {
  const text = requiredString(body, field);
  // Buffer.from(..., 'base64') skips what it cannot read; the protocol wants strict base64.
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new KmsError('SerializationException', `${field} is not valid base64`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > max) throw validation('(blob)', lowerFirst(field), `Member must have length less than or equal to ${max}`);
  return bytes;
}

function encryptionContext(body: Body): EncryptionContext {
  const v = body.EncryptionContext;
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw new KmsError('SerializationException', 'EncryptionContext must be a map of strings to strings');
  }
  return v as EncryptionContext;
}

function checkAlgorithm(body: Body): void {
  const algorithm = optionalString(body, 'EncryptionAlgorithm');
  if (algorithm !== undefined && algorithm !== ALGORITHM) {
    throw new KmsError('InvalidKeyUsageException', `The local KMS keys are symmetric: EncryptionAlgorithm must be ${ALGORITHM}`);
  }
}

function operations(keys: LocalKeyStore): Record<string, (body: Body) => Body> {
  return {
    Encrypt: (body) => {
      const keyId = requiredString(body, 'KeyId');
      const plaintext = blob(body, 'Plaintext', MAX_PLAINTEXT);
      if (plaintext.length === 0) throw validation('(blob)', 'plaintext', 'Member must have length greater than or equal to 1');
      checkAlgorithm(body);
      const { ciphertext, keyArn } = keys.encrypt(keyId, plaintext, encryptionContext(body));
      return { CiphertextBlob: ciphertext.toString('base64'), KeyId: keyArn, EncryptionAlgorithm: ALGORITHM };
    },
    Decrypt: (body) => {
      const ciphertext = blob(body, 'CiphertextBlob', MAX_CIPHERTEXT);
      checkAlgorithm(body);
      const { plaintext, keyArn } = keys.decrypt(ciphertext, encryptionContext(body), optionalString(body, 'KeyId'));
      return { Plaintext: plaintext.toString('base64'), KeyId: keyArn, EncryptionAlgorithm: ALGORITHM };
    },
  };
}

/** Operations KMS has and this endpoint does not: a clear refusal rather than "unknown operation". */
const REAL_BUT_NOT_HERE = /^(GenerateDataKey\w*|ReEncrypt|DescribeKey|CreateKey|ListKeys|ListAliases|CreateAlias|Sign|Verify|GenerateMac|VerifyMac|GenerateRandom|\w+KeyRotation\w*)$/;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new KmsError('ValidationException', `The request body must be at most ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: Body): void {
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() }).end(JSON.stringify(body));
}

export function createKmsServer(opts: { keys: LocalKeyStore; log: (msg: string) => void }): Server {
  const ops = operations(opts.keys);
  return createServer((req, res) => {
    void (async () => {
      try {
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
        meter.kmsRequest(operation || '(unknown)');
        const run = Object.prototype.hasOwnProperty.call(ops, operation) ? ops[operation] : undefined;
        if (req.method !== 'POST' || req.url !== '/' || !run) {
          req.resume();
          if (req.method === 'POST' && REAL_BUT_NOT_HERE.test(operation)) throw new KmsError('UnsupportedOperationException', `The local KMS does not implement ${operation}`);
          throw new KmsError('UnknownOperationException', '');
        }
        const text = await readBody(req);
        let body: unknown;
        try {
          body = text === '' ? {} : JSON.parse(text);
        } catch {
          throw new KmsError('SerializationException', 'The request body is not valid JSON');
        }
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new KmsError('SerializationException', 'The request body must be a JSON object');
        send(res, 200, run(body as Body));
      } catch (err) {
        if (err instanceof KmsError) {
          send(res, err.status, { __type: err.type, message: err.message });
          return;
        }
        // The name only: a message could quote the request.
        opts.log(`local KMS internal error: ${(err as Error).name}`);
        send(res, 500, { __type: 'KMSInternalException', message: 'internal error' });
      }
    })();
  });
}
