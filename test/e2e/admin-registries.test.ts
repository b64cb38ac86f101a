/**
 * The admin enters a real district over HTTP against `npm start`: schools and classes that appear in the
 * public school list at once and take homework notices, institutions that triage finds, officials who sign
 * in with their one-time initial password and work in their scope, a disabled account that signs in no
 * more; duplicates are 409s, bad fields 400s naming them, and every change is in the audit trail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Json } from '../support/api-client';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

const { api, current } = usePlatform();
const school = { schoolId: 'p99', name: '前进区第九十九小学', stage: 'primary', area: 'group_2', noHomeworkWeekdays: [3] };

/** The whole audit trail through GET /api/admin/audit, page by page (a small page size, so the cursor is used). */
async function auditTrail(query: Record<string, string> = {}): Promise<Json[]> {
  const out: Json[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.as('admin', 'GET', `/api/admin/audit?${new URLSearchParams({ ...query, limit: '40', ...(cursor ? { cursor } : {}) })}`);
    expect(page.status).toBe(200);
    out.push(...(page.body.items as Json[]));
    cursor = page.body.cursor as string | undefined;
  } while (cursor);
  return out;
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
  /** Their own password, once the one-time one is changed. */
  let password: string;

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
    const homework = { classId: 'p99-g4c1', date: today, items: [{ subject: '数学', content: '口算练习', kind: 'written', minutes: 20 }] };
    // On the one-time password, nothing but changing it.
    const early = await api.call('POST', '/api/homework/notices', { token: login.body.token, body: homework });
    expect(early).toMatchObject({ status: 403, body: { error: { code: 'password_change_required' } } });
    password = 'Qianjin-p99-2026';
    const changed = await api.call('POST', '/api/auth/password', { token: login.body.token, body: { currentPassword: initialPassword, newPassword: password } });
    expect(changed.status).toBe(200);
    expect(changed.body.mustChangePassword).toBe(false);
    const notice = await api.call('POST', '/api/homework/notices', { token: changed.body.token, body: homework });
    expect(notice.status).toBe(201);
  });

  it('sign in no more once disabled, and a token they already hold is refused at once', async () => {
    const held = (await api.call('POST', '/api/auth/login', { body: { username: 'wang.p99', password } })).body.token as string;
    expect((await api.call('GET', '/api/me', { token: held })).status).toBe(200);
    expect((await api.as('admin', 'POST', '/api/admin/users/admin/disable')).status).toBe(409);
    expect((await api.as('admin', 'POST', '/api/admin/users/nobody/disable')).status).toBe(404);
    const disabled = await api.as('admin', 'POST', '/api/admin/users/wang.p99/disable');
    expect(disabled.body).toMatchObject({ username: 'wang.p99', disabled: true });
    expect((await api.call('POST', '/api/auth/login', { body: { username: 'wang.p99', password } })).status).toBe(401);
    expect(((await api.as('admin', 'GET', '/api/admin/users')).body as Json[]).find((u) => u.username === 'wang.p99')).toMatchObject({ disabled: true });
    const refused = await api.call('GET', '/api/me', { token: held });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/disabled/);
  });

  it('sign in again once enabled', async () => {
    expect((await api.as('supervisor', 'POST', '/api/admin/users/wang.p99/enable')).status).toBe(403);
    expect((await api.as('admin', 'POST', '/api/admin/users/nobody/enable')).status).toBe(404);
    expect((await api.as('admin', 'POST', '/api/admin/users/wang.p99/enable')).body).toMatchObject({ username: 'wang.p99', disabled: false });
    expect((await api.call('POST', '/api/auth/login', { body: { username: 'wang.p99', password } })).status).toBe(200);
  });

  it('move to another scope at once: a token they already hold works in the new one', async () => {
    const held = (await api.call('POST', '/api/auth/login', { body: { username: 'wang.p99', password } })).body.token as string;
    const bad = await api.as('admin', 'PUT', '/api/admin/users/wang.p99', { displayName: '王老师', role: 'group_officer', schoolId: 'p99' });
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['schoolId', 'unit']);
    expect((await api.as('admin', 'PUT', '/api/admin/users/admin', { displayName: '管理员', role: 'supervisor' })).status).toBe(409);
    expect((await api.as('admin', 'PUT', '/api/admin/users/nobody', { displayName: 'x', role: 'supervisor' })).status).toBe(404);
    const moved = await api.as('admin', 'PUT', '/api/admin/users/wang.p99', { displayName: '王老师', role: 'group_officer', unit: 'group_2' });
    expect(moved.body).toMatchObject({ role: 'group_officer', unit: 'group_2' });
    expect(moved.body).not.toHaveProperty('schoolId');
    expect((await api.call('GET', '/api/me', { token: held })).body).toEqual({ username: 'wang.p99', role: 'group_officer', unit: 'group_2' });
    // Back to the school, for the tests after this one.
    await api.as('admin', 'PUT', '/api/admin/users/wang.p99', { displayName: '王老师', role: 'school_admin', schoolId: 'p99' });
    expect((await api.call('GET', '/api/me', { token: held })).body).toMatchObject({ role: 'school_admin', schoolId: 'p99' });
  });
});

describe('the admin school list', () => {
  it('shows stage, area, no-homework days and classes, to the admin only', async () => {
    expect((await api.as('supervisor', 'GET', '/api/admin/schools')).status).toBe(403);
    const schools = (await api.as('admin', 'GET', '/api/admin/schools')).body as Json[];
    expect(schools.find((s) => s.schoolId === 'p99')).toMatchObject({ stage: 'primary', area: 'group_2', noHomeworkWeekdays: [3], classes: [{ classId: 'p99-g4c1', enrolled: 44 }] });
  });
});

describe('the organisation', () => {
  it('lists every unit and department of the workflow with its default name until the admin enters the district’s own', async () => {
    const org = (await api.as('admin', 'GET', '/api/admin/organisation')).body as { units: Json[]; departments: Json[] };
    expect(org.units.map((u) => u.code)).toEqual(['group_1', 'group_2', 'group_3', 'group_4', 'school_supervision', 'teacher_conduct']);
    expect(org.departments).toHaveLength(6);
    expect(org.units[0]).toMatchObject({ scope: 'units', code: 'group_1', name: '第一专项工作组', entered: false });
  });

  it('takes a unit’s name, head and phone, names bad fields, and knows only the workflow’s codes', async () => {
    const put = await api.as('admin', 'PUT', '/api/admin/organisation/units/group_2', { name: '前进区第二专项工作组', head: '李组长', phone: '0431-8888 2002' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ code: 'group_2', name: '前进区第二专项工作组', head: '李组长', entered: true, updatedBy: 'admin:admin' });
    const bad = await api.as('admin', 'PUT', '/api/admin/organisation/units/group_2', { name: '', phone: 'call me' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'phone']);
    expect((await api.as('admin', 'PUT', '/api/admin/organisation/units/group_9', { name: 'x' })).body.error.details).toEqual([expect.objectContaining({ field: 'code' })]);
    expect((await api.as('admin', 'PUT', '/api/admin/organisation/teams/group_2', { name: 'x' })).status).toBe(400);
    expect((await api.as('supervisor', 'PUT', '/api/admin/organisation/departments/education', { name: 'x' })).status).toBe(403);
    const org = (await api.as('admin', 'GET', '/api/admin/organisation')).body as { units: Json[] };
    expect(org.units.find((u) => u.code === 'group_2')).toMatchObject({ name: '前进区第二专项工作组', phone: '0431-8888 2002' });
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

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook as a bureau's officer makes one in Excel: Chinese headers, a remarks column, a title-less first sheet. */
async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('学校名册');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function upload(kind: string, data: Buffer, opts: { dryRun?: boolean; type?: string; user?: string } = {}) {
  const res = await fetch(`${current().url}/api/admin/import?kind=${kind}${opts.dryRun ? '&dryRun=true' : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.token(opts.user ?? 'admin')}`, 'content-type': opts.type ?? XLSX },
    body: new Uint8Array(data),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

// The classes of p21 as Chinese Excel saves "CSV": GB18030/GBK, CRLF, a quoted cell (bytes made with Python's gbk codec).
const GBK_CLASSES_CSV = Buffer.from(
  'd1a7d0a3b4fac2eb2cb0e0bcb6b4fac2eb2cc4eabcb62cb0e0bcb6c3fbb3c62cd4dabcaec8cbcafd0d0a7032312c7032312d673163312c312cd2bbc4eabcb631b0e02c34350d0a7032312c7032312d673163322c312c22d2bbc4eabcb632b0e0a3a8d3a2b2c5a3a9222c34340d0a',
  'hex',
);

describe('import from Excel', () => {
  const schoolsSheet = [
    ['学校代码', '学校名称', '学段', '责任片区', '无作业日', '备注'],
    ['p21', '前进区第二十一小学', '小学', '第一专项工作组', '周三', '新建校'],
    ['p22', '前进区第二十二中学', '初中', '二组', '', ''],
  ];

  it('checks a workbook in a dry run without writing, then writes it, and a second import changes nothing', async () => {
    const file = await workbook(schoolsSheet);
    const dry = await upload('schools', file, { dryRun: true });
    expect(dry).toMatchObject({ status: 200, body: { dryRun: true, created: 2, updated: 0, errors: [], ignoredColumns: ['备注'] } });
    expect(((await api.call('GET', '/api/schools')).body as Json[]).map((s) => s.schoolId)).not.toContain('p21');

    expect((await upload('schools', file)).body).toMatchObject({ dryRun: false, created: 2, updated: 0, unchanged: 0, errors: [] });
    const p21 = await api.as('admin', 'PUT', '/api/admin/schools/p21', { stage: 'primary' });
    expect(p21.body).toMatchObject({ name: '前进区第二十一小学', stage: 'primary', area: 'group_1', noHomeworkWeekdays: [3] });
    expect((await upload('schools', file)).body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('reads a GBK CSV from Chinese Excel, and the classes are in the school list at once', async () => {
    const r = await upload('classes', GBK_CLASSES_CSV, { type: 'application/octet-stream' });
    expect(r.body).toMatchObject({ created: 2, errors: [] });
    const p21 = ((await api.call('GET', '/api/schools')).body as Json[]).find((s) => s.schoolId === 'p21');
    expect(p21?.classes.map((c: Json) => c.name)).toEqual(['一年级1班', '一年级2班（英才）']);
  });

  it('takes the names the district entered for its working groups', async () => {
    // group_2 was renamed 前进区第二专项工作组 under "the organisation".
    const r = await upload('schools', Buffer.from('学校代码,学校名称,学段,责任片区\np23,前进区第二十三小学,小学,前进区第二专项工作组\n'), { type: 'text/csv' });
    expect(r.body).toMatchObject({ created: 1, errors: [] });
    expect(((await api.as('admin', 'GET', '/api/admin/schools')).body as Json[]).find((x) => x.schoolId === 'p23')).toMatchObject({ area: 'group_2' });
  });

  it('reports every bad row by row and column and writes nothing, not even the good rows', async () => {
    const file = await workbook([
      ['学校代码', '班级代码', '年级', '班级名称', '在籍人数'],
      ['p21', 'p21-g2c1', 2, '二年级1班', 40],
      ['p21', 'p21-g2c2', 10, '二年级2班', 40],
      ['p98', 'p98-g1c1', 1, '一年级1班', 40],
      ['p21', 'p21-g2c1', 2, '二年级1班', 41],
      ['p21', 'p21-g2c3', 2, '二年级3班', '四十'],
      ['p06', 'p21-g1c1', 1, '一年级1班', 40],
    ]);
    const r = await upload('classes', file);
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(0);
    expect(r.body.errors.map((e: Json) => [e.row, e.column])).toEqual([
      [3, '年级'],
      [4, '学校代码'],
      [5, '班级代码'],
      [6, '在籍人数'],
      [7, '班级代码'],
    ]);
    expect(r.body.errors[2].message).toMatch(/row 2/);
    const p21 = ((await api.call('GET', '/api/schools')).body as Json[]).find((s) => s.schoolId === 'p21');
    expect(p21?.classes.map((c: Json) => c.classId)).not.toContain('p21-g2c1');
  });

  it('names a missing column, refuses a file that is no workbook, and is for the admin only', async () => {
    const missing = await upload('classes', await workbook([['学校代码', '班级代码', '班级名称', '在籍人数'], ['p21', 'p21-g3c1', '三年级1班', 40]]));
    expect(missing.body.errors).toEqual([{ row: 1, column: '年级', message: expect.stringContaining('missing') }]);
    const truncated = (await workbook(schoolsSheet)).subarray(0, 300);
    expect(await upload('schools', truncated)).toMatchObject({ status: 400, body: { error: { details: [{ field: '(body)' }] } } });
    expect((await upload('schools', await workbook(schoolsSheet), { user: 'supervisor' })).status).toBe(403);
    expect((await upload('schools', Buffer.from('{}'), { type: 'application/json' })).status).toBe(415);
    expect((await upload('everything', await workbook(schoolsSheet))).status).toBe(400);
  });
});

describe('npm run admin', () => {
  const admin = (...args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'admin', '--', '--url', current().url, '--data-dir', current().dataDir, ...args], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });

  it('creates an admin who signs in with the one-time password it prints', async () => {
    const run = admin('create-admin', 'li.admin', '李', '管理员');
    expect(run.status).toBe(0);
    const password = /initial password (\S+)/.exec(run.stdout)?.[1];
    expect(password).toBeTruthy();
    expect((await api.call('POST', '/api/auth/login', { body: { username: 'li.admin', password } })).status).toBe(200);
    expect(admin('create-admin', 'li.admin').status).toBe(1);
  });

  it('imports institutions and officials from files, and a bad file exits 1 naming the cell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'admin-cli-'));
    const institutions = join(dir, 'institutions.xlsx');
    writeFileSync(institutions, await workbook([
      ['机构名称', '地址', '责任片区', '类别', '办学状态', '别名'],
      ['前进区童心美术工作室', '前进区和平路1号', '三组', '非学科类', '持证', '童心美术'],
      ['金榜学科辅导', '前进区和平路2号', '四组', '学科类', '无证', ''],
    ]));
    const dry = admin('import', 'institutions', institutions, '--dry-run');
    expect(dry.stdout).toContain('would create 2');
    expect(admin('import', 'institutions', institutions).status).toBe(0);
    const found = (await api.as('admin', 'GET', '/api/admin/institutions?q=童心')).body as Json[];
    expect(found).toEqual([expect.objectContaining({ name: '前进区童心美术工作室', kind: 'non_subject', status: 'licensed', area: 'group_3', aliases: ['童心美术'] })]);

    const users = join(dir, 'users.csv');
    writeFileSync(users, '用户名,姓名,角色,学校代码\nzhao.p21,赵老师,学校管理员,p21\nqian.p99x,钱老师,学校管理员,p97\n');
    const bad = admin('users', 'import', users);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('row 3, column 学校代码');
    writeFileSync(users, '用户名,姓名,角色,学校代码\nzhao.p21,赵老师,学校管理员,p21\n');
    const good = admin('users', 'import', users);
    expect(good.status).toBe(0);
    const password = /zhao\.p21\s+initial password (\S+)/.exec(good.stdout)?.[1];
    expect((await api.call('POST', '/api/auth/login', { body: { username: 'zhao.p21', password } })).status).toBe(200);
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
    expect(seen('user', 'wang.p99', 'enabled')).toBe(true);
    expect(seen('unit', 'group_2', 'updated')).toBe(true);
    // Newest first.
    const times = trail.map((e) => String(e.at));
    expect([...times].sort().reverse()).toEqual(times);
    expect(trail.filter((e) => e.about === 'institution' && e.by === 'admin:admin').map((e) => e.action).sort()).toEqual(['created', 'updated']);
    // The demo district itself was entered through the import, row by row, as an admin would.
    const seeded = trail.filter((e) => e.by === 'admin:demo-seed');
    expect(seeded.find((e) => e.about === 'school' && e.id === 'p06')).toMatchObject({ action: 'created', import: { row: 1 } });
    expect(new Set(seeded.map((e) => e.about))).toEqual(new Set(['school', 'class', 'institution', 'user']));
    // Refused changes left no entry.
    expect(trail.filter((e) => e.about === 'school' && e.id === 'p99' && e.action === 'created')).toHaveLength(1);
  });

  it('of one record holds its history alone, and of one kind only that kind', async () => {
    expect((await auditTrail({ about: 'user', id: 'wang.p99' })).map((e) => e.action)).toEqual(['updated', 'updated', 'enabled', 'disabled', 'updated', 'created']);
    expect(new Set((await auditTrail({ about: 'institution' })).map((e) => e.about))).toEqual(new Set(['institution']));
  });

  it('is for the admin only, and a forged cursor or an id without its kind is a 400 naming it', async () => {
    expect((await api.as('supervisor', 'GET', '/api/admin/audit')).status).toBe(403);
    const forged = Buffer.from(JSON.stringify({ pk: 'USER#admin', sk: 'USER', kind: 'user', kindSk: 'admin' })).toString('base64url');
    expect((await api.as('admin', 'GET', `/api/admin/audit?cursor=${forged}`)).body.error.details).toEqual([expect.objectContaining({ field: 'cursor' })]);
    expect((await api.as('admin', 'GET', '/api/admin/audit?id=p99')).body.error.details).toEqual([expect.objectContaining({ field: 'about' })]);
  });
});
