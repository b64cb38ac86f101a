/**
 * The complaint workflow end to end over HTTP against `npm start`: officials work their inboxes, the
 * citizen follows the public timeline. Unfounded path, transfer, joint enforcement with three departments
 * and a not_rectified loop, duplicates, rating, and the notification outbox.
 */
import type { Receipt } from '../support/api-client';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

const { api } = usePlatform();
const DAY = 24 * 3600_000;

const tutoring = (institutionName: string, phone = '13700001111') => ({
  category: 'unlicensed_tutoring',
  description: `${institutionName}周末给小学生上数学课，收费很高，还提前教下学期的内容。`,
  subject: { institutionName },
  contact: { name: '李先生', phone },
});

async function statusOf(r: Receipt) {
  return (await api.track(r)).status;
}

describe('a complaint found unfounded', () => {
  let receipt: Receipt;

  it('goes to the unit of the named institution, which accepts it; the citizen sees it accepted, then investigated', async () => {
    receipt = await api.file(tutoring('状元补习班'));
    const task = await api.taskFor('group_4', 'accept_case', receipt.receiptNo);
    expect(task.decisions).toEqual(['accept', 'transfer']);
    expect(task.assignee).toEqual({ role: 'group_officer', unit: 'group_4' });
    expect((await api.complete('group_4', task.taskId, { decision: 'accept' })).status).toBe(200);
    await api.taskFor('group_4', 'investigate', receipt.receiptNo);
    const view = await api.until(() => api.track(receipt), (v) => v.status === 'investigating');
    expect(view.timeline.map((t) => t.status)).toEqual(['received', 'received', 'accepted', 'investigating']);
  });

  it('closes with the findings as the public outcome, notifies the complainant and takes one rating', async () => {
    const task = await api.taskFor('group_4', 'investigate', receipt.receiptNo);
    const done = await api.complete('group_4', task.taskId, {
      decision: 'unfounded',
      comment: 'internal: neighbour dispute suspected',
      data: { findings: '现场检查未发现学科类培训。', publicOutcome: '经现场检查，未发现违规培训行为。' },
    });
    expect(done.status).toBe(200);
    const closed = await api.until(() => api.track(receipt), (v) => v.status === 'closed');
    expect(closed.outcome).toBe('经现场检查，未发现违规培训行为。');
    expect(JSON.stringify(closed)).not.toMatch(/neighbour|group_4|现场检查未发现/);
    const outbox = await api.call('GET', '/api/dev/outbox');
    const sms = outbox.body.filter((n: { receiptNo: string }) => n.receiptNo === receipt.receiptNo);
    expect(sms).toHaveLength(1);
    expect(sms[0].message).toContain(receipt.receiptNo);
    expect(JSON.stringify(sms)).not.toContain('13700001111');

    const rate = (score: number) => api.call('POST', `/api/complaints/${receipt.receiptNo}/rating`, { body: { score }, headers: { 'x-access-code': receipt.accessCode } });
    expect((await rate(9)).status).toBe(400);
    expect((await rate(4)).status).toBe(201);
    expect((await rate(5)).status).toBe(409);
    expect((await api.as('supervisor', 'GET', `/api/cases/${receipt.receiptNo}`)).body.rating).toEqual({ score: 4 });
  });

  it('cannot be rated before it is closed', async () => {
    const open = await api.file(tutoring('阳光作业托管'));
    const res = await api.call('POST', `/api/complaints/${open.receiptNo}/rating`, { body: { score: 5 }, headers: { 'x-access-code': open.accessCode } });
    expect(res.status).toBe(409);
  });
});

describe('a transferred complaint', () => {
  it('leaves the first unit’s inbox and reaches the receiving unit, which alone may now read it', async () => {
    const receipt = await api.file(tutoring('状元补习班二部'));
    const first = await api.taskFor('group_4', 'accept_case', receipt.receiptNo);
    const bad = await api.complete('group_4', first.taskId, { decision: 'transfer', data: { unit: 'group_4' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('data.unit');
    expect((await api.complete('group_4', first.taskId, { decision: 'transfer', data: { unit: 'group_2' } })).status).toBe(200);
    const second = await api.taskFor('group_2', 'accept_case', receipt.receiptNo);
    expect(second.taskId).not.toBe(first.taskId);
    expect((await api.tasks('group_4')).some((t) => t.subjectId === receipt.receiptNo)).toBe(false);
    expect((await api.as('group_2', 'GET', `/api/cases/${receipt.receiptNo}`)).status).toBe(200);
    expect((await api.as('group_4', 'GET', `/api/cases/${receipt.receiptNo}`)).status).toBe(403);
    const trail = (await api.as('supervisor', 'GET', `/api/cases/${receipt.receiptNo}`)).body.auditTrail as Array<{ type: string; data: { toUnit?: string } }>;
    expect(trail.find((e) => e.type.endsWith('task.completed'))?.data.toUnit).toBe('group_2');
  });
});

describe('joint enforcement with three departments, then a failed re-inspection', () => {
  const departments = ['public_security', 'market_regulation', 'civil_affairs'];
  let receipt: Receipt;

  it('moves on only when every named department has signed off', async () => {
    receipt = await api.file(tutoring('名师一对一家教'));
    const accept = await api.taskFor('group_4', 'accept_case', receipt.receiptNo);
    await api.complete('group_4', accept.taskId, { decision: 'accept' });
    const investigate = await api.taskFor('group_4', 'investigate', receipt.receiptNo);
    const res = await api.complete('group_4', investigate.taskId, {
      decision: 'violation_confirmed',
      data: { findings: '无证开展学科类培训，30名学生。', departments, rectificationDays: 2 },
    });
    expect(res.status).toBe(200);
    await api.until(() => statusOf(receipt), (s) => s === 'joint_enforcement');
    const tasks = await Promise.all(departments.map((d) => api.taskFor(`dept_${d}`, 'department_signoff', receipt.receiptNo)));
    expect((await api.tasks('dept_education')).some((t) => t.subjectId === receipt.receiptNo)).toBe(false);
    // A department may not sign for another.
    expect((await api.complete('dept_public_security', tasks[1].taskId, { decision: 'signed', data: { action: '代签' } })).status).toBe(403);

    for (const [i, d] of departments.slice(0, 2).entries()) {
      expect((await api.complete(`dept_${d}`, tasks[i].taskId, { decision: 'signed', data: { action: `${d} 已依法处置` } })).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 800));
    expect(await statusOf(receipt)).toBe('joint_enforcement');
    expect(await api.complete('dept_civil_affairs', tasks[2].taskId, { decision: 'signed', data: { action: '已责令停止办学' } })).toMatchObject({ status: 200 });
    await api.until(() => statusOf(receipt), (s) => s === 'rectifying');
  });

  it('re-inspects on the deadline, loops with a new deadline when not rectified, and closes when rectified', async () => {
    expect((await api.tasks('group_4')).some((t) => t.kind === 'reinspect' && t.subjectId === receipt.receiptNo)).toBe(false);
    await api.advanceClock(5 * DAY); // past the 2-working-day deadline, whatever the weekday
    const first = await api.taskFor('group_4', 'reinspect', receipt.receiptNo);
    expect(first.decisions).toEqual(['rectified', 'not_rectified']);
    expect((await api.complete('group_4', first.taskId, { decision: 'not_rectified', data: { rectificationDays: 1 } })).status).toBe(200);
    const again = await api.until(() => api.track(receipt), (v) => v.timeline.filter((t) => t.status === 'rectifying').length === 2);
    expect(again.status).toBe('rectifying');
    await api.advanceClock(4 * DAY);
    const second = await api.taskFor('group_4', 'reinspect', receipt.receiptNo);
    expect(second.taskId).not.toBe(first.taskId);
    expect((await api.complete('group_4', second.taskId, { decision: 'rectified' })).status).toBe(200);
    const closed = await api.until(() => api.track(receipt), (v) => v.status === 'closed');
    expect(closed.outcome).toMatch(/rectified/);
  });
});

describe('duplicate reports', () => {
  it('link a new report about the same institution to the open case, and close it with the same outcome', async () => {
    const primary = await api.file(tutoring('英才学科辅导'));
    await api.taskFor('group_2', 'accept_case', primary.receiptNo);
    const duplicate = await api.file({ ...tutoring('英才教育', '13800002222'), description: '英才教育晚上还在给初中生补课，家长都知道。' });
    const linked = await api.until(() => api.track(duplicate), (v) => v.timeline.length >= 2);
    expect(linked.timeline[1].note).toMatch(/earlier report/);
    const primaryCase = (await api.as('group_2', 'GET', `/api/cases/${primary.receiptNo}`)).body;
    expect(primaryCase.duplicates).toEqual([duplicate.receiptNo]);
    expect((await api.as('supervisor', 'GET', `/api/cases/${duplicate.receiptNo}`)).body.duplicateOf).toBe(primary.receiptNo);
    // The duplicate gets no tasks of its own.
    expect((await api.tasks('group_2')).filter((t) => t.subjectId === duplicate.receiptNo)).toEqual([]);

    const accept = await api.taskFor('group_2', 'accept_case', primary.receiptNo);
    await api.complete('group_2', accept.taskId, { decision: 'accept' });
    const investigate = await api.taskFor('group_2', 'investigate', primary.receiptNo);
    await api.complete('group_2', investigate.taskId, { decision: 'unfounded', data: { findings: '该机构已停业。', publicOutcome: '经核查，该机构已停止办学。' } });
    const closedDuplicate = await api.until(() => api.track(duplicate), (v) => v.status === 'closed');
    expect(closedDuplicate.outcome).toBe('经核查，该机构已停止办学。');
  });
});

describe('a confirmed homework-burden complaint', () => {
  it('goes to school supervision, skips joint enforcement when no department is needed, and opens an item in the school’s rectification plan', async () => {
    const receipt = await api.file({
      category: 'homework_burden',
      description: '三年级每天书面作业超过两个小时，还要求家长批改签字。',
      subject: { schoolName: '前进区第十六小学' },
      anonymous: true,
    });
    const accept = await api.taskFor('school_supervision', 'accept_case', receipt.receiptNo);
    await api.complete('school_supervision', accept.taskId, { decision: 'accept' });
    const investigate = await api.taskFor('school_supervision', 'investigate', receipt.receiptNo);
    await api.complete('school_supervision', investigate.taskId, { decision: 'violation_confirmed', data: { findings: '三年级书面作业日均95分钟，且要求家长批改。', departments: [] } });
    await api.until(() => statusOf(receipt), (s) => s === 'rectifying');
    const trail = (await api.as('supervisor', 'GET', `/api/cases/${receipt.receiptNo}`)).body.auditTrail as Array<{ type: string; data: { itemId?: string; schoolId?: string } }>;
    const opened = trail.find((e) => e.type.endsWith('rectification-ledger.item-opened'));
    expect(opened?.data.schoolId).toBe('p16');
    const plans = (await api.as('supervisor', 'GET', '/api/rectification/plans?schoolId=p16')).body as Array<{ items: Array<{ itemId: string; source: string; sourceRef: string }> }>;
    expect(plans[0].items.find((i) => i.itemId === opened?.data.itemId)).toMatchObject({ source: 'complaint_case', sourceRef: receipt.receiptNo });
    expect(trail.some((e) => e.type.endsWith('status.changed') && JSON.stringify(e).includes('joint_enforcement'))).toBe(false);
  });
});
