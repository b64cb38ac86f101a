/**
 * Cursors of paginated lists: a Query's LastEvaluatedKey handed to the client as base64url JSON, and
 * taken back as client input. A cursor must decode to exactly the key attributes of the list's index,
 * all non-empty strings, and pass the list's own check (its partition), or DynamoDB would refuse the
 * Query with a 500: anything else is a 400 naming the `cursor` query parameter.
 */
import { InvalidInputError } from './errors';

export type StartKey = Record<string, string>;

export const encodeCursor = (key: Record<string, unknown> | undefined): { cursor?: string } => (key ? { cursor: Buffer.from(JSON.stringify(key)).toString('base64url') } : {});

const badCursor = () => new InvalidInputError('The cursor is not one this list handed out', [{ field: 'cursor', message: 'must be the cursor of a previous page', in: 'query' }]);

/** `names`: the index's key attributes (table and index keys); `belongs`: whether the key lies in the listed partition. */
export function decodeCursor(s: string | undefined, names: readonly string[], belongs: (k: StartKey) => boolean): StartKey | undefined {
  if (s === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(s, 'base64url').toString());
  } catch {
    throw badCursor();
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw badCursor();
  const k = key as Record<string, unknown>;
  if (Object.keys(k).length !== names.length || !names.every((n) => typeof k[n] === 'string' && k[n])) throw badCursor();
  if (!belongs(k as StartKey)) throw badCursor();
  return k as StartKey;
}
