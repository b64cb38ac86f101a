/**
 * End to end over HTTP against `npm start`: what a citizen, an official and an outside client see.
 */
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../support/platform-process';

jest.setTimeout(120_000);

let platform: PlatformProcess;
const api = (path: string, init?: RequestInit) => fetch(`${platform.url}${path}`, init);
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

const complaint = {
  category: 'unlicensed_tutoring',
  description: '永安小区5号楼每个周末都有数学补习班，一次收费三百元。',
  subject: { institutionName: '状元补习班', address: '前进区永安小区5号楼' },
  occurredOn: '2026-11-21',
  contact: { name: '王女士', phone: '13912345678' },
};

interface Receipt {
  receiptNo: string;
  accessCode: string;
  status: string;
}
interface PublicView {
  receiptNo: string;
  status: string;
  timeline: Array<{ at: string; status: string; note?: string }>;
}

async function file(body: unknown = complaint, headers: Record<string, string> = {}): Promise<Receipt> {
  const res = await api('/api/complaints', json(body, headers));
  expect(res.status).toBe(201);
  return (await res.json()) as Receipt;
}

async function track(r: Receipt): Promise<PublicView> {
  const res = await api(`/api/complaints/${r.receiptNo}`, { headers: { 'x-access-code': r.accessCode } });
  expect(res.status).toBe(200);
  return (await res.json()) as PublicView;
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  platform = await startPlatformProcess();
});

afterAll(async () => {
  if (platform) await stopPlatformProcess(platform);
});

describe('the platform on one machine', () => {
  it('is healthy within 15 seconds of `npm start` and says where its local state lives', async () => {
    expect(platform.readySeconds).toBeLessThan(15);
    const body = (await (await api('/api/health')).json()) as { status: string; local: { dynamodbEndpoint: string; sfnEndpoint: string; dataDir: string } };
    expect(body.status).toBe('ok');
    expect(body.local.dataDir).toBe(platform.dataDir);
    expect(body.local.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(body.local.sfnEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('publishes its API as OpenAPI 3.1 generated from the route table', async () => {
    const doc = (await (await api('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/complaints'].post.requestBody).toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/complaints/{receiptNo}', '/api/health', '/api/schools']));
    expect(doc.components.schemas.ComplaintSubmission).toBeDefined();
  });

  it('seeds the demo district: five primary schools named in the bureau reply, a junior secondary school, classes with enrolment', async () => {
    const schools = (await (await api('/api/schools')).json()) as Array<{ schoolId: string; name: string; classes: Array<{ grade: number; enrolled: number }> }>;
    const names = schools.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['前进区第六小学教育集团', '前进区第十一小学教育集团', '前进区第十六小学']));
    expect(schools.filter((s) => s.classes.every((c) => c.grade <= 6)).length).toBeGreaterThanOrEqual(5);
    expect(schools.some((s) => s.classes.some((c) => c.grade >= 7))).toBe(true);
    for (const s of schools) expect(new Set(s.classes.map((c) => c.grade)).size).toBeGreaterThan(1);
  });
});

describe('a citizen files a complaint and tracks it', () => {
  it('gets a receipt number and access code, then sees the automatic triage in the public timeline', async () => {
    const receipt = await file();
    expect(receipt.receiptNo).toMatch(/^TS-\d{4}-\d{6}$/);
    expect(receipt.accessCode).toMatch(/^[0-9A-Z]{12}$/);
    const view = await eventually(() => track(receipt), (v) => v.timeline.length >= 2);
    expect(view.status).toBe('received');
    expect(view.timeline.map((t) => t.note)).toEqual([
      '您的举报已收到。 Your report has been received.',
      '您的举报已审核，并转交负责处理的部门。 Your report has been reviewed and passed to the office responsible for it.',
    ]);
    expect(view.timeline[0].at).toMatch(/\+08:00$/);
    const text = JSON.stringify(view);
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('王女士');
    expect(text).not.toMatch(/group_\d|unit|internal/i);
  });

  it('answers 404 alike for a wrong access code and for a receipt that does not exist', async () => {
    const receipt = await file();
    const wrong = await api(`/api/complaints/${receipt.receiptNo}`, { headers: { 'x-access-code': 'AAAAAAAAAAAA' } });
    const missing = await api('/api/complaints/TS-2026-999999', { headers: { 'x-access-code': receipt.accessCode } });
    expect(wrong.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await wrong.json()).toEqual(await missing.json());
  });

  it('rejects bad input with a 400 naming each field, and creates no case', async () => {
    const before = await file();
    const res = await api('/api/complaints', json({ ...complaint, description: '短', contact: { phone: '110' } }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: Array<{ field: string }> } };
    expect(body.error.details.map((d) => d.field).sort()).toEqual(['contact.phone', 'description']);
    const after = await file();
    // Nothing was allocated or written for the rejected request: the numbers stay consecutive.
    expect(Number(after.receiptNo.slice(-6))).toBe(Number(before.receiptNo.slice(-6)) + 1);
  });

  it('names the bad path parameter or missing header in a 400, and asks for JSON with a 415', async () => {
    const badPath = await api('/api/complaints/TS-26-1', { headers: { 'x-access-code': 'AAAAAAAAAAAA' } });
    expect(badPath.status).toBe(400);
    expect(((await badPath.json()) as { error: { details: Array<{ field: string; in: string }> } }).error.details).toEqual([
      expect.objectContaining({ field: 'receiptNo', in: 'path' }),
    ]);
    const noCode = await api('/api/complaints/TS-2026-000001');
    expect(noCode.status).toBe(400);
    expect(((await noCode.json()) as { error: { details: Array<{ field: string }> } }).error.details.map((d) => d.field)).toEqual(['x-access-code']);
    const text = await api('/api/complaints', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
  });

  it('refuses a body above 64 KB with 413', async () => {
    const res = await api('/api/complaints', json({ ...complaint, description: '补'.repeat(30_000) }));
    expect(res.status).toBe(413);
  });

  it('gives concurrent submissions distinct, consecutive receipt numbers', async () => {
    const receipts = await Promise.all(Array.from({ length: 24 }, () => file()));
    const serials = receipts.map((r) => Number(r.receiptNo.slice(-6))).sort((a, b) => a - b);
    expect(new Set(serials).size).toBe(24);
    expect(serials[23] - serials[0]).toBe(23);
  });

  it('returns the first answer for a repeated Idempotency-Key, also when the repeats race', async () => {
    const key = `e2e-${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => file(complaint, { 'idempotency-key': key })));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    const again = await file(complaint, { 'idempotency-key': key });
    expect(again).toEqual(answers[0]);
    const other = await api('/api/complaints', json({ ...complaint, description: '另一件不同的事情，需要单独处理。' }, { 'idempotency-key': key }));
    expect(other.status).toBe(409);
  });
});

describe('personal data', () => {
  it('never writes a complainant’s phone number or name to the platform’s logs', async () => {
    await file();
    expect(platform.output().length).toBeGreaterThan(0);
    expect(platform.output()).toContain('complaint received');
    expect(platform.output()).not.toContain('13912345678');
    expect(platform.output()).not.toContain('王女士');
  });
});

describe('stopping', () => {
  it('stops cleanly on SIGTERM to `npm start`, DynamoDB Local included, and starts again on the same data', async () => {
    const receipt = await file();
    const stopped = await stopPlatformProcess(platform);
    expect(stopped.clean).toBe(true);
    expect(stopped.seconds).toBeLessThan(10);
    platform = await startPlatformProcess({ dataDir: platform.dataDir });
    expect((await track(receipt)).receiptNo).toBe(receipt.receiptNo);
  });
});

describe('officials sign in', () => {
  it('gets a token for a seeded user in local mode, which the API verifies', async () => {
    for (const username of ['admin', 'supervisor', 'group_1', 'school_supervision', 'teacher_conduct', 'dept_public_security', 'school_admin_p06']) {
      const login = await api('/api/dev/login', json({ username }));
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const me = await api('/api/me', { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { username: string }).username).toBe(username);
    }
  });

  it('refuses official routes without a token, with a tampered token, and unknown users at login', async () => {
    expect((await api('/api/me')).status).toBe(401);
    const { token } = (await (await api('/api/dev/login', json({ username: 'group_2' }))).json()) as { token: string };
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, string>;
    const forged = Buffer.from(JSON.stringify({ ...claims, 'custom:role': 'supervisor' })).toString('base64url');
    expect((await api('/api/me', { headers: { authorization: `Bearer ${h}.${forged}.${s}` } })).status).toBe(401);
    expect((await api('/api/dev/login', json({ username: 'nobody' }))).status).toBe(404);
  });
});
