/**
 * Idempotency-Key for public writes (API.md): the same key and body within 24 h return the first answer
 * and create nothing new; the same key with another body is a 409.
 *
 * The record is written in the same transaction as the thing it protects, so "answered" and "created"
 * can never disagree. The stored answer is encrypted with a key derived from the Idempotency-Key itself
 * (which is stored only as a hash): the first answer contains the citizen's access code, and the
 * database must not hold that in a readable form.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../platform/dynamodb';
import { tableNameFor } from '../platform/config';

const TABLE = tableNameFor('idempotency');
const TTL_SECONDS = 24 * 3600;

export interface IdempotencyClaim {
  /** sha256 of route + key: the record's id. */
  recordId: string;
  /** sha256 of the canonical request body. */
  fingerprint: string;
  /** The client's key, kept in memory only to derive the answer's encryption key. */
  key: string;
}

export interface IdempotencyRecord {
  claim: IdempotencyClaim;
  statusCode: number;
  body: unknown;
  now: Date;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** JSON with sorted keys, so that the same body in another key order is the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function claimFor(route: string, key: string, body: unknown): IdempotencyClaim {
  return { recordId: `IDEMPOTENCY#${route}#${sha256(key)}`, fingerprint: sha256(canonicalJson(body)), key };
}

function answerKey(claim: IdempotencyClaim): Buffer {
  return Buffer.from(hkdfSync('sha256', claim.key, claim.fingerprint, 'idempotency-answer', 32));
}

/** The Put to add to the protecting transaction; fails its condition when the key was used before. */
export function idempotencyPut(r: IdempotencyRecord) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', answerKey(r.claim), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(r.body), 'utf8'), cipher.final()]);
  return {
    Put: {
      TableName: TABLE,
      Item: {
        pk: r.claim.recordId,
        fingerprint: r.claim.fingerprint,
        statusCode: r.statusCode,
        answer: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64'),
        createdAt: r.now.toISOString(),
        expiresAt: Math.floor(r.now.getTime() / 1000) + TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(#pk) OR #exp < :now',
      ExpressionAttributeNames: { '#pk': 'pk', '#exp': 'expiresAt' },
      ExpressionAttributeValues: { ':now': Math.floor(r.now.getTime() / 1000) },
    },
  };
}

export type PriorAnswer = { kind: 'replay'; statusCode: number; body: unknown } | { kind: 'mismatch' } | { kind: 'none' };

/** What an earlier request with this key answered, if anything (expired records count as none: TTL deletion lags). */
export async function priorAnswer(claim: IdempotencyClaim, now: Date): Promise<PriorAnswer> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: { pk: claim.recordId }, ConsistentRead: true }));
  const item = out.Item;
  if (!item || Number(item.expiresAt) < Math.floor(now.getTime() / 1000)) return { kind: 'none' };
  if (item.fingerprint !== claim.fingerprint) return { kind: 'mismatch' };
  const raw = Buffer.from(String(item.answer), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', answerKey(claim), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const body = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as unknown;
  return { kind: 'replay', statusCode: Number(item.statusCode), body };
}
