/**
 * Homework notices and the rectification ledger end to end over HTTP against `npm start`: a school
 * publishes, the rules flag violations, items open in the school's plan, the school uploads evidence
 * and submits, the supervisor returns or closes (销号), the plan closes itself, overdue items escalate.
 */
import type { Json } from '../support/api-client';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

const { api } = usePlatform();
const DAY = 24 * 3600_000;

/** The district's civil date (UTC+08:00), days from now on the platform's clock. */
async function districtDay(offsetDays = 0): Promise<string> {
  const { now } = (await api.call('GET', '/_local/clock')).body as { now: string };
  return new Date(Date.parse(now) + 8 * 3600_000 + offsetDays * DAY).toISOString().slice(0, 10);
}
/** A date near today that is not a Wednesday (the Sixth Primary School's no-homework day). */
async function schoolDay(): Promise<string> {
  for (let d = 0; ; d--) {
    const date = await districtDay(d);
    if (new Date(`${date}T00:00:00Z`).getUTCDay() !== 3) return date;
  }
}

const heavy = [
  { subject: '数学', content: '练习册第12-13页', kind: 'written', minutes: 45 },
  { subject: '语文', content: '抄写生字三遍', kind: 'written', minutes: 30 },
  { subject: '体育', content: '跳绳10分钟', kind: 'exercise', minutes: 10 },
];

async function publish(username: string, body: Json) {
  return api.as(username, 'POST', '/api/homework/notices', body);
}

async function uploadEvidence(itemId: string, bytes = Buffer.from('%PDF-1.4 rectification report\n')): Promise<string> {
  const res = await api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemId}/evidence`, { fileName: '整改报告.pdf', contentType: 'application/pdf', size: bytes.length });
  expect(res.status).toBe(201);
  const put = await fetch(res.body.upload.url, { method: 'PUT', headers: res.body.upload.headers, body: bytes });
  expect(put.status).toBe(200);
  return res.body.fileId as string;
}

let date: string;
let itemIds: string[];
let planId: string;

describe('a homework notice', () => {
  beforeAll(async () => {
    date = await schoolDay();
  });

  it('is checked at once: 75 written minutes in grade 3 break the day and week limits and open two items in the school’s plan', async () => {
    const res = await publish('school_admin_p06', { classId: 'p06-g3c1', date, items: heavy });
    expect(res.status).toBe(201);
    expect(res.body.violations.map((v: { rule: string }) => v.rule).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/day/), expect.stringMatching(/week/)]));
    expect(res.body.violations[0].ruleSet).toBe('national-default@1');
    expect(res.body.violations[0].message).toMatch(/75/);
    itemIds = res.body.rectificationItemIds;
    expect(itemIds).toHaveLength(res.body.violations.length);
    planId = itemIds[0].split('.')[0];
  });

  it('is on the public notice board', async () => {
    const board = await api.call('GET', `/api/homework/notices?schoolId=p06&date=${date}`);
    expect(board.status).toBe(200);
    expect(board.body.find((n: { classId: string }) => n.classId === 'p06-g3c1')).toMatchObject({ writtenMinutes: 75, totalMinutes: 85 });
    expect((await api.call('GET', '/api/homework/notices?schoolId=p06&classId=p11-g1c1')).status).toBe(400);
  });

  it.each([
    ['another school’s administrator', 'school_admin_p11', { classId: 'p06-g3c2' }, 403, undefined],
    ['a supervisor', 'supervisor', { classId: 'p06-g3c2' }, 403, undefined],
    ['an unknown class', 'school_admin_p06', { classId: 'p06-g9c9' }, 400, 'classId'],
    ['zero minutes', 'school_admin_p06', { items: [{ ...heavy[0], minutes: 0 }] }, 400, 'items.0.minutes'],
    ['an unknown kind', 'school_admin_p06', { items: [{ ...heavy[0], kind: 'essay' }] }, 400, 'items.0.kind'],
    ['a date that is not a date', 'school_admin_p06', { date: '2026-02-30' }, 400, 'date'],
  ])('refuses %s', async (_what, username, change, status, field) => {
    const res = await publish(username, { classId: 'p06-g3c2', date, items: heavy, ...change });
    expect(res.status).toBe(status);
    if (field) expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses a second notice for the same class and day with 409, opening nothing more', async () => {
    const res = await publish('school_admin_p06', { classId: 'p06-g3c1', date, items: [] });
    expect(res.status).toBe(409);
    const plan = await api.as('school_admin_p06', 'GET', `/api/rectification/plans/${planId}`);
    expect(plan.body.items).toHaveLength(itemIds.length);
  });

  it('flags written homework in grade 1 and homework handed to parents', async () => {
    const res = await publish('school_admin_p06', {
      classId: 'p06-g1c1',
      date,
      items: [
        { subject: '语文', content: '读课文，家长检查并签字', kind: 'reading', minutes: 10 },
        { subject: '数学', content: '口算题一页', kind: 'written', minutes: 10 },
      ],
    });
    expect(res.status).toBe(201);
    const rules = res.body.violations.map((v: { rule: string; items?: number[] }) => [v.rule, v.items]);
    expect(rules).toEqual(expect.arrayContaining([[expect.stringMatching(/written/), [1]], [expect.stringMatching(/parent/), [0]]]));
  });
});

describe('the rectification ledger', () => {
  it('shows the school its open plan, and no other school may read it', async () => {
    const plans = await api.as('school_admin_p06', 'GET', '/api/rectification/plans?schoolId=p06');
    expect(plans.status).toBe(200);
    expect(plans.body[0]).toMatchObject({ planId, status: 'open', schoolId: 'p06' });
    expect(plans.body[0].items[0]).toMatchObject({ source: 'notice_violation', status: 'open' });
    expect((await api.as('school_admin_p11', 'GET', `/api/rectification/plans/${planId}`)).status).toBe(403);
    expect((await api.as('group_1', 'GET', `/api/rectification/plans/${planId}`)).status).toBe(403);
  });

  it('lets a school record its own finding as self-inspection only, and a supervisor any source', async () => {
    const item = { description: '五年级作业公示栏未每日更新', measure: '指定专人每日更新公示栏', owner: '教务处', dueOn: await districtDay(20) };
    expect((await api.as('school_admin_p06', 'POST', `/api/rectification/plans/${planId}/items`, { ...item, source: 'complaint_case' })).status).toBe(400);
    const own = await api.as('school_admin_p06', 'POST', `/api/rectification/plans/${planId}/items`, item);
    expect(own.status).toBe(201);
    expect(own.body.source).toBe('self_inspection');
    const bySupervisor = await api.as('supervisor', 'POST', `/api/rectification/plans/${planId}/items`, { ...item, source: 'survey_signal', sourceRef: 'campaign-1' });
    expect(bySupervisor.body.source).toBe('survey_signal');
    expect((await api.as('school_admin_p11', 'POST', `/api/rectification/plans/${planId}/items`, item)).status).toBe(403);
    expect((await api.as('supervisor', 'POST', `/api/rectification/plans/${planId}/items`, { ...item, dueOn: '2020-01-01' })).status).toBe(400);
    itemIds.push(own.body.itemId, bySupervisor.body.itemId);
  });

  it('refuses evidence of another type or above 10 MB, and an upload of another size than declared', async () => {
    const ask = (body: Json) => api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemIds[0]}/evidence`, body);
    const text = await ask({ fileName: 'a.txt', contentType: 'text/plain', size: 10 });
    expect(text.status).toBe(400);
    expect(text.body.error.details[0].field).toBe('contentType');
    const huge = await ask({ fileName: 'a.pdf', contentType: 'application/pdf', size: 11 * 1024 * 1024 });
    expect(huge.body.error.details[0].field).toBe('size');
    const slot = await ask({ fileName: 'a.pdf', contentType: 'application/pdf', size: 10 });
    // The signature covers the declared size: a 20-byte body for a 10-byte slot is refused by S3 itself.
    const put = await fetch(slot.body.upload.url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: Buffer.alloc(20) });
    expect(put.status).toBe(403);
    const submit = await api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemIds[0]}/submit`, { note: '见附件', evidence: [slot.body.fileId] });
    expect(submit.status).toBe(400);
    expect(submit.body.error.details[0].field).toBe('evidence.0');
  });

  it('closes an item only after the school submitted evidence, and never by the school itself', async () => {
    const close = (username: string, id: string) => api.as(username, 'POST', `/api/rectification/items/${id}/close`, {});
    expect((await close('supervisor', itemIds[0])).status).toBe(409);
    const fileId = await uploadEvidence(itemIds[0]);
    const submitted = await api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemIds[0]}/submit`, { note: '已调整作业量', evidence: [fileId] });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('submitted');
    expect(submitted.body.evidence[0]).toMatchObject({ fileName: '整改报告.pdf', contentType: 'application/pdf' });
    const download = await fetch(submitted.body.evidence[0].downloadUrl);
    expect(await download.text()).toContain('rectification report');
    expect((await close('school_admin_p06', itemIds[0])).status).toBe(403);
    expect((await api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemIds[0]}/submit`, { note: 'again', evidence: [fileId] })).status).toBe(409);
  });

  it('sends a submitted item back with a reason; the school submits again', async () => {
    const back = await api.as('supervisor', 'POST', `/api/rectification/items/${itemIds[0]}/return`, { reason: '缺少家长问卷结果' });
    expect(back.body.status).toBe('returned');
    expect(back.body.history.map((h: { action: string }) => h.action)).toEqual(['opened', 'submitted', 'returned']);
    const fileId = await uploadEvidence(itemIds[0]);
    expect((await api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemIds[0]}/submit`, { note: '补充问卷结果', evidence: [fileId] })).body.status).toBe('submitted');
  });

  it('lets exactly one of a concurrent close and return win', async () => {
    const [closed, returned] = await Promise.all([
      api.as('supervisor', 'POST', `/api/rectification/items/${itemIds[0]}/close`, { note: '核查属实，予以销号' }),
      api.as('supervisor', 'POST', `/api/rectification/items/${itemIds[0]}/return`, { reason: '再补充' }),
    ]);
    expect([closed.status, returned.status].sort()).toEqual([200, 409]);
    if (closed.status === 200) expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'supervisor' });
  });

  it('closes the plan by itself with its last item, and a new problem then opens the next plan', async () => {
    const plan = (await api.as('supervisor', 'GET', `/api/rectification/plans/${planId}`)).body;
    for (const item of plan.items) {
      if (item.status === 'closed') continue;
      if (item.status !== 'submitted') {
        const fileId = await uploadEvidence(item.itemId);
        expect((await api.as('school_admin_p06', 'POST', `/api/rectification/items/${item.itemId}/submit`, { note: '已整改', evidence: [fileId] })).status).toBe(200);
      }
      expect((await api.as('supervisor', 'POST', `/api/rectification/items/${item.itemId}/close`, {})).status).toBe(200);
    }
    const closed = (await api.as('supervisor', 'GET', `/api/rectification/plans/${planId}`)).body;
    expect(closed.status).toBe('closed');
    expect((await api.as('supervisor', 'POST', `/api/rectification/plans/${planId}/items`, { description: 'x', measure: 'y', owner: 'z', dueOn: await districtDay(5) })).status).toBe(409);
    const res = await publish('school_admin_p06', { classId: 'p06-g4c1', date, items: heavy });
    expect(res.body.rectificationItemIds[0].split('.')[0]).not.toBe(planId);
    const plans = (await api.as('school_admin_p06', 'GET', '/api/rectification/plans?schoolId=p06')).body;
    expect(plans.map((p: { status: string }) => p.status)).toEqual(['open', 'closed']);
  });

  it('flags overdue items once a day, lists them for the supervisor and notifies the school', async () => {
    const open = (await api.as('school_admin_p06', 'GET', '/api/rectification/plans?schoolId=p06')).body[0];
    await api.advanceClock(40 * DAY);
    await api.runSchedule('escalate-overdue-rectification-items');
    const overdue = await api.as('supervisor', 'GET', '/api/rectification/overdue');
    expect(overdue.body.map((i: { itemId: string }) => i.itemId)).toEqual(expect.arrayContaining(open.items.map((i: { itemId: string }) => i.itemId)));
    expect(overdue.body[0].overdue).toBe(true);
    expect((await api.as('school_admin_p06', 'GET', '/api/rectification/overdue')).status).toBe(403);
    const notes = await api.as('school_admin_p06', 'GET', '/api/notifications');
    expect(notes.body.filter((n: { itemId: string }) => open.items.some((i: { itemId: string }) => i.itemId === n.itemId))).toHaveLength(open.items.length);
    await api.runSchedule('escalate-overdue-rectification-items');
    expect((await api.as('school_admin_p06', 'GET', '/api/notifications')).body).toHaveLength(notes.body.length);
  });
});

describe('the ledger as officials know it', () => {
  it('exports a school’s ledger as CSV and XLSX with the columns the bureau uses', async () => {
    const token = await api.token('supervisor');
    const csv = await fetch(`${api.url}/api/rectification/export?format=csv&schoolId=p06`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment/);
    const text = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    for (const column of ['School', 'Item', 'Source', 'Measure', 'Owner', 'Due', 'Status', 'Closed on', 'Closed by']) expect(text.split('\r\n')[0]).toContain(column);
    expect(text).toContain('前进区第六小学教育集团');
    const xlsx = await fetch(`${api.url}/api/rectification/export?format=xlsx`, { headers: { authorization: `Bearer ${token}` } });
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it('lets a school export only its own ledger', async () => {
    expect((await api.as('school_admin_p11', 'GET', '/api/rectification/export?format=csv&schoolId=p06')).status).toBe(403);
    expect((await api.as('school_admin_p06', 'GET', '/api/rectification/export?format=pdf')).status).toBe(400);
  });

  it('summarises the district: plans open and closed, items by status, overdue by school', async () => {
    const summary = await api.as('supervisor', 'GET', '/api/rectification/summary');
    expect(summary.status).toBe(200);
    expect(summary.body.plans).toEqual({ open: 1, closed: 1 });
    expect(summary.body.items.closed).toBeGreaterThanOrEqual(4);
    expect(summary.body.overdueBySchool[0]).toMatchObject({ schoolId: 'p06' });
    expect((await api.as('school_admin_p06', 'GET', '/api/rectification/summary')).status).toBe(403);
  });
});

describe('the district’s homework rules', () => {
  it('are public, and only the admin stores a newer version, which then names itself in violations', async () => {
    const current = await api.call('GET', '/api/homework/rules');
    expect(current.body).toMatchObject({ id: 'national-default', version: 1 });
    const stricter = {
      ...current.body,
      id: 'qianjin',
      version: 2,
      rules: current.body.rules.map((r: Json) => (r.kind === 'written_minutes_per_day' && r.grades[0] === 3 ? { ...r, limit: 40 } : r)),
    };
    expect((await api.as('supervisor', 'PUT', '/api/admin/homework-rules', stricter)).status).toBe(403);
    expect((await api.as('admin', 'PUT', '/api/admin/homework-rules', { ...stricter, rules: [{ id: 'x', kind: 'max_pages' }] })).status).toBe(400);
    expect((await api.as('admin', 'PUT', '/api/admin/homework-rules', stricter)).status).toBe(200);
    expect((await api.as('admin', 'PUT', '/api/admin/homework-rules', stricter)).status).toBe(409);
    const res = await publish('school_admin_p11', {
      classId: 'p11-g3c1',
      date: await districtDay(0),
      items: [{ subject: '数学', content: '练习册一页', kind: 'written', minutes: 45 }],
    });
    expect(res.status).toBe(201);
    expect(res.body.violations).toEqual([expect.objectContaining({ ruleSet: 'qianjin@2', message: expect.stringMatching(/45.*40/) })]);
  });
});
