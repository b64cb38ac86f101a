/**
 * The admin enters a real district over HTTP against `npm start`: schools and classes that appear in the
 * public school list at once and take homework notices, institutions that triage finds, officials who sign
 * in with their one-time initial password and work in their scope, a disabled account that signs in no
 * more; duplicates are 409s, bad fields 400s naming them, and every change is in the audit trail.
 */
import type { Json } from '../support/api-client';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

const { api, current } = usePlatform();
const school = { schoolId: 'p99', name: '前进区第九十九小学', stage: 'primary', area: 'group_2', noHomeworkWeekdays: [3] };

async function auditTrail(): Promise<Json[]> {
  // The audit items, read straight from DynamoDB Local as an auditor would (no route lists them yet).
  const { DynamoDBClient, QueryCommand } = await import('@aws-sdk/client-dynamodb');
  const endpoint = ((await api.call('GET', '/api/health')).body.local as { dynamodbEndpoint: string }).dynamodbEndpoint;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const out = await client.send(new QueryCommand({ TableName: 'registry', IndexName: 'byKind', KeyConditionExpression: '#k = :a', ExpressionAttributeNames: { '#k': 'kind' }, ExpressionAttributeValues: { ':a': { S: 'audit' } } }));
    return (out.Items ?? []).map((i) => ({ about: i.about?.S, id: i.id?.S, action: i.action?.S, by: i.by?.S }));
  } finally {
    client.destroy();
  }
}

describe('schools and classes', () => {
  it('are entered by the admin only, with every bad field named', async () => {
    expect((await api.as('supervisor', 'POST', '/api/admin/schools', school)).status).toBe(403);
    const bad = await api.as('admin', 'POST', '/api/admin/schools', { schoolId: 'P 99', name: '', stage: 'high', area: 'group_9', noHomeworkWeekdays: [3, 3, 8] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['schoolId', 'name', 'stage', 'area', 'noHomeworkWeekdays.2']));
  });

  it('appear in the public school list at once, and a second school with the same id is a 409', async () => {
    const created = await api.as('admin', 'POST', '/api/admin/schools', school);
    expect(created.status).toBe(201);
    expect((await api.as('admin', 'POST', '/api/admin/schools', school)).status).toBe(409);
    const klass = await api.as('admin', 'POST', '/api/admin/schools/p99/classes', { classId: 'p99-g4c1', grade: 4, name: '4年级1班', enrolled: 42 });
    expect(klass.status).toBe(201);
    expect((await api.as('admin', 'POST', '/api/admin/schools/p99/classes', { classId: 'p99-g4c1', grade: 4, name: '4年级1班', enrolled: 42 })).status).toBe(409);
    // Class ids are unique in the district: another school cannot take one.
    expect((await api.as('admin', 'POST', '/api/admin/schools/p06/classes', { classId: 'p99-g4c1', grade: 4, name: 'x', enrolled: 1 })).status).toBe(409);
    expect((await api.as('admin', 'POST', '/api/admin/schools/nope/classes', { classId: 'nope-g1c1', grade: 1, name: 'x', enrolled: 1 })).status).toBe(404);
    const schools = (await api.call('GET', '/api/schools')).body as Json[];
    expect(schools.find((s) => s.schoolId === 'p99')).toEqual({ schoolId: 'p99', name: '前进区第九十九小学', classes: [{ classId: 'p99-g4c1', grade: 4, name: '4年级1班', enrolled: 42 }] });
  });

  it('change with PUT, and a change to a class that is not there is a 404', async () => {
    expect((await api.as('admin', 'PUT', '/api/admin/schools/p99', { name: '前进区第九十九小学教育集团' })).body).toMatchObject({ schoolId: 'p99', name: '前进区第九十九小学教育集团', noHomeworkWeekdays: [3] });
    expect((await api.as('admin', 'PUT', '/api/admin/schools/p99/classes/p99-g4c1', { enrolled: 44 })).status).toBe(200);
    expect((await api.as('admin', 'PUT', '/api/admin/schools/p99/classes/p99-g9c9', { enrolled: 1 })).status).toBe(404);
    expect((await api.as('admin', 'PUT', '/api/admin/schools/p98', { name: 'x' })).status).toBe(404);
    expect((await api.as('admin', 'PUT', '/api/admin/schools/p99', {})).status).toBe(400);
    const schools = (await api.call('GET', '/api/schools')).body as Json[];
    expect(schools.find((s) => s.schoolId === 'p99')?.classes[0].enrolled).toBe(44);
  });
});

describe('officials', () => {
  let initialPassword: string;

  it('need the scope of their role', async () => {
    const res = await api.as('admin', 'POST', '/api/admin/users', { username: 'wang.p99', displayName: '王老师', role: 'school_admin' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['schoolId']);
    const unit = await api.as('admin', 'POST', '/api/admin/users', { username: 'wang.p99', displayName: '王老师', role: 'school_admin', schoolId: 'p99', unit: 'group_1' });
    expect(unit.body.error.details.map((d: { field: string }) => d.field)).toEqual(['unit']);
    expect((await api.as('admin', 'POST', '/api/admin/users', { username: 'wang.p99', displayName: '王老师', role: 'school_admin', schoolId: 'p98' })).status).toBe(400);
  });

  it('get a one-time initial password, shown once and stored only as a hash', async () => {
    const res = await api.as('admin', 'POST', '/api/admin/users', { username: 'wang.p99', displayName: '王老师', role: 'school_admin', schoolId: 'p99' });
    expect(res.status).toBe(201);
    initialPassword = res.body.initialPassword;
    expect(initialPassword).toMatch(/^[2-9a-zA-Z#%+=@]{12}$/);
    expect(initialPassword).toMatch(/[a-z]/);
    expect(initialPassword).toMatch(/[A-Z]/);
    expect(initialPassword).toMatch(/[2-9]/);
    expect(initialPassword).toMatch(/[#%+=@]/);
    expect((await api.as('admin', 'POST', '/api/admin/users', { username: 'wang.p99', displayName: '王老师', role: 'school_admin', schoolId: 'p99' })).status).toBe(409);
    const listed = ((await api.as('admin', 'GET', '/api/admin/users')).body as Json[]).find((u) => u.username === 'wang.p99');
    expect(listed).toMatchObject({ username: 'wang.p99', displayName: '王老师', role: 'school_admin', schoolId: 'p99', disabled: false });
    expect(JSON.stringify(listed)).not.toMatch(/password|scrypt/i);
  });

  it('sign in with it and publish their own school’s homework', async () => {
    expect((await api.call('POST', '/api/auth/login', { body: { username: 'wang.p99', password: 'wrong-password' } })).status).toBe(401);
    expect((await api.call('POST', '/api/auth/login', { body: { username: 'nobody', password: initialPassword } })).status).toBe(401);
    const login = await api.call('POST', '/api/auth/login', { body: { username: 'wang.p99', password: initialPassword } });
    expect(login.status).toBe(200);
    expect(login.body.mustChangePassword).toBe(true);
    const me = await api.call('GET', '/api/me', { token: login.body.token });
    expect(me.body).toMatchObject({ username: 'wang.p99', role: 'school_admin', schoolId: 'p99' });
    const today = new Date(Date.parse(((await api.call('GET', '/_local/clock')).body as { now: string }).now) + 8 * 3600_000).toISOString().slice(0, 10);
    const notice = await api.call('POST', '/api/homework/notices', { token: login.body.token, body: { classId: 'p99-g4c1', date: today, items: [{ subject: '数学', content: '口算练习', kind: 'written', minutes: 20 }] } });
    expect(notice.status).toBe(201);
  });

  it('sign in no more once disabled', async () => {
    expect((await api.as('admin', 'POST', '/api/admin/users/admin/disable')).status).toBe(409);
    expect((await api.as('admin', 'POST', '/api/admin/users/nobody/disable')).status).toBe(404);
    const disabled = await api.as('admin', 'POST', '/api/admin/users/wang.p99/disable');
    expect(disabled.body).toMatchObject({ username: 'wang.p99', disabled: true });
    expect((await api.call('POST', '/api/auth/login', { body: { username: 'wang.p99', password: initialPassword } })).status).toBe(401);
  });
});

describe('institutions', () => {
  let institutionId: string;

  it('are entered once per name, and triage finds a new one by name', async () => {
    const body = { name: '启航学科辅导中心', address: '前进区解放路 18 号', area: 'group_4', kind: 'subject', status: 'unlicensed' };
    const res = await api.as('admin', 'POST', '/api/admin/institutions', body);
    expect(res.status).toBe(201);
    institutionId = res.body.institutionId;
    expect(institutionId).toMatch(/^INST-[0-9A-Z]{10}$/);
    expect((await api.as('admin', 'POST', '/api/admin/institutions', { ...body, name: '启航 学科辅导中心' })).status).toBe(409);
    const receipt = await api.file({ category: 'unlicensed_tutoring', description: '启航学科辅导中心周末给初中生上数学课。', subject: { institutionName: '启航学科辅导中心' }, anonymous: true });
    const task = await api.taskFor('group_4', 'accept_case', receipt.receiptNo);
    expect(task.assignee.unit).toBe('group_4');
  });

  it('are listed by status and found by part of a name or address', async () => {
    const found = (await api.as('admin', 'GET', `/api/admin/institutions?status=unlicensed&q=${encodeURIComponent('解放路')}`)).body as Json[];
    expect(found.map((i) => i.institutionId)).toEqual([institutionId]);
    expect((await api.as('admin', 'GET', '/api/admin/institutions?status=closed')).status).toBe(400);
  });

  it('change with PUT, also their name', async () => {
    const renamed = await api.as('admin', 'PUT', `/api/admin/institutions/${institutionId}`, { name: '启航教育咨询中心', status: 'licensed', licenceNo: '教民 1234' });
    expect(renamed.status).toBe(200);
    const all = ((await api.as('admin', 'GET', '/api/admin/institutions?q=启航')).body as Json[]).filter((i) => i.institutionId === institutionId);
    expect(all.map((i) => [i.name, i.status, i.licenceNo])).toEqual([['启航教育咨询中心', 'licensed', '教民 1234']]);
    expect((await api.as('admin', 'PUT', '/api/admin/institutions/INST-0000000000', { status: 'revoked' })).status).toBe(404);
    // The old name no longer finds it; the new one does (triage reads institutions by name).
    const names = ((await api.as('admin', 'GET', '/api/admin/institutions')).body as Json[]).map((i) => i.name);
    expect(names).toContain('启航教育咨询中心');
    expect(names).not.toContain('启航学科辅导中心');
  });
});

describe('the audit trail', () => {
  it('holds every change with who made it', async () => {
    const trail = await auditTrail();
    const seen = (about: string, id: string, action: string) => trail.some((e) => e.about === about && e.id === id && e.action === action && e.by === 'admin:admin');
    expect(seen('school', 'p99', 'created')).toBe(true);
    expect(seen('school', 'p99', 'updated')).toBe(true);
    expect(seen('class', 'p99-g4c1', 'created')).toBe(true);
    expect(seen('class', 'p99-g4c1', 'updated')).toBe(true);
    expect(seen('user', 'wang.p99', 'created')).toBe(true);
    expect(seen('user', 'wang.p99', 'disabled')).toBe(true);
    expect(trail.filter((e) => e.about === 'institution').map((e) => e.action).sort()).toEqual(['created', 'updated']);
    // Refused changes left no entry.
    expect(trail.filter((e) => e.about === 'school' && e.id === 'p99' && e.action === 'created')).toHaveLength(1);
    expect(current().dataDir).toBeTruthy();
  });
});
