/**
 * Session items of local accounts in the registry table: SESSION#<sha256 of the refresh token> (never the
 * token itself), expired by TTL (expiresAt); the account's sessionGeneration on its USER item. A refresh
 * marks its session item used and puts the next one, in one transaction conditioned on the old one not
 * being used yet, so a refresh token works once, and a second use is seen as such.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { buildUpdate, documents } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import { ConflictError } from '../../platform/errors';
import { keys } from './registry-repository';
import { RegistryConflict, registryWrites, writeRegistry } from './admin-repository';

const TABLE = tableNameFor('registry');
const sessionKey = (hash: string) => ({ pk: `SESSION#${hash}`, sk: 'SESSION' });

export interface StoredSession {
  hash: string;
  username: string;
  generation: number;
  /** Epoch seconds (the table's TTL attribute). */
  expiresAt: number;
  /** Refreshed already: presented again, it was copied. */
  used?: boolean;
}

/** The old session was used already: the refresh token was presented twice. */
export class SessionGone extends Error {}

const sessionItem = (s: StoredSession) => ({ ...sessionKey(s.hash), entity: 'session', username: s.username, generation: s.generation, expiresAt: s.expiresAt });

export async function putSession(s: StoredSession): Promise<void> {
  await documents.send(new PutCommand({ TableName: TABLE, Item: sessionItem(s) }));
}

export async function getSession(hash: string): Promise<StoredSession | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: sessionKey(hash), ConsistentRead: true }));
  const i = out.Item;
  if (!i || typeof i.username !== 'string' || typeof i.generation !== 'number' || typeof i.expiresAt !== 'number') return undefined;
  return { hash, username: i.username, generation: i.generation, expiresAt: i.expiresAt, used: i.used === true };
}

export async function replaceSession(oldHash: string, next: StoredSession): Promise<void> {
  try {
    await writeRegistry([
      ['session_gone', { Update: buildUpdate({ TableName: TABLE, Key: sessionKey(oldHash), set: { used: true }, condition: { expression: 'attribute_exists(#pk) AND attribute_not_exists(#used)', names: { '#pk': 'pk', '#used': 'used' } } }) }],
      ['session', { Put: { TableName: TABLE, Item: sessionItem(next) } }],
    ]);
  } catch (err) {
    if (err instanceof RegistryConflict && err.what === 'session_gone') throw new SessionGone();
    throw err;
  }
}

/** Moves the account's session generation: every token and refresh token of the older ones is refused. */
export async function endSessions(username: string): Promise<void> {
  try {
    await documents.send(new UpdateCommand({ ...buildUpdate({ TableName: TABLE, Key: keys.user(username), add: { sessionGeneration: 1 }, condition: { expression: 'attribute_exists(#pk)', names: { '#pk': 'pk' } } }) }));
  } catch (err) {
    // An official the registry does not know (a Cognito user made by hand) holds no local session.
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
  }
}

/**
 * The new password's hash, the one-time flag cleared and the generation moved, in one write conditioned on
 * the hash still being the one checked (two changes at once: one wins, the other is a 409), with its audit entry.
 */
export async function changePasswordItem(username: string, oldHash: string, newHash: string, at: string): Promise<number> {
  try {
    await writeRegistry([
      [
        'stale',
        {
          Update: buildUpdate({
            TableName: TABLE,
            Key: keys.user(username),
            set: { passwordHash: newHash, mustChangePassword: false },
            add: { sessionGeneration: 1 },
            condition: { expression: '#h = :old', names: { '#h': 'passwordHash' }, values: { ':old': oldHash } },
          }),
        },
      ],
      // The audit trail says a password changed, by the official, never what it is.
      registryWrites.audit({ about: 'user', id: username, action: 'updated', by: `self:${username}`, at, changes: { password: 'changed' } }),
    ]);
  } catch (err) {
    if (err instanceof RegistryConflict && err.what === 'stale') throw new ConflictError('The password was changed meanwhile: sign in again', 'stale');
    throw err;
  }
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.user(username), ConsistentRead: true, ProjectionExpression: '#g', ExpressionAttributeNames: { '#g': 'sessionGeneration' } }));
  return Number(out.Item?.sessionGeneration ?? 0);
}
