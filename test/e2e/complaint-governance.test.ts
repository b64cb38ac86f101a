/**
 * Who may do what, and what happens when nobody does: the authorization matrix (role × route × scope),
 * the concurrent-completion race, SLA escalation with a moved clock, and a case waiting for a person
 * that survives a restart of the platform.
 */
import type { Receipt, TaskView } from '../support/api-client';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

const { api, restart } = usePlatform();

const complaint = (institutionName: string) => ({
  category: 'licensed_violation',
  description: `${institutionName}在周末开设学科类课程，预收费超过三个月。`,
  subject: { institutionName },
  contact: { name: '赵女士', phone: '13600003333' },
});

describe('the authorization matrix', () => {
  let receipt: Receipt;
  let task: TaskView;

  beforeAll(async () => {
    receipt = await api.file(complaint('启航艺术培训学校')); // licensed, area group_1
    task = await api.taskFor('group_1', 'accept_case', receipt.receiptNo);
  });

  it.each([
    ['another unit', 'group_2', 403],
    ['a department officer', 'dept_education', 403],
    ['a supervisor before any escalation', 'supervisor', 403],
    ['a school administrator', 'school_admin_p06', 403],
    ['the admin', 'admin', 403],
  ])('%s may not complete the unit’s task', async (_who, username, status) => {
    expect((await api.complete(username, task.taskId, { decision: 'accept' })).status).toBe(status);
  });

  it('refuses an anonymous caller and an unknown task', async () => {
    expect((await api.call('POST', `/api/tasks/${task.taskId}/complete`, { body: { decision: 'accept' } })).status).toBe(401);
    expect((await api.complete('group_1', '0'.repeat(32), { decision: 'accept' })).status).toBe(404);
    expect((await api.complete('group_1', 'not-a-task', { decision: 'accept' })).status).toBe(400);
  });

  it('names the decision or the data field that is wrong, and records nothing', async () => {
    const wrong = await api.complete('group_1', task.taskId, { decision: 'approve' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([expect.objectContaining({ field: 'decision' })]);
    const badData = await api.complete('group_1', task.taskId, { decision: 'transfer', data: { unit: 'group_9' } });
    expect(badData.status).toBe(400);
    expect(badData.body.error.details[0].field).toBe('data.unit');
    expect((await api.tasks('group_1')).find((t) => t.taskId === task.taskId)?.status).toBe('open');
  });

  it.each([
    ['the handling unit, with the contact', 'group_1', 200, true],
    ['a supervisor, with the contact', 'supervisor', 200, true],
    ['the admin, without the contact', 'admin', 200, false],
    ['another unit', 'group_3', 403, false],
    ['a department not asked to act', 'dept_public_security', 403, false],
    ['a school administrator', 'school_admin_p11', 403, false],
  ])('reading the case: %s', async (_who, username, status, contact) => {
    const res = await api.as(username, 'GET', `/api/cases/${receipt.receiptNo}`);
    expect(res.status).toBe(status);
    if (status === 200) {
      expect(Boolean(res.body.contact)).toBe(contact);
      expect(JSON.stringify(res.body).includes('13600003333')).toBe(contact);
    }
  });

  it('records every read of the contact in the audit trail', async () => {
    const trail = (await api.as('supervisor', 'GET', `/api/cases/${receipt.receiptNo}`)).body.auditTrail as Array<{ type: string; actor: string }>;
    expect(trail.filter((e) => e.type.endsWith('contact.viewed')).map((e) => e.actor)).toEqual(expect.arrayContaining(['official:group_1', 'official:supervisor']));
  });

  it.each([
    ['a unit officer sees its own queue', 'group_1', '', 200],
    ['a unit officer may not read another unit’s queue', 'group_1', '?unit=group_2', 403],
    ['a supervisor reads any unit’s queue', 'supervisor', '?unit=group_1&status=received', 200],
    ['a department officer has no queue', 'dept_education', '', 403],
    ['a school administrator has no queue', 'school_admin_p06', '', 403],
    ['a bad filter is a 400', 'supervisor', '?status=lost', 400],
  ])('the queue: %s', async (_what, username, query, status) => {
    const res = await api.as(username, 'GET', `/api/cases${query}`);
    expect(res.status).toBe(status);
    if (status === 200) {
      expect(res.body.items.map((c: { receiptNo: string }) => c.receiptNo)).toContain(receipt.receiptNo);
      expect(res.body.items.every((c: { unit: string }) => c.unit === 'group_1')).toBe(true);
    }
  });

  it('gives roles without complaint tasks an empty inbox', async () => {
    expect(await api.tasks('school_admin_p06')).toEqual([]);
    expect(await api.tasks('admin')).toEqual([]);
  });

  it('paginates the queue with a cursor, every case once', async () => {
    for (let i = 0; i < 3; i++) await api.file(complaint('启航艺术'));
    // Cases enter their unit's queue when triage has run: wait until all four are there.
    const all = await api.until(() => api.as('supervisor', 'GET', '/api/cases?unit=group_1&limit=100'), (r) => r.body.items.length >= 4);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.as('supervisor', 'GET', `/api/cases?unit=group_1&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: { receiptNo: string }) => c.receiptNo));
      cursor = page.body.cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(all.body.items.map((c: { receiptNo: string }) => c.receiptNo).sort());
  });
});

describe('two officials completing the same task at once', () => {
  it('gives exactly one 200 and one 409, and the workflow moves on once', async () => {
    const receipt = await api.file(complaint('智慧树体育俱乐部')); // area group_2
    const task = await api.taskFor('group_2', 'accept_case', receipt.receiptNo);
    const results = await Promise.all([
      api.complete('group_2', task.taskId, { decision: 'accept' }),
      api.complete('group_2', task.taskId, { decision: 'transfer', data: { unit: 'group_3' } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await api.complete('group_2', task.taskId, { decision: 'accept' })).status).toBe(409);
    const winner = results.find((r) => r.status === 200)?.body.decision;
    const next = winner === 'accept' ? await api.taskFor('group_2', 'investigate', receipt.receiptNo) : await api.taskFor('group_3', 'accept_case', receipt.receiptNo);
    expect(next).toBeDefined();
    await new Promise((r) => setTimeout(r, 500));
    const trail = (await api.as('supervisor', 'GET', `/api/cases/${receipt.receiptNo}`)).body.auditTrail as Array<{ type: string }>;
    expect(trail.filter((e) => e.type.endsWith('task.completed'))).toHaveLength(1);
  });
});

describe('a completion retried with its Idempotency-Key', () => {
  it('gets the first answer again (never a 409), and the key with another decision is a 409', async () => {
    const receipt = await api.file(complaint('英才学科辅导')); // area group_2 (another institution: not a duplicate of the case above)
    const task = await api.taskFor('group_2', 'accept_case', receipt.receiptNo);
    const first = await api.complete('group_2', task.taskId, { decision: 'accept' }, 'decision-key-1');
    expect(first.status).toBe(200);
    const again = await api.complete('group_2', task.taskId, { decision: 'accept' }, 'decision-key-1');
    expect(again).toMatchObject({ status: 200, body: first.body, headers: { 'idempotent-replayed': 'true' } });
    expect((await api.complete('group_2', task.taskId, { decision: 'transfer', data: { unit: 'group_3' } }, 'decision-key-1')).body.error.code).toBe('idempotency_key_reused');
    // Without the key, a repeat is a 409 as before; and the key is the official's own: another official
    // sending it replays nothing (the supervisor may not work this unit's task: 403).
    expect((await api.complete('group_2', task.taskId, { decision: 'accept' })).status).toBe(409);
    const other = await api.complete('supervisor', task.taskId, { decision: 'accept' }, 'decision-key-1');
    expect(other.status).toBe(403);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    await api.taskFor('group_2', 'investigate', receipt.receiptNo);
    const trail = (await api.as('supervisor', 'GET', `/api/cases/${receipt.receiptNo}`)).body.auditTrail as Array<{ type: string }>;
    expect(trail.filter((e) => e.type.endsWith('task.completed'))).toHaveLength(1);
  });
});

describe('a missed SLA', () => {
  it('escalates to the supervisor with the overdue flag; the first of the two to decide wins', async () => {
    const receipt = await api.file(complaint('围棋之家')); // area group_3
    const task = await api.taskFor('group_3', 'accept_case', receipt.receiptNo);
    expect(task.overdue).toBe(false);
    await api.runSchedule('escalate-overdue-tasks');
    expect((await api.tasks('supervisor')).some((t) => t.subjectId === receipt.receiptNo)).toBe(false);

    // To a minute before the SLA ends (one working day: after a weekend or a holiday, days later): not yet.
    const platformNow = async () => Date.parse(((await api.call('GET', '/_local/clock')).body as { now: string }).now);
    await api.advanceClock(Date.parse(task.dueAt) - 60_000 - (await platformNow()));
    await api.runSchedule('escalate-overdue-tasks');
    expect((await api.tasks('supervisor')).some((t) => t.subjectId === receipt.receiptNo)).toBe(false);
    // Past it: escalated.
    await api.advanceClock(2 * 60_000);
    await api.runSchedule('escalate-overdue-tasks');
    const escalated = await api.taskFor('supervisor', 'accept_case', receipt.receiptNo);
    expect(escalated.escalated).toBe(true);
    expect(escalated.decisions).toEqual(task.decisions);
    const original = (await api.tasks('group_3')).find((t) => t.taskId === task.taskId);
    expect(original).toMatchObject({ overdue: true, escalated: true, status: 'open' }); // never silently skipped
    const queue = await api.as('supervisor', 'GET', '/api/cases?overdue=true');
    expect(queue.body.items.map((c: { receiptNo: string }) => c.receiptNo)).toContain(receipt.receiptNo);

    expect((await api.complete('supervisor', escalated.taskId, { decision: 'accept', comment: 'escalated: accepted on behalf of group 3' })).status).toBe(200);
    expect((await api.complete('group_3', task.taskId, { decision: 'accept' })).status).toBe(409);
    expect((await api.tasks('group_3')).find((t) => t.taskId === task.taskId)).toBeUndefined();
    await api.taskFor('group_3', 'investigate', receipt.receiptNo);
    const after = await api.as('supervisor', 'GET', '/api/cases?overdue=true');
    expect(after.body.items.map((c: { receiptNo: string }) => c.receiptNo)).not.toContain(receipt.receiptNo);
  });
});

describe('a case waiting for a person', () => {
  it('survives a restart of the platform and continues when the task is completed', async () => {
    const receipt = await api.file(complaint('博学教育培训中心')); // revoked, area group_3
    const task = await api.taskFor('group_3', 'accept_case', receipt.receiptNo);
    await restart('SIGKILL');
    expect((await api.tasks('group_3')).map((t) => t.taskId)).toContain(task.taskId);
    expect((await api.complete('group_3', task.taskId, { decision: 'accept' })).status).toBe(200);
    await api.taskFor('group_3', 'investigate', receipt.receiptNo);
    expect((await api.track(receipt)).status).toBe('investigating');
  });
});
