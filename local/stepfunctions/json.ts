// JSON helpers shared by the engine: a JSON value type, a stable (key-sorted) serialisation for hashing,
// and a tiny evaluator for ASL reference paths (SecondsPath, TimeoutSecondsPath, ...).
import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Round-trips through JSON so that anything a handler returns becomes plain JSON (undefined → null). */
export function toJson(value: unknown): Json {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}

/** JSON with object keys sorted, so that equal values hash equally whatever their key order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v)).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function hashJson(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex').slice(0, 16);
}

/**
 * Evaluates an ASL reference path ($, $.a.b, $['a b'], $.list[0]) against a value. Reference paths are the
 * only kind allowed in SecondsPath/TimestampPath/TimeoutSecondsPath/HeartbeatSecondsPath, so no filters.
 */
export function evalReferencePath(path: string, value: unknown): unknown {
  if (!path.startsWith('$')) throw new Error(`Not a reference path: ${path}`);
  const tokenRe = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let pos = 1;
  let current: unknown = value;
  while (pos < path.length) {
    tokenRe.lastIndex = pos;
    const m = tokenRe.exec(path);
    if (!m) throw new Error(`Unsupported reference path: ${path}`);
    pos = tokenRe.lastIndex;
    const key = m[1] ?? m[3] ?? m[4];
    if (key !== undefined) current = isObject(current) ? current[key] : undefined;
    else current = Array.isArray(current) ? current[Number(m[2])] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

export function deepReplaceString(value: Json, search: string, replacement: string): Json {
  if (typeof value === 'string') return value.includes(search) ? value.split(search).join(replacement) : value;
  if (Array.isArray(value)) return value.map((v) => deepReplaceString(v, search, replacement));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = deepReplaceString(v, search, replacement);
    return out;
  }
  return value;
}
