/**
 * Hostile input against `npm start`, property-based (fast-check): for every route of the route table
 * (lib/spec/routes.ts, so a new route is covered as soon as it exists) three runs of generated requests:
 * - deep: a valid request of a user who may use the route (existing records, JSON, the right method),
 *   with one field of the body or query made hostile, mostly keeping its type so that it passes the
 *   schemas and reaches the domain rules;
 * - random: random and malformed bodies (random JSON, broken JSON, invalid UTF-8, huge, deeply nested, a
 *   valid example with one field of a wrong type), wrong content types, odd methods, path segments
 *   (percent-encoded unicode, `..`, broken percent-encoding, very long), query strings and headers
 *   (X-Access-Code, Idempotency-Key and others), unicode edge cases throughout (lone surrogates, NUL,
 *   RTL marks, emoji, combining marks, U+2028);
 * - forged (official routes): as random, with a missing, malformed or forged bearer token.
 * Whatever arrives, the platform answers: never a 5xx or a dropped connection, every 4xx in the API's
 * error envelope, a 401 for every request to an official route without a valid token, and nothing
 * written to any table (DynamoDB Local is scanned before and after each run; only the rate-limit
 * counters in `limits` are left out, and a 429 is an acceptable answer).
 *
 * A request that could be a valid one is generated but not sent, because it might rightly write: it
 * reaches a route that writes, with a valid token, passes the route's contract, names an existing case,
 * task, plan, item or campaign (or the route has no path parameter), and the domain rules in `refuses`
 * below do not refuse it. One example: GET /api/cases/{receiptNo} of the seeded case with a valid token
 * is never sent, as reading a complainant's contact is recorded in the audit trail.
 *
 * Each failure names its base seed and fast-check's own seed and path; the same base seed
 * (HOSTILE_SEED=<n>) replays the same cases (route i runs with base seed + 3i, + 1, + 2 for its deep,
 * random and forged-token runs). HOSTILE_RUNS scales the number of cases (default 1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { routes, type RouteSpec } from '../../lib/spec/routes';
import { functionSpecs } from '../../lib/spec/functions';
import { schedules } from '../../lib/spec/schedules';
import { parseForm, validateAnswers, type QuestionSpec } from '../../lambdas/domain/campaigns/forms';
import { decisionData } from '../../lambdas/domain/tasks/schemas';
import { calendarProblems } from '../../lambdas/domain/calendar/working-days';
import type { Json } from '../support/api-client';
import { usePlatform } from '../support/platform-process';
import {
  HostileRequest,
  RawJson,
  bodyArbitrary,
  contentTypeArbitrary,
  deepBodyArbitrary,
  contractVerdict,
  envelopeProblem,
  extraHeaders,
  forgedAuthorizationArbitrary,
  forgedAuthorizations,
  headerSafe,
  headerValue,
  mutatedQueryArbitrary,
  queryArbitrary,
  segmentArbitrary,
  send,
  toJsonText,
  understand,
  type Answer,
  type Understood,
} from '../support/hostile';
import { TableWatch, changes, type Snapshot, type TableChange } from '../support/table-snapshot';

jest.setTimeout(300_000);

const { api, current } = usePlatform();

const SEED = Number(process.env.HOSTILE_SEED ?? 20_261_107);
const SCALE = Number(process.env.HOSTILE_RUNS ?? 1);
const RUNS: Record<Mode, number> = { random: Math.round(70 * SCALE), deep: Math.round(70 * SCALE), forged: Math.round(25 * SCALE) };
const MIN_TOTAL_CASES = Math.round(3_000 * SCALE);
/** Rate-limit counters: a 429 is an acceptable answer and its counter is not business data. */
const IGNORED_TABLES = ['limits'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const USERS = ['admin', 'supervisor', 'school_supervision', 'group_1', 'dept_education', 'school_admin_p06', 'school_admin_p11'];

// ---------------------------------------------------------------------------------------------
// The records hostile input is aimed at

interface World {
  tokens: Map<string, string>;
  /** Path parameter name → ids of records that exist. */
  ids: Record<string, string[]>;
  receipt: { receiptNo: string; accessCode: string };
  date: string;
  inFiveDays: string;
  fileId: string;
  surveyTokens: string[];
  ruleSet: Json;
  campaignRequest: Json;
  forged: Array<string | undefined>;
}

const form = JSON.parse(readFileSync(join(__dirname, '../unit/campaigns/fixtures/homework-survey.json'), 'utf8')) as Json;
const heavyHomework = [
  { subject: '数学', content: '练习册第12-13页', kind: 'written', minutes: 45 },
  { subject: '语文', content: '抄写生字三遍', kind: 'written', minutes: 30 },
  { subject: '体育', content: '跳绳10分钟', kind: 'exercise', minutes: 10 },
];
const complaint = {
  category: 'homework_burden',
  description: '第六小学三年级每天书面作业超过两个小时，孩子经常写到晚上十点。',
  subject: { schoolName: '前进区第六小学教育集团' },
  occurredOn: '2026-11-20',
  contact: { name: '李先生', phone: '13800138000' },
};
const parsedForm = parseForm(form);
const formQuestions: QuestionSpec[] = parsedForm.ok ? parsedForm.questions : [];
const surveyAnswer = { homeworkMinutes: 'lt30', parentsAskedToGrade: false, afterSchoolService: true, satisfaction: 4 };

/** District civil date (UTC+08:00) of an instant. */
const districtDate = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
const offsetTime = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace('Z', '+08:00');

async function expectStatus(res: Promise<{ status: number; body: Json }>, status: number): Promise<Json> {
  const r = await res;
  if (r.status !== status) throw new Error(`setup: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Every year a calendar can be entered for exists as a resource: a PUT to any of them rightly writes. */
const CALENDAR_YEARS = Array.from({ length: 101 }, (_, i) => String(2000 + i));

async function buildWorld(): Promise<World> {
  const tokens = new Map<string, string>();
  for (const user of USERS) tokens.set(user, await api.token(user));
  const now = Date.parse(((await api.call('GET', '/_local/clock')).body as { now: string }).now);
  // The Sixth Primary School keeps Wednesdays free of homework: publish on another day.
  let day = 0;
  while (new Date(`${districtDate(now + day * DAY)}T00:00:00Z`).getUTCDay() === 3) day--;
  const date = districtDate(now + day * DAY);

  const receipt = await api.file(complaint);
  const task = await api.taskFor('school_supervision', 'accept_case', receipt.receiptNo);

  const notice = await expectStatus(api.as('school_admin_p06', 'POST', '/api/homework/notices', { classId: 'p06-g3c1', date, items: heavyHomework }), 201);
  const itemIds = notice.rectificationItemIds as string[];
  const planId = itemIds[0].split('.')[0];
  const slot = await expectStatus(api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemIds[0]}/evidence`, { fileName: '整改报告.pdf', contentType: 'application/pdf', size: 30 }), 201);

  const campaignRequest = {
    title: '作业负担家长问卷',
    form,
    audience: { classIds: ['p06-g3c1'] },
    schedule: { opensAt: offsetTime(now + HOUR), closesAt: offsetTime(now + 8 * DAY) },
    thresholds: [{ question: 'homeworkMinutes', values: ['60to90', 'gt90'], moreThan: 0.2, minResponses: 5, description: '书面作业超时' }],
  };
  const campaign = await expectStatus(api.as('supervisor', 'POST', '/api/campaigns', campaignRequest), 201);
  const campaignId = campaign.campaignId as string;
  const issued = await expectStatus(api.as('supervisor', 'POST', `/api/campaigns/${campaignId}/tokens`, { classId: 'p06-g3c1', count: 3 }), 201);
  await api.advanceClock(2 * HOUR);
  await api.runSchedule('campaign-clock');
  await expectStatus(api.call('GET', `/api/surveys/${campaignId}`), 200);

  const ruleSet = await expectStatus(api.call('GET', '/api/homework/rules'), 200);
  const supervisorToken = tokens.get('supervisor') as string;
  const claims = JSON.parse(Buffer.from(supervisorToken.split('.')[1], 'base64url').toString('utf8')) as { iss: string; aud: string };
  const privateJwk = JSON.parse(readFileSync(join(current().dataDir, 'local-jwt-signing-key.json'), 'utf8'));
  const forged = await forgedAuthorizations({ privateJwk, issuer: claims.iss, audience: claims.aud }, supervisorToken);

  return {
    tokens,
    ids: { receiptNo: [receipt.receiptNo], taskId: [task.taskId], planId: [planId], itemId: itemIds, campaignId: [campaignId], year: CALENDAR_YEARS, schoolId: ['p06'], classId: ['p06-g3c1'], username: ['school_admin_p11'], scope: ['units'], code: ['group_1'] },
    receipt,
    date,
    inFiveDays: districtDate(now + 5 * DAY),
    fileId: slot.fileId as string,
    surveyTokens: issued.tokens as string[],
    ruleSet,
    campaignRequest,
    forged,
  };
}

// ---------------------------------------------------------------------------------------------
// What the test knows of each route

interface Knowledge {
  /** Users the route is meant for, the first the one whose token is sent most. Default: supervisor. */
  users?: string[];
  /** A valid body: hostile bodies are mostly this with one field broken. */
  body?: unknown;
  /** A valid query. */
  query?: Record<string, string>;
  /** The domain certainly refuses this request before writing (beyond what the route's schemas say). */
  refuses?: (body: unknown, u: Understood) => boolean;
}

/** Whether `v` nests more than `levels` objects or arrays deep. */
const deeperThan = (v: unknown, levels: number): boolean => v !== null && typeof v === 'object' && (levels === 0 || Object.values(v).some((x) => deeperThan(x, levels - 1)));

/**
 * A form the platform cannot store: one its own validation refuses, or one nested deeper than DynamoDB
 * takes (32 levels in an item, the form one below it), whatever the validation says.
 */
const unstorableForm = (f: unknown): boolean => !parseForm(f).ok || deeperThan(f, 31);

/** Upper case, letters and digits only: a secret typed differently (case, dashes, spaces) still counts as it. */
const folded = (s: unknown) => (typeof s === 'string' ? s.toUpperCase().replace(/[^0-9A-Z]/g, '') : '');

function knowledgeOf(w: World): Record<string, Knowledge> {
  return {
    'POST /api/complaints': { body: complaint },
    'POST /api/complaints/{receiptNo}/rating': {
      body: { score: 4, comment: '处理及时' },
      refuses: (_b, u) => folded(u.headers['x-access-code']) !== folded(w.receipt.accessCode),
    },
    'POST /api/tasks/{taskId}/complete': {
      users: ['school_supervision'],
      body: { decision: 'accept', comment: '受理', data: {} },
      // The task is an accept_case step: another decision, or data that does not fit the decision, is a 400.
      refuses: (b) => {
        const { decision, data } = b as { decision: string; data?: unknown };
        const schemas: Record<string, { safeParse: (v: unknown) => { success: boolean } }> = decisionData.accept_case;
        return !Object.hasOwn(schemas, decision) || !schemas[decision].safeParse(data ?? {}).success;
      },
    },
    'GET /api/cases': { query: { status: 'received', unit: 'school_supervision', overdue: 'false', limit: '10' } },
    'POST /api/homework/notices': { users: ['school_admin_p06'], body: { classId: 'p06-g3c1', date: w.date, items: heavyHomework } },
    'GET /api/homework/notices': { query: { schoolId: 'p06', classId: 'p06-g3c1', date: w.date } },
    'PUT /api/admin/homework-rules': { users: ['admin'], body: w.ruleSet },
    'PUT /api/admin/calendar/{year}': {
      users: ['admin'],
      body: { holidays: ['2027-01-01'], workdays: [] },
      // Dates outside the path's year, twice, in both lists or a weekday as a make-up day: a 400.
      refuses: (b, u) => {
        const { holidays, workdays } = b as { holidays: string[]; workdays: string[] };
        return calendarProblems(Number(u.path.year), holidays, workdays).length > 0;
      },
    },
    'GET /api/rectification/plans': { users: ['school_admin_p06', 'supervisor'], query: { schoolId: 'p06' } },
    'POST /api/rectification/plans': { body: { schoolId: 'p06' } },
    'POST /api/rectification/plans/{planId}/items': { body: { description: '书面作业量偏大', measure: '减少书面作业', owner: '教务处', dueOn: w.inFiveDays } },
    'POST /api/rectification/items/{itemId}/evidence': { users: ['school_admin_p06'], body: { fileName: '整改报告.pdf', contentType: 'application/pdf', size: 1024 } },
    'POST /api/rectification/items/{itemId}/submit': { users: ['school_admin_p06'], body: { note: '已调整作业量', evidence: [w.fileId] } },
    'POST /api/rectification/items/{itemId}/close': { body: { note: '核查属实，予以销号' } },
    'POST /api/rectification/items/{itemId}/return': { body: { reason: '缺少家长问卷结果' } },
    'GET /api/rectification/export': { query: { format: 'csv', schoolId: 'p06' } },
    'GET /api/notifications': { users: ['school_admin_p06'] },
    'GET /api/campaigns': { users: ['supervisor'], query: { status: 'scheduled', limit: '10' } },
    // Administration: valid requests would rightly write (and are not sent); what is sent must be refused unwritten.
    'POST /api/admin/schools': { users: ['admin'], body: { schoolId: 'p77', name: '测试小学', stage: 'primary', area: 'group_1' } },
    'PUT /api/admin/schools/{schoolId}': { users: ['admin'], body: { name: '测试小学' } },
    'POST /api/admin/schools/{schoolId}/classes': { users: ['admin'], body: { classId: 'p06-g9c9', grade: 4, name: '4年级9班', enrolled: 40 } },
    'PUT /api/admin/schools/{schoolId}/classes/{classId}': { users: ['admin'], body: { enrolled: 41 } },
    'POST /api/admin/institutions': { users: ['admin'], body: { name: '测试培训中心', address: '前进区', area: 'group_1', kind: 'subject', status: 'licensed' } },
    'PUT /api/admin/institutions/{institutionId}': { users: ['admin'], body: { status: 'revoked' } },
    'GET /api/admin/institutions': { users: ['admin'], query: { status: 'licensed', q: '培训' } },
    'POST /api/admin/users': { users: ['admin'], body: { username: 'test.user', displayName: '测试', role: 'supervisor' } },
    'GET /api/admin/users': { users: ['admin'] },
    // A dry run writes nothing, whatever the file; a real import of random bytes might (in theory) be a good sheet.
    'POST /api/admin/import': { users: ['admin'], query: { kind: 'schools', dryRun: 'true' }, refuses: (_b, u) => u.query.dryRun === 'true' },
    'POST /api/admin/users/{username}/disable': { users: ['admin'] },
    'POST /api/admin/users/{username}/enable': { users: ['admin'] },
    'PUT /api/admin/users/{username}': { users: ['admin'], body: { displayName: '十一小管理员', role: 'school_admin', schoolId: 'p11' } },
    'GET /api/admin/schools': { users: ['admin'] },
    'GET /api/admin/organisation': { users: ['admin'] },
    'PUT /api/admin/organisation/{scope}/{code}': { users: ['admin'], body: { name: '前进区第一专项工作组', head: '张组长', phone: '0431-88880001' } },
    'GET /api/admin/audit': { users: ['admin'], query: { about: 'school', limit: '10' } },
    'POST /api/auth/login': { body: { username: 'admin', password: 'not-the-password' } },
    'POST /api/campaigns': { body: w.campaignRequest, refuses: (b) => unstorableForm((b as { form: unknown }).form) },
    'PUT /api/campaigns/{campaignId}/form': { body: form, refuses: unstorableForm },
    'POST /api/campaigns/{campaignId}/tokens': { body: { classId: 'p06-g3c1', count: 2 } },
    'GET /api/campaigns/{campaignId}/results': { query: { round: '1' } },
    'GET /api/campaigns/{campaignId}/export': { query: { format: 'csv', round: '1' } },
    'POST /api/surveys/{campaignId}/responses': {
      body: { token: w.surveyTokens[0], answers: surveyAnswer },
      // Not a token of this survey, or answers that do not fit its form: refused before anything is stored.
      refuses: (b) => {
        const { token, answers } = b as { token: string; answers: unknown };
        return !w.surveyTokens.some((t) => folded(t) === folded(token)) || validateAnswers(form, formQuestions, answers).length > 0;
      },
    },
    'POST /api/dev/login': { body: { username: 'supervisor' } },
  };
}

const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;
const paramsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

/** Ids of the right shape that name nothing. */
const wellFormed: Record<string, fc.Arbitrary<string>> = {
  receiptNo: fc.stringMatching(/^TS-20[0-9]{2}-[0-9]{6}$/),
  taskId: fc.stringMatching(/^[0-9a-f]{32}$/),
  planId: fc.stringMatching(/^RP-[a-z0-9]{1,6}-[0-9]{3,5}$/),
  itemId: fc.stringMatching(/^RP-[a-z0-9]{1,6}-[0-9]{3,5}\.[a-z0-9]{4,16}$/),
  campaignId: fc.stringMatching(/^CP-[0-9A-Z]{10}$/),
  year: fc.integer({ min: 2000, max: 2100 }).map(String),
  schoolId: fc.stringMatching(/^[a-z][0-9]{2}$/),
  classId: fc.stringMatching(/^[a-z][0-9]{2}-g[1-9]c[1-9]$/),
  institutionId: fc.stringMatching(/^INST-[0-9A-Z]{10}$/),
  username: fc.stringMatching(/^[a-z]{3,8}\.[a-z0-9]{2,4}$/),
};

/** Whether a route's function may write business data (anything but the rate-limit counters). */
function writes(route: RouteSpec): boolean {
  const spec = functionSpecs[route.function];
  const tables = Object.entries(spec.tables).some(([table, access]) => access === 'readWrite' && !IGNORED_TABLES.includes(table));
  return tables || Boolean(spec.startsWorkflows?.length || spec.sendsTaskResults?.length);
}

function queryKeys(route: RouteSpec): string[] {
  const shape = (route.request?.query as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

// ---------------------------------------------------------------------------------------------
// Requests

/**
 * random: anything goes, with a token of a user who may use the route; deep: a valid request of that user
 * (existing records, JSON, the right method) with one field of the body or query made hostile; forged: as
 * random, with a missing, malformed or forged token.
 */
type Mode = 'random' | 'deep' | 'forged';

function requestArbitrary(w: World, route: RouteSpec, mode: Mode): fc.Arbitrary<HostileRequest> {
  const known = knowledgeOf(w)[routeKey(route)] ?? {};
  const valid = (user: string) => w.tokens.get(user) as string;
  const users = known.users ?? ['supervisor'];
  const forged = forgedAuthorizationArbitrary(w.forged);
  const permitted = fc.constantFrom(...users).map((u) => `Bearer ${valid(u)}`);
  const authorization: fc.Arbitrary<string | undefined> =
    mode === 'forged'
      ? forged
      : route.auth === 'official'
        ? fc.oneof(
            { weight: 8, arbitrary: permitted },
            { weight: 2, arbitrary: fc.constantFrom(...USERS).map((u) => `Bearer ${valid(u)}`) },
            { weight: 1, arbitrary: fc.constantFrom(...users).map((u) => `bearer \t ${valid(u)}`) },
          )
        : fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(`Bearer ${valid('supervisor')}`) }, { weight: 1, arbitrary: forged });
  const code = w.receipt.accessCode;
  const realCode = fc.constantFrom(code, code.toLowerCase(), `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`, ` ${code} `);
  // Deep requests carry the real code: wrong ones lock the receipt after a few tries (a 429 from then on).
  const accessCode = fc.oneof(
    { weight: mode === 'deep' ? 40 : 2, arbitrary: realCode },
    { weight: 2, arbitrary: fc.stringMatching(/^[23456789A-HJ-NP-Z]{12}$/) },
    { weight: 3, arbitrary: headerValue },
    { weight: 1, arbitrary: fc.constantFrom('', '-', 'A'.repeat(64), 'A'.repeat(65), `${code}\u00a0`, `${code}${code}`) },
  );
  const idempotencyKey = fc.oneof(
    { weight: mode === 'deep' ? 6 : 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9-]{8,128}$/) },
    { weight: 2, arbitrary: headerValue },
    { weight: 1, arbitrary: fc.constantFrom('', '1234567', 'k'.repeat(129), '        ', headerSafe('键'.repeat(40))) },
  );
  const segments = paramsOf(route.path).map((p) =>
    mode === 'deep' ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(w.ids[p] ?? ['x'])) }, { weight: 1, arbitrary: wellFormed[p] ?? fc.constant('x') }) : segmentArbitrary(w.ids[p] ?? [], wellFormed[p]),
  );
  const method = mode === 'deep' ? fc.constant<string>(route.method) : fc.oneof({ weight: 15, arbitrary: fc.constant<string>(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') });
  const body =
    route.method === 'GET' ? fc.constant({ bytes: undefined, note: 'none (GET)' }) : mode === 'deep' ? deepBodyArbitrary(known.body) : bodyArbitrary(known.body);
  const query =
    mode === 'deep'
      ? fc.oneof({ weight: 3, arbitrary: mutatedQueryArbitrary(queryKeys(route), known.query) }, { weight: 1, arbitrary: fc.constant(new URLSearchParams(known.query).toString()) })
      : fc.option(queryArbitrary(queryKeys(route), known.query), { freq: 3, nil: '' });
  return fc
    .record({
      method,
      segments: fc.tuple(...segments),
      query,
      body,
      contentType: mode === 'deep' ? fc.constant(route.request?.upload ? 'application/octet-stream' : 'application/json') : contentTypeArbitrary,
      authorization,
      accessCode: fc.option(accessCode, { freq: mode === 'deep' ? 8 : 2 }),
      idempotencyKey: fc.option(idempotencyKey, { freq: 3 }),
      extra: extraHeaders,
    })
    .map((r) => {
      let i = 0;
      const path = route.path.replace(/\{\w+\}/g, () => r.segments[i++]);
      const headers: Record<string, string> = { ...r.extra };
      if (r.body.bytes && r.contentType !== undefined) headers['content-type'] = r.contentType;
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      if (r.accessCode !== null) headers['x-access-code'] = r.accessCode;
      if (r.idempotencyKey !== null) headers['idempotency-key'] = r.idempotencyKey;
      return new HostileRequest(r.method, `${path}${r.query ? `?${r.query}` : ''}`, headers, r.body.bytes, r.body.note);
    });
}

/**
 * Requests that once answered 500, replayed before the generated ones of every run: a path segment that
 * is not valid percent-encoding (the gateway's decodeURIComponent threw), queue cursors that are not
 * the queue's (DynamoDB refused them), a decision named after an inherited property (it found Object),
 * a deeply nested rule kind (its error message serialised it whole), a deeply nested campaign form (too
 * deep for DynamoDB, or for the SDK's recursive conversion).
 */
function regressions(w: World, route: RouteSpec, mode: Mode): HostileRequest[] {
  if (mode === 'forged') return [];
  const user = (knowledgeOf(w)[routeKey(route)]?.users ?? ['supervisor'])[0];
  const headers: Record<string, string> = { ...(route.auth === 'official' ? { authorization: `Bearer ${w.tokens.get(user)}` } : {}), 'content-type': 'application/json' };
  const body = route.method === 'GET' ? undefined : Buffer.from('{}');
  const out: HostileRequest[] = [];
  if (route.path.includes('{')) out.push(new HostileRequest(route.method, route.path.replace(/\{\w+\}/g, '%E0%A4%A'), headers, body, 'regression: broken percent-encoding'));
  if (routeKey(route) === 'GET /api/cases') {
    const cursor = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');
    for (const c of ['%00', 'not-base64!', cursor({ i: -1 }), cursor({ i: 1e9 }), cursor({ i: 0, k: { x: '1' } }), cursor({ i: 0, k: { pk: 'a', sk: 'b', statusPk: 'STATUS#closed', statusSk: 'x' } }), cursor({ i: 0, k: 'x' })]) {
      out.push(new HostileRequest('GET', `/api/cases?cursor=${encodeURIComponent(c)}`, headers, undefined, 'regression: a cursor the queue never handed out'));
    }
  }
  if (routeKey(route) === 'PUT /api/admin/homework-rules') {
    const kind = `${'{"a":'.repeat(9_000)}1${'}'.repeat(9_000)}`;
    out.push(new HostileRequest('PUT', route.path, headers, Buffer.from(`{"id":"x","version":2,"rules":[{"id":"r","kind":${kind}}]}`), 'regression: a rule kind nested 9,000 deep'));
  }
  // A form is stored as it came: one nested deeper than DynamoDB takes failed its write (or the SDK's stack).
  const deepForm = (depth: number) => ({ ...form, extra: new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) });
  for (const depth of [40, 5_000]) {
    const formBody = (v: unknown) => Buffer.from(toJsonText(v) as string);
    if (routeKey(route) === 'POST /api/campaigns') out.push(new HostileRequest('POST', route.path, headers, formBody({ ...w.campaignRequest, form: deepForm(depth) }), `regression: a form nested ${depth} deep`));
    if (routeKey(route) === 'PUT /api/campaigns/{campaignId}/form') out.push(new HostileRequest('PUT', `/api/campaigns/${w.ids.campaignId[0]}/form`, headers, formBody(deepForm(depth)), `regression: a form nested ${depth} deep`));
  }
  if (routeKey(route) === 'POST /api/tasks/{taskId}/complete') {
    for (const decision of ['constructor', '__proto__', 'toString']) {
      out.push(new HostileRequest('POST', `/api/tasks/${w.ids.taskId[0]}/complete`, headers, Buffer.from(JSON.stringify({ decision, data: {} })), 'regression: a decision named after an inherited property'));
    }
  }
  return out;
}

/** Whether the request could be a valid one that rightly writes: such requests are not sent. */
function mayWrite(w: World, req: HostileRequest): boolean {
  const u = understand(req);
  if (!u || !writes(u.route)) return false;
  if (u.route.auth === 'official') {
    const token = u.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token || ![...w.tokens.values()].includes(token)) return false;
  }
  const verdict = contractVerdict(u);
  if (verdict.refused) return false;
  const existing = new Set(Object.values(w.ids).flat());
  const params = Object.values(u.path);
  if (params.length && !params.some((p) => existing.has(p))) return false;
  const refuses = knowledgeOf(w)[routeKey(u.route)]?.refuses;
  return !refuses?.(verdict.body, u);
}

// ---------------------------------------------------------------------------------------------
// The run

interface Tally {
  cases: number;
  skipped: number;
  requests: number;
  statuses: Map<number, number>;
  serverErrors: number;
  writes: number;
  seconds: number;
}
const tallies = new Map<string, Tally>();
const tallyOf = (key: string): Tally => {
  let t = tallies.get(key);
  if (!t) tallies.set(key, (t = { cases: 0, skipped: 0, requests: 0, statuses: new Map(), serverErrors: 0, writes: 0, seconds: 0 }));
  return t;
};

const cut = (s: string, n = 400) => (s.length > n ? `${s.slice(0, n)}…` : s);

function describeChanges(list: TableChange[], accepted: string[]): string {
  const lines = list.map((c) => `  ${c.table}: +${c.added.length} −${c.removed.length}\n${[...c.added.slice(0, 3).map((x) => `    + ${cut(x)}`), ...c.removed.slice(0, 3).map((x) => `    − ${cut(x)}`)].join('\n')}`);
  return `${lines.join('\n')}\nrequests answered 2xx/3xx in this run:\n${accepted.slice(0, 10).join('\n') || '  (none)'}`;
}

let world: World;
let watch: TableWatch;
/** The database as it stands when nothing is running, once known. */
let quiet: Snapshot | undefined;

/** Runs every schedule and waits until nothing changes any more, so that a later change is the requests' doing. */
async function settle(): Promise<void> {
  for (let round = 0; round < 4; round++) {
    const before = await watch.snapshot();
    for (const s of schedules) await api.runSchedule(s.name);
    let last = await watch.snapshot();
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 300));
      const next = await watch.snapshot();
      if (!changes(last, next).length) break;
      last = next;
    }
    if (!changes(before, last).length) {
      quiet = last;
      return;
    }
  }
  throw new Error('the platform keeps writing with nobody asking: a write check would mean nothing');
}

beforeAll(async () => {
  const health = await api.call('GET', '/api/health');
  watch = new TableWatch((health.body.local as { dynamodbEndpoint: string }).dynamodbEndpoint, IGNORED_TABLES);
  world = await buildWorld();
  await settle();
});

afterAll(() => watch?.destroy());

async function run(route: RouteSpec, mode: Mode, seed: number): Promise<void> {
  const key = routeKey(route);
  const tally = tallyOf(key);
  const started = Date.now();
  const accepted: string[] = [];
  // The previous run's closing snapshot is this run's opening one: nothing else writes in between.
  const before = quiet ?? (await watch.snapshot());
  const property = fc.asyncProperty(requestArbitrary(world, route, mode), async (req) => {
    fc.pre(!mayWrite(world, req));
    const u = understand(req);
    let answer: Answer;
    try {
      answer = await send(current().url, req);
    } catch (err) {
      throw new Error(`no answer: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`);
    }
    tally.requests++;
    tally.statuses.set(answer.status, (tally.statuses.get(answer.status) ?? 0) + 1);
    if (answer.status >= 500) {
      tally.serverErrors++;
      throw new Error(`answered ${answer.status}: ${cut(answer.text)}`);
    }
    if (answer.status < 400) accepted.push(`  ${answer.status} ${cut(fc.stringify(req), 600)}`);
    else {
      const problem = envelopeProblem(answer.text);
      if (problem) throw new Error(`answered ${answer.status} but ${problem}`);
    }
    if (!u && answer.status !== 404 && answer.status !== 405) throw new Error(`no route takes this request, yet it was answered ${answer.status}`);
    if (mode === 'forged' && u?.route.auth === 'official') {
      const code = (JSON.parse(answer.text) as { error?: { code?: string } }).error?.code;
      if (answer.status !== 401 || code !== 'unauthorized') throw new Error(`a forged or missing token was answered ${answer.status} ${cut(answer.text)}`);
    }
  });
  const examples = regressions(world, route, mode).map((r): [HostileRequest] => [r]);
  const details = await fc.check(property, { numRuns: RUNS[mode], seed, maxSkipsPerRun: 1_000, examples });
  const after = await watch.snapshot();
  const written = changes(before, after);
  quiet = written.length ? undefined : after;
  tally.cases += details.numRuns;
  tally.skipped += details.numSkips;
  tally.seconds += (Date.now() - started) / 1000;
  if (written.length) tally.writes += written.reduce((n, c) => n + c.added.length + c.removed.length, 0);
  const report = details.failed ? `${await fc.asyncDefaultReportMessage(details)}\nGot: ${String(details.errorInstance)}` : undefined;
  if (written.length) await settle().catch(() => undefined); // the next route starts from a quiet database
  if (report) throw new Error(`${key} (${mode}), base seed ${SEED}:\n${report}${written.length ? `\n\nIt also wrote:\n${describeChanges(written, accepted)}` : ''}`);
  if (written.length) throw new Error(`${key} (${mode}) wrote to the database:\n${describeChanges(written, accepted)}`);
}

/**
 * A write route that takes no input (POST /api/auth/logout) has no field to make hostile: every valid
 * request writes, so "deep" would send nothing. Random and forged requests still cover it.
 */
const hasInputs = (r: RouteSpec) => !!(r.request?.body || r.request?.query || r.request?.path || r.request?.headers || r.request?.upload);

describe.each(routes.map((route, index) => ({ route, index, name: routeKey(route) })))('$name', ({ route, index }) => {
  if (hasInputs(route) || !writes(route)) {
    it('answers a valid request with one field made hostile without a 5xx, with the error envelope on every 4xx, and writes nothing', async () => {
      await run(route, 'deep', SEED + 3 * index);
    });
  }

  it('answers random and malformed bodies, paths, queries and headers without a 5xx, with the error envelope on every 4xx, and writes nothing', async () => {
    await run(route, 'random', SEED + 3 * index + 1);
  });

  if (route.auth === 'official') {
    it('refuses missing, malformed and forged bearer tokens with 401 whatever else the request holds, and writes nothing', async () => {
      await run(route, 'forged', SEED + 3 * index + 2);
    });
  }
});

describe('the whole run', () => {
  it(`covers every route with generated cases, at least ${MIN_TOTAL_CASES} in all, with no 5xx and no write`, () => {
    const rows = routes.map((r) => ({ key: routeKey(r), t: tallyOf(routeKey(r)) }));
    const total = rows.reduce(
      (s, { t }) => ({ cases: s.cases + t.cases, requests: s.requests + t.requests, skipped: s.skipped + t.skipped, serverErrors: s.serverErrors + t.serverErrors, writes: s.writes + t.writes, seconds: s.seconds + t.seconds }),
      { cases: 0, requests: 0, skipped: 0, serverErrors: 0, writes: 0, seconds: 0 },
    );
    const width = Math.max(...rows.map((r) => r.key.length));
    const table = rows.map(({ key, t }) => {
      const statuses = [...t.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
      return `  ${key.padEnd(width)}  ${String(t.cases).padStart(5)}  ${String(t.skipped).padStart(7)}  ${t.seconds.toFixed(1).padStart(5)} s  ${statuses}`;
    });
    console.log(
      [
        `hostile input: ${rows.length} routes, ${total.cases} cases (${total.requests} requests, ${total.skipped} possibly valid ones not sent), ${total.serverErrors} 5xx, ${total.writes} writes, ${total.seconds.toFixed(1)} s, base seed ${SEED}`,
        `  ${'route'.padEnd(width)}  cases  not sent   time    statuses`,
        ...table,
      ].join('\n'),
    );
    expect(rows.filter(({ t }) => t.cases === 0).map(({ key }) => key)).toEqual([]);
    expect(total.cases).toBeGreaterThanOrEqual(MIN_TOTAL_CASES);
    expect(total.serverErrors).toBe(0);
    expect(total.writes).toBe(0);
  });
});
