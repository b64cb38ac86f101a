/**
 * Hostile HTTP input for property-based tests (fast-check): unicode edge cases, huge strings, wrong
 * types, malformed JSON and bytes, odd content types, path segments and query strings, header variants
 * and forged bearer tokens. Also what the local gateway and the middy stack will make of a request
 * (which route, which parameters), so a test can tell an input that is certainly refused from one that
 * could be accepted. A request prints short (long strings are cut) so a failing case can be read.
 */
import fc from 'fast-check';
import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { routes, type RouteSpec } from '../../lib/spec/routes';

// ---------------------------------------------------------------------------------------------
// Strings

/** Strings that have broken parsers, databases, loggers and terminals before. */
export const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n\r',
  '\u0000',
  'a\u0000b',
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  'x\ud83d', // a pair cut in half
  '\ude00\ud83d', // a pair the wrong way round
  '😀',
  '👨‍👩‍👧‍👦', // ZWJ sequence
  '🏳️‍🌈',
  '\u202egnp.exe', // RTL override
  '\u200f\u200e\u061c', // RTL / LTR / Arabic letter marks
  '\u2028\u2029', // line and paragraph separators (invalid in older JS string literals)
  '\ufeff', // BOM
  '\u200b\u200c\u200d', // zero-width
  'e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301', // stacked combining marks
  'Z\u0351\u0346\u0357\u0300\u0358\u0352\u035b\u0353a\u0336\u0327\u0317l\u034eg\u0361o', // zalgo
  '\uffff\ufffe\ufffd',
  '\u0085\u00a0\u1680\u3000', // odd whitespace
  '𝕏𝔂𝓏',
  '前进区第六小学',
  'ﬃ', // ligature (NFKC changes length)
  'İı', // case mapping changes length
  'ß',
  '<script>alert(1)</script>',
  "' OR '1'='1' --",
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '%00',
  '%ZZ',
  '\\',
  '"',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '-0',
  '1e309',
  '0x10',
  '9007199254740993',
  'TS-2026-000001',
  'CP-0000000000',
  'RP-p06-001',
  '#',
  '?',
  '&',
  '=',
  ',',
  ';',
  '|',
  'k:',
];

const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const nasty = fc.constantFrom('\u0000', '\u0301', '\u200b', '\u202e', '\u2028', '\ufeff', '\ud800', '\udc00', 'a', '😀', '中', '"', '\\', '\n');

/** Short unicode strings, weighted towards the edges. */
export const unicodeText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: surrogate, minLength: 1, maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: nasty, minLength: 1, maxLength: 30 }) },
);

const MAX_BODY = 64 * 1024;

/** Strings from 1,000 characters to beyond the 64 KB body limit (up to about 110,000 characters). */
export const hugeText: fc.Arbitrary<string> = fc
  .record({
    unit: fc.constantFrom('a', '中', '😀', 'e\u0301', '\u0000', '\ud800', '"'),
    length: fc.oneof(fc.integer({ min: 1_000, max: MAX_BODY - 100 }), fc.integer({ min: MAX_BODY - 100, max: 110_000 }), fc.constantFrom(MAX_BODY - 20, MAX_BODY, MAX_BODY + 1)),
  })
  .map(({ unit, length }) => unit.repeat(Math.max(1, Math.floor(length / unit.length))));

// ---------------------------------------------------------------------------------------------
// JSON values and bodies

/** JSON text spliced verbatim into a body where a value would go (deep nesting a JS value could not hold). */
export class RawJson {
  constructor(readonly text: string) {}
}

const depth = fc.integer({ min: 100, max: 12_000 });
/** Deeply nested arrays or objects, as JSON text (at most about 60 KB). */
export const deepJson: fc.Arbitrary<RawJson> = fc.oneof(
  depth.map((n) => new RawJson('['.repeat(n) + ']'.repeat(n))),
  depth.map((n) => new RawJson('{"a":'.repeat(Math.min(n, 10_000)) + '1' + '}'.repeat(Math.min(n, 10_000)))),
);

/** Property names every plain object inherits: a lookup by user input must not find them. */
export const prototypeNames = fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__');

/** Hostile text that is still a string: edge cases, inherited property names, long and huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: unicodeText },
  { weight: 2, arbitrary: prototypeNames },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 5_000 }).chain((n) => fc.constantFrom('x', '中', '😀', ' ').map((u) => u.repeat(n))) },
  { weight: 1, arbitrary: hugeText },
);

/** Hostile numbers that are still numbers: boundaries, fractions, negative zero, beyond safe integers. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, 0.999999, 1e-7, 1e21, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, -Number.MAX_VALUE),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A value of the wrong type or out of range for almost any field. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), '', ' ', '0', '1', 'true', 'null', [], {}, [null], [[]], { '': '' }, [1, 'a', null]) },
  { weight: 4, arbitrary: unicodeText },
  { weight: 2, arbitrary: prototypeNames },
  { weight: 1, arbitrary: hugeText },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger()) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(unicodeText, { maxLength: 30 }) },
  { weight: 1, arbitrary: fc.dictionary(unicodeText, unicodeText, { maxKeys: 5 }) },
  { weight: 1, arbitrary: deepJson },
);

/** JSON text of a value that may hold RawJson parts (spliced in verbatim). */
export function toJsonText(value: unknown): string | undefined {
  const raws: RawJson[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v);
      return `@@raw-json-${raws.length - 1}@@`;
    }
    return v;
  });
  if (text === undefined) return undefined;
  return raws.reduce((t, raw, i) => t.replace(`"@@raw-json-${i}@@"`, () => raw.text), text);
}

type JsonPath = Array<string | number>;

function pathsOf(value: unknown, at: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]));
  return out;
}

const own = (target: object, key: string | number, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/** A copy of `value` with `f` applied at `path` (f returns `undefined` to delete there). */
function updateAt(value: unknown, path: JsonPath, f: (v: unknown) => unknown): unknown {
  if (path.length === 0) return f(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const next = updateAt(copy[head as number], rest, f);
    if (next === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) own(copy, k, v);
  const next = updateAt(copy[head as string], rest, f);
  if (next === undefined && rest.length === 0) delete copy[head as string];
  else own(copy, head, next);
  return copy;
}

export interface Mutation {
  value: unknown;
  note: string;
}

/** A hostile value of the same JSON type as `v`: schemas often still accept it, so the domain gets to see it. */
export function sameTypeHostile(v: unknown): fc.Arbitrary<unknown> {
  if (typeof v === 'string') return hostileString;
  if (typeof v === 'number') return hostileNumber;
  if (typeof v === 'boolean') return fc.boolean();
  if (Array.isArray(v)) {
    const element = v.length ? sameTypeHostile(v[0]) : wrongValue;
    return fc.oneof(fc.constant([]), fc.array(element, { maxLength: 30 }), fc.integer({ min: 100, max: 2_000 }).map((n) => Array<unknown>(n).fill(v[0] ?? null)));
  }
  if (v && typeof v === 'object') return fc.oneof(fc.constant({}), fc.dictionary(fc.oneof(prototypeNames, unicodeText), wrongValue, { maxKeys: 5 }));
  return wrongValue;
}

const valueAt = (example: unknown, p: JsonPath): unknown => p.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], example);

/**
 * One field of a valid example changed: replaced by a hostile value of its own type or by a wrong one,
 * deleted, wrapped in an array, turned into its JSON text, or given an unknown sibling key. The root
 * counts as a field. `deep` favours values of the field's own type (input that passes the schemas and
 * reaches the domain rules).
 */
export function mutationsOf(example: unknown, deep = false): fc.Arbitrary<Mutation> {
  const paths = pathsOf(example);
  const where = fc.constantFrom(...paths);
  const name = (p: JsonPath) => (p.length ? p.join('.') : '(root)');
  return fc.oneof(
    {
      weight: deep ? 10 : 2,
      arbitrary: where.chain((p) => sameTypeHostile(valueAt(example, p)).map((v): Mutation => ({ value: updateAt(example, p, () => v), note: `${name(p)} replaced by its own type` }))),
    },
    { weight: deep ? 2 : 6, arbitrary: fc.tuple(where, wrongValue).map(([p, v]): Mutation => ({ value: updateAt(example, p, () => v), note: `${name(p)} replaced` })) },
    { weight: 2, arbitrary: where.filter((p) => p.length > 0).map((p): Mutation => ({ value: updateAt(example, p, () => undefined), note: `${name(p)} deleted` })) },
    { weight: 1, arbitrary: where.map((p): Mutation => ({ value: updateAt(example, p, (v) => [v]), note: `${name(p)} wrapped in an array` })) },
    { weight: 1, arbitrary: where.map((p): Mutation => ({ value: updateAt(example, p, (v) => JSON.stringify(v)), note: `${name(p)} as JSON text` })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          where.filter((p) => {
            const v = valueAt(example, p);
            return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
          }),
          fc.oneof(fc.constantFrom('extra', '__proto__', 'constructor', 'toString', ''), unicodeText),
          wrongValue,
        )
        .map(([p, key, v]): Mutation => ({
          value: updateAt(example, p, (o) => {
            const copy: Record<string, unknown> = {};
            for (const [k, x] of Object.entries(o as Record<string, unknown>)) own(copy, k, x);
            return own(copy, key, v);
          }),
          note: `${name(p)} given key ${JSON.stringify(key)}`,
        })),
    },
  );
}

/** Text that is not JSON, or JSON of the wrong kind altogether. */
export const malformedJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '[',
    '{"a":}',
    '{"a" 1}',
    "{'a':1}",
    '{a:1}',
    '[1,]',
    '{"a":1,}',
    'NaN',
    'Infinity',
    'undefined',
    '-',
    '01',
    '1e',
    '"\\x41"',
    '"\\u12"',
    '"\\ud800"',
    '"unterminated',
    '\ufeff{}',
    '{"a":1}garbage',
    '// comment\n{}',
    '/* */{}',
    'nul',
    'tru',
    '{"a":1}{"b":2}',
    '\u0000',
    'null',
    '""',
    '[]',
    '0',
    'true',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}',
    ' \n\t ',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.tuple(fc.jsonValue(), fc.nat()).map(([v, cut]) => {
    const text = JSON.stringify(v) ?? '';
    return text.slice(0, text.length ? cut % text.length : 0);
  }),
);

/** Bytes that are not UTF-8 (overlong forms, encoded surrogates, code points past U+10FFFF, stray continuations). */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom(
    Buffer.from([0xff, 0xfe]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xf4, 0x90, 0x80, 0x80]),
    Buffer.concat([Buffer.from('{"description":"'), Buffer.from([0xff, 0x80, 0xc3]), Buffer.from('"}')]),
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  ),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.from(a)),
);

export interface BodyCase {
  bytes?: Buffer;
  note: string;
}

/** A request body: none, random JSON, malformed JSON, raw bytes, huge, deeply nested, or a valid example with one field broken. */
export function bodyArbitrary(example?: unknown): fc.Arbitrary<BodyCase> {
  const text = (note: string) => (t: string | undefined): BodyCase => ({ bytes: t === undefined ? undefined : Buffer.from(t, 'utf8'), note });
  const cases: Array<fc.WeightedArbitrary<BodyCase>> = [
    { weight: 1, arbitrary: fc.constant<BodyCase>({ note: 'no body' }) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => text('random JSON')(JSON.stringify(v))) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true, withBoxedValues: true, withSparseArray: true }).map((v) => text('random value')(toJsonText(v))) },
    { weight: 2, arbitrary: malformedJsonText.map(text('malformed JSON')) },
    { weight: 1, arbitrary: invalidUtf8.map((bytes): BodyCase => ({ bytes, note: 'invalid UTF-8' })) },
    { weight: 1, arbitrary: hugeText.map((s) => text('huge JSON string')(JSON.stringify(s))) },
    { weight: 1, arbitrary: deepJson.map((raw) => text('deeply nested JSON')(raw.text)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(MAX_BODY - 1, MAX_BODY, MAX_BODY + 1, 100_000).map((size) => {
        const filler = 'x'.repeat(size - '{"x":""}'.length);
        return text(`JSON of ${size} bytes`)(`{"x":"${filler}"}`);
      }),
    },
  ];
  if (example !== undefined) cases.push({ weight: 8, arbitrary: mutationsOf(example).map((m) => text(`example with ${m.note}`)(toJsonText(m.value))) });
  return fc.oneof(...cases);
}

/** A valid example with one field made hostile, mostly keeping its type; random JSON objects when there is no example. */
export function deepBodyArbitrary(example?: unknown): fc.Arbitrary<BodyCase> {
  const text = (note: string) => (t: string | undefined): BodyCase => ({ bytes: t === undefined ? undefined : Buffer.from(t, 'utf8'), note });
  if (example === undefined) return fc.dictionary(fc.oneof(prototypeNames, unicodeText), wrongValue, { maxKeys: 4 }).map((v) => text('random JSON object')(toJsonText(v)));
  return mutationsOf(example, true).map((m) => text(`example with ${m.note}`)(toJsonText(m.value)));
}

/** Mostly JSON, sometimes another type, a parameter, odd case, or nothing. */
export const contentTypeArbitrary: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom<string | undefined>(
      undefined,
      '',
      'APPLICATION/JSON',
      'application/json; charset=utf-16',
      'application/json;;;',
      'application/jsonx',
      'application/json-patch+json',
      'application/problem+json',
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----x',
      'application/xml',
      'application/octet-stream',
      '*/*',
      'application/ json',
      ' application/json',
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// URLs and headers

/** Percent-encodes every byte of the UTF-8 form of `s` but the unreserved ones (a lone surrogate becomes U+FFFD). */
export function percentEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Segments sent verbatim: dot segments, broken percent-encoding, encoded slashes and NULs. */
export const RAW_SEGMENTS: readonly string[] = ['..', '.', '%2e%2e', '%2E', '%', '%2', '%E0%A4%A', '%ZZ', '%00', '%2F', '%2f..%2f', '%252F', '%C0%AE%C0%AE', '%ED%A0%80', '%u202e', ';x=1', '*', '~', '%20', '+', "'", '$', '@', ':', '!', '(', ')'];

/**
 * A path segment for a parameter: an existing id, a well-formed id of nothing, a near miss of an existing
 * id, unicode, something sent verbatim, or something very long (the request line stays under the
 * 16 KB Node accepts for a request head).
 */
export function segmentArbitrary(existing: readonly string[], wellFormed?: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const cases: Array<fc.WeightedArbitrary<string>> = [
    { weight: 3, arbitrary: unicodeText.map(percentEncode) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
    {
      weight: 1,
      arbitrary: fc
        .record({ unit: fc.constantFrom('a', '9', '%41', '%E4%B8%AD', '%00', '-'), chars: fc.integer({ min: 200, max: 7_000 }) })
        .map(({ unit, chars }) => unit.repeat(Math.max(1, Math.floor(chars / unit.length)))),
    },
  ];
  if (wellFormed) cases.push({ weight: 2, arbitrary: wellFormed });
  if (existing.length) {
    const id = fc.constantFrom(...existing);
    cases.push({ weight: 3, arbitrary: id });
    cases.push({
      weight: 2,
      arbitrary: fc.tuple(id, fc.constantFrom('lower', 'upper', 'space', 'nul', 'twice', 'shorter', 'longer', 'zero-width', 'fullwidth')).map(([s, how]) => {
        switch (how) {
          case 'lower':
            return s.toLowerCase();
          case 'upper':
            return s.toUpperCase();
          case 'space':
            return `%20${s}%20`;
          case 'nul':
            return `${s}%00`;
          case 'twice':
            return s + s;
          case 'shorter':
            return s.slice(0, -1);
          case 'longer':
            return `${s}0`;
          case 'zero-width':
            return `${s}%E2%80%8B`;
          default:
            return percentEncode(s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
        }
      }),
    });
  }
  return fc.oneof(...cases);
}

/**
 * A query string: a valid example with one parameter changed, dropped or doubled, unknown and prototype
 * keys, hostile values, broken percent-encoding. Returned without the leading `?`.
 */
/** A hostile query parameter value. */
export const queryValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: unicodeText },
  { weight: 1, arbitrary: prototypeNames },
  { weight: 2, arbitrary: fc.constantFrom('0', '-1', '1.5', '1e3', '101', 'abc', 'true', '', 'csv', 'xlsx', 'p06', 'NaN', '2026-02-30', '2026-13-01', '99999-01-01', ' 1', '0x1', '1,2') },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 5_000 }).map((n) => 'q'.repeat(n)) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')) },
);

const queryKey = (keys: readonly string[]) =>
  fc.oneof(
    { weight: keys.length ? 4 : 0, arbitrary: keys.length ? fc.constantFrom(...keys) : fc.constant('x') },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'x', 'cursor', 'limit') },
    { weight: 1, arbitrary: unicodeText },
  );

/** A valid example query with one parameter (known or not) set to a hostile value. */
export function mutatedQueryArbitrary(keys: readonly string[], example: Record<string, string> = {}): fc.Arbitrary<string> {
  return fc.tuple(queryKey(keys), queryValue).map(([k, v]) =>
    [...Object.entries(example).filter(([e]) => e !== k), [k, v]].map(([a, b]) => `${percentEncode(a)}=${percentEncode(b)}`).join('&'),
  );
}

export function queryArbitrary(keys: readonly string[], example?: Record<string, string>): fc.Arbitrary<string> {
  const key = queryKey(keys);
  const value = queryValue;
  const encodedPair = fc.tuple(key, value).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`);
  const rawPair = fc.constantFrom('%', '%ZZ=1', 'a=%E0%A4%A', '=', '&&', 'a', 'a=b=c', '+=+', 'a[]=1', 'a[b]=1', '%00=%00', ';', '__proto__[admin]=1');
  const base = example ? Object.entries(example).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`) : [];
  return fc
    .record({
      keep: fc.subarray(base),
      extra: fc.array(fc.oneof({ weight: 4, arbitrary: encodedPair }, { weight: 1, arbitrary: rawPair }), { maxLength: 4 }),
    })
    .map(({ keep, extra }) => [...keep, ...extra].join('&'));
}

/** What Node and fetch accept in a header value: printable Latin-1 and tabs; other text goes as its UTF-8 bytes. */
export function headerSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return Buffer.from(s, 'utf8').toString('latin1').replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
}

/** A value for a free-text header: hostile text, long, or empty. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: unicodeText.map(headerSafe) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 2_000 }).map((n) => 'A'.repeat(n)) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0x21, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 80 }) },
);

/** Random extra headers, some with names the platform reads. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('x-forwarded-for', 'x-real-ip', 'cookie', 'accept', 'accept-language', 'origin', 'referer', 'x-amzn-trace-id', 'x-api-key', 'x-http-method-override', 'forwarded', 'if-none-match', 'range'),
        fc.stringMatching(/^x-[a-z0-9-]{1,30}$/),
      ),
      headerValue,
    ),
    { maxLength: 3 },
  )
  .map((pairs) => Object.fromEntries(pairs));

// ---------------------------------------------------------------------------------------------
// Requests

const cut = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

/** One request as sent; prints short in fast-check's reports. */
export class HostileRequest {
  constructor(
    readonly method: string,
    /** Path and query as sent: segments percent-encoded, or verbatim on purpose. */
    readonly target: string,
    /** Lower-case names; values as sent. */
    readonly headers: Record<string, string>,
    readonly body: Buffer | undefined,
    /** How the body was made. */
    readonly note: string,
  ) {}

  [fc.toStringMethod](): string {
    const headers = Object.entries(this.headers).map(([k, v]) => `${k}: ${JSON.stringify(cut(v, 60))}`);
    const body = this.body ? `${this.body.length} bytes ${JSON.stringify(cut(this.body.toString('utf8')))}` : 'none';
    return `${this.method} ${cut(this.target, 200)}\n  headers { ${headers.join(', ')} }\n  body (${this.note}): ${body}`;
  }
}

export interface Answer {
  status: number;
  text: string;
}

export async function send(baseUrl: string, req: HostileRequest): Promise<Answer> {
  const res = await fetch(`${baseUrl}${req.target}`, {
    method: req.method,
    headers: req.headers,
    // A Buffer, so that fetch adds no content-type of its own: the request carries exactly req.headers.
    body: req.body && req.method !== 'GET' && req.method !== 'HEAD' ? new Uint8Array(req.body) : undefined,
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text() };
}

/** The API's error envelope, or why the text is not one. */
export function envelopeProblem(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `the body is not JSON: ${JSON.stringify(cut(text, 300))}`;
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code !== 'string' || !error.code || typeof error.message !== 'string') return `the body is not {error:{code,message}}: ${cut(text, 300)}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// What the platform makes of a request (mirrors local/gateway.ts and lambdas/platform/http.ts)

const compiled = routes.map((route) => {
  const params: string[] = [];
  const escaped = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped.replace(/\{(\w+)\}/g, (_m, name: string) => (params.push(name), '([^/]+)'))}$`);
  return { route, pattern, params };
});

export interface Understood {
  route: RouteSpec;
  /** Decoded path parameters, as the handler gets them. */
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The body as the handler reads it: UTF-8 text, undefined when empty. */
  bodyText?: string;
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The route a request reaches and what its handler gets, or undefined when the gateway answers 404/405 itself. */
export function understand(req: HostileRequest): Understood | undefined {
  // fetch normalises the URL (dot segments, backslashes) before sending; the gateway parses what arrives.
  const sent = new URL(req.target, 'http://127.0.0.1');
  const url = new URL(`${sent.pathname}${sent.search}`, 'http://localhost');
  const hit = compiled.map((c) => ({ c, m: c.pattern.exec(url.pathname) })).find((x) => x.m && x.c.route.method === req.method);
  if (!hit || !hit.m) return undefined;
  const path: Record<string, string> = {};
  hit.c.params.forEach((p, i) => (path[p] = decode((hit.m as RegExpExecArray)[i + 1])));
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v.replace(/^[\t ]+|[\t ]+$/g, '');
  const text = req.body && req.method !== 'GET' && req.method !== 'HEAD' ? req.body.toString('utf8') : undefined;
  return { route: hit.c.route, path, query, headers, bodyText: text ? text : undefined };
}

export type Verdict = { refused: true; why: string } | { refused: false; body: unknown; path: Record<string, string>; query: unknown; headers: unknown };

/** Whether validation (size, content type, JSON, zod schemas) certainly refuses the request before its handler runs. */
export function contractVerdict(u: Understood): Verdict {
  const contract = u.route.request ?? {};
  let body: unknown;
  if (contract.body) {
    if (u.bodyText === undefined) return { refused: true, why: 'no body' };
    if (Buffer.byteLength(u.bodyText, 'utf8') > MAX_BODY) return { refused: true, why: 'body too large' };
    if (!/^application\/json\b/i.test(u.headers['content-type'] ?? '')) return { refused: true, why: 'not application/json' };
    try {
      body = JSON.parse(u.bodyText) as unknown;
    } catch {
      return { refused: true, why: 'not JSON' };
    }
    const r = contract.body.safeParse(body);
    if (!r.success) return { refused: true, why: 'body schema' };
    body = r.data;
  }
  const parts = { path: [contract.path, u.path], query: [contract.query, u.query], headers: [contract.headers, u.headers] } as const;
  const parsed: Record<string, unknown> = {};
  for (const [name, [schema, value]] of Object.entries(parts)) {
    if (!schema) continue;
    const r = schema.safeParse(value);
    if (!r.success) return { refused: true, why: `${name} schema` };
    parsed[name] = r.data;
  }
  return { refused: false, body, path: u.path, query: parsed.query, headers: parsed.headers };
}

// ---------------------------------------------------------------------------------------------
// Authorization headers that must not get in

export interface TokenIssuer {
  privateJwk: JWK;
  issuer: string;
  audience: string;
}

/**
 * Authorization header values that are missing, malformed or forged: tampered payloads, no signature,
 * alg none, HS256 with the public key as secret, another key under the same kid, and tokens signed by
 * the platform's own key whose claims are wrong (expired, not yet valid, other issuer or audience, an
 * access token, an unknown role, no username). `undefined` stands for no header at all.
 */
export async function forgedAuthorizations(issuer: TokenIssuer, validToken: string): Promise<Array<string | undefined>> {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const [header, payload, signature] = validToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const admin = { ...claims, 'cognito:username': 'admin', 'custom:role': 'admin' };
  const realKey = await importJWK(issuer.privateJwk, 'ES256');
  const { d: _secret, ...publicJwk } = issuer.privateJwk;
  const sign = (c: Record<string, unknown>, key: Parameters<SignJWT['sign']>[0] = realKey, alg = 'ES256') =>
    new SignJWT(c).setProtectedHeader({ alg, kid: issuer.privateJwk.kid }).sign(key);
  const otherKey = (await generateKeyPair('ES256')).privateKey;
  const base = { ...claims, iss: issuer.issuer, aud: issuer.audience, iat: now, exp: now + 3600 };
  const signed = await Promise.all([
    sign({ ...base, exp: now - 60 }),
    sign({ ...base, nbf: now + 3600 }),
    sign({ ...base, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_evil' }),
    sign({ ...base, aud: 'someone-else' }),
    sign({ ...base, token_use: 'access' }),
    sign({ ...base, 'custom:role': 'root' }),
    sign({ ...base, 'cognito:username': undefined }),
    sign({ ...base, 'custom:unit': 'group_99', 'custom:role': 'group_officer' }),
    sign({ ...admin, iss: issuer.issuer, aud: issuer.audience, exp: now + 3600 }, otherKey),
    sign(admin, new TextEncoder().encode(JSON.stringify(publicJwk)), 'HS256'),
  ]);
  return [
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Bearer null',
    'Bearer undefined',
    'Basic YWRtaW46YWRtaW4=',
    `Token ${validToken}`,
    `Bearer ${validToken} extra`,
    `Bearer ${validToken}.`,
    `Bearer ${header}.${payload}`,
    `Bearer ${header}.${payload}.`,
    `Bearer ${header}.${b64(admin)}.${signature}`,
    `Bearer ${header}.${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`,
    `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(admin)}.`,
    `Bearer ${b64({ alg: 'none' })}.${b64(admin)}`,
    `Bearer ${validToken.slice(0, -10)}`,
    `Bearer ${validToken.toUpperCase()}`,
    `Bearer ${'A'.repeat(4000)}`,
    `Bearer ${Buffer.from('🔑').toString('latin1')}`,
    'Bearer a.b.c',
    'Bearer ..',
    ...signed.map((t) => `Bearer ${t}`),
  ];
}

/** A bearer header that is certainly not a valid token: one of the forged ones, or random text. */
export function forgedAuthorizationArbitrary(forged: Array<string | undefined>): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...forged) },
    { weight: 1, arbitrary: headerValue.map((v) => `Bearer ${v}`) },
    { weight: 1, arbitrary: fc.tuple(fc.base64String({ minLength: 4, maxLength: 200 }), fc.base64String({ maxLength: 200 }), fc.base64String({ maxLength: 100 })).map((p) => `Bearer ${p.join('.')}`) },
  );
}
