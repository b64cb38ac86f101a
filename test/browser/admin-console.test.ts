/**
 * The admin console in Chromium: an IT officer entering a real district finds an official by search,
 * creates one (a bad username is named beside its field; the one-time password is shown once and signs
 * in), disables and enables the account; enters a school and a class; enters and edits an institution;
 * gives a working group its phone; imports a workbook made by exceljs (a broken one lists every bad cell
 * by row and column and writes nothing); and reads the account's history in the audit trail.
 */
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { screenshot, useBrowserPlatform, demoSignIn } from './support';

const { api, url, page: newPage } = useBrowserPlatform();

async function signInAsAdmin(): Promise<Page> {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, 'admin');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await page.getByRole('link', { name: '系统管理' }).click();
  await page.getByRole('heading', { name: '系统管理', level: 1 }).waitFor();
  return page;
}

const rowsOf = (table: Locator) => table.locator('tbody tr');

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学校');
  ws.addRow(['学校代码', '学校名称', '学段', '责任片区', '无作业日']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

it('finds officials by search, creates one whose one-time password signs in, disables and enables the account and moves it to a working group', async () => {
  const page = await signInAsAdmin();
  const table = page.getByTestId('users-table');
  await rowsOf(table).first().waitFor();
  await page.getByLabel('搜索').fill('p06');
  await expectRows(rowsOf(table), ['school_admin_p06']);

  await page.getByLabel(/^用户名/).fill('Wang P06');
  await page.getByLabel(/^姓名/).fill('王老师');
  await page.getByLabel(/^角色/).selectOption('school_admin');
  await page.getByLabel(/^学校/).selectOption('p06');
  await page.getByRole('button', { name: '创建账号' }).click();
  await page.locator('.field:has([name="username"]) .field-error').waitFor();
  expect(await page.locator('.field:has([name="username"]) .field-error').textContent()).toContain('lower-case');

  await page.getByLabel(/^用户名/).fill('wang.p06');
  await page.getByRole('button', { name: '创建账号' }).click();
  const password = (await page.getByTestId('initial-password').textContent()) ?? '';
  expect(password.length).toBeGreaterThanOrEqual(10);
  expect((await api.call('POST', '/api/auth/login', { body: { username: 'wang.p06', password } })).status).toBe(200);
  await page.getByLabel('搜索').fill('wang');
  await expectRows(rowsOf(table), ['wang.p06']);
  expect(await rowsOf(table).first().textContent()).toContain('前进区第六小学');

  await page.getByRole('button', { name: '停用账号 wang.p06' }).click();
  await table.locator('tr[data-username="wang.p06"] .badge-danger').waitFor();
  expect((await api.call('POST', '/api/auth/login', { body: { username: 'wang.p06', password } })).status).toBe(401);
  await page.getByRole('button', { name: '启用账号 wang.p06' }).click();
  await page.getByRole('button', { name: '停用账号 wang.p06' }).waitFor();
  expect((await api.call('POST', '/api/auth/login', { body: { username: 'wang.p06', password } })).status).toBe(200);

  // Moved to a working group: the scope field follows the role.
  await page.getByRole('button', { name: '修改账号 wang.p06' }).click();
  await page.getByLabel(/^角色/).selectOption('group_officer');
  await page.getByLabel(/^承办单位/).selectOption('group_3');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('账号 wang.p06 已保存').waitFor();
  await table.locator('tr[data-username="wang.p06"]', { hasText: '第三专项工作组' }).waitFor();
  await screenshot(page, 'admin-users');

  // The account's history, newest first.
  await page.getByRole('link', { name: '操作记录' }).click();
  await page.getByLabel('对象类别').selectOption('user');
  await page.getByLabel('编号').fill('wang.p06');
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForFunction(`document.querySelectorAll('[data-testid="audit-table"] tbody tr').length === 4`);
  const actions = await page.getByTestId('audit-table').locator('tbody tr td:nth-child(4)').allTextContents();
  expect(actions).toEqual(['修改', '启用', '停用', '新建']);
});

it('enters a school with its class, names a bad field beside it, and the school is public at once', async () => {
  const page = await signInAsAdmin();
  await page.getByRole('link', { name: '学校和班级' }).click();
  await page.getByTestId('schools-table').locator('tbody tr').first().waitFor();
  await page.getByLabel(/^学校代码/).fill('P 88');
  await page.getByLabel(/^学校名称/).fill('前进区第八十八小学');
  await page.getByLabel(/^学段/).selectOption('primary');
  await page.getByLabel(/^责任片区/).selectOption('group_3');
  await page.getByLabel('周三').check();
  await page.getByRole('button', { name: '创建学校' }).click();
  await page.locator('.field:has([name="schoolId"]) .field-error').waitFor();

  await page.getByLabel(/^学校代码/).fill('p88');
  await page.getByRole('button', { name: '创建学校' }).click();
  const row = page.locator('tr[data-school="p88"]');
  await row.waitFor();
  expect(await row.textContent()).toContain('周三');

  await page.getByRole('button', { name: '前进区第八十八小学的班级' }).click();
  const classes = page.getByTestId('classes-p88');
  await classes.getByLabel(/^班级代码/).fill('p88-g2c1');
  await classes.getByLabel(/^年级/).fill('2');
  await classes.getByLabel(/^班级名称/).fill('2年级1班');
  await classes.getByLabel(/^在籍人数/).fill('38');
  await classes.getByRole('button', { name: '添加班级' }).click();
  await classes.locator('tr[data-class="p88-g2c1"]').waitFor();
  await classes.getByRole('button', { name: '修改班级2年级1班' }).click();
  await classes.getByLabel(/^在籍人数/).fill('39');
  await classes.getByRole('button', { name: '保存' }).click();
  await page.waitForFunction(`document.querySelector('[data-testid="classes-p88"] tr[data-class="p88-g2c1"] td:nth-child(4)')?.textContent === '39'`);
  const schools = (await api.call('GET', '/api/schools')).body as Array<{ schoolId: string; classes: Array<{ enrolled: number }> }>;
  expect(schools.find((s) => s.schoolId === 'p88')?.classes).toEqual([expect.objectContaining({ classId: 'p88-g2c1', enrolled: 39 })]);
  await screenshot(page, 'admin-schools');
});

it('enters an institution, finds it by part of its address, and revokes it', async () => {
  const page = await signInAsAdmin();
  await page.getByRole('link', { name: '校外培训机构' }).click();
  await page.getByTestId('institutions-table').waitFor();
  await page.getByLabel(/^机构名称/).fill('启明星辅导中心');
  await page.getByLabel(/^地址/).fill('前进区红旗街 18 号');
  await page.getByLabel(/^责任片区/).selectOption('group_1');
  await page.getByLabel(/^类别/).selectOption('subject');
  await page.locator('select[name="institutionStatus"]').selectOption('unlicensed');
  await page.getByLabel(/^别名/).fill('启明星教育，启明星补习班');
  await page.getByRole('button', { name: '创建机构' }).click();
  await page.getByText('机构“启明星辅导中心”已创建。').waitFor();

  await page.getByLabel('按名称、别名或地址搜索').fill('红旗街');
  await page.waitForFunction(`[...document.querySelectorAll('[data-testid="institutions-table"] tbody tr')].map((r) => r.cells[0].textContent).join() === '启明星辅导中心'`);
  await page.getByRole('button', { name: '修改启明星辅导中心' }).click();
  await page.locator('select[name="institutionStatus"]').selectOption('revoked');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('机构“启明星辅导中心”已保存。').waitFor();
  const listed = (await api.as('admin', 'GET', '/api/admin/institutions?q=启明星')).body as Array<{ status: string; aliases: string[] }>;
  expect(listed).toEqual([expect.objectContaining({ status: 'revoked', aliases: ['启明星教育', '启明星补习班'] })]);
});

it('gives a working group its head and phone, naming a bad phone in that row only', async () => {
  const page = await signInAsAdmin();
  await page.getByRole('link', { name: '工作组和部门' }).click();
  const row = page.locator('form[data-org="units/group_1"]');
  await row.getByLabel(/^联系电话/).fill('call us');
  await row.getByRole('button', { name: '保存' }).click();
  await row.locator('.field:has([name="phone"]) .field-error').waitFor();
  await row.getByLabel(/^负责人/).fill('张组长');
  await row.getByLabel(/^联系电话/).fill('0431-8888 1001');
  await row.getByRole('button', { name: '保存' }).click();
  await row.getByText(/已保存/).waitFor();
  const org = (await api.as('admin', 'GET', '/api/admin/organisation')).body as { units: Array<{ code: string; phone?: string; head?: string }> };
  expect(org.units.find((u) => u.code === 'group_1')).toMatchObject({ head: '张组长', phone: '0431-8888 1001' });
});

it('imports a workbook: a broken one lists every bad cell and writes nothing, a good one is checked and then written', async () => {
  const page = await signInAsAdmin();
  await page.getByRole('link', { name: '从 Excel 导入' }).click();
  await page.getByLabel(/^名册/).selectOption('schools');
  const bad = await workbook([
    ['p71', '前进区第七十一小学', '小学', '第一专项工作组', ''],
    ['p72', '', '高中', '第九工作组', '周八'],
  ]);
  await page.getByLabel(/^文件/).setInputFiles({ name: '学校名册.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bad });
  await page.getByRole('button', { name: '检查（不写入）' }).click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  expect(await report.getAttribute('data-outcome')).toBe('refused');
  // Row and column of each bad cell: the spreadsheet's row number (the header is row 1) and its header.
  const cells = (await page.getByTestId('import-errors').locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').slice(0, 2).join(' '));
  expect(cells).toEqual(expect.arrayContaining(['3 学校名称', '3 学段', '3 责任片区', '3 无作业日']));
  expect(await page.getByRole('button', { name: '导入', exact: true }).isDisabled()).toBe(true);
  expect(((await api.call('GET', '/api/schools')).body as Array<{ schoolId: string }>).some((s) => s.schoolId === 'p71')).toBe(false);

  const good = await workbook([
    ['p71', '前进区第七十一小学', '小学', '第一专项工作组', ''],
    ['p72', '前进区第七十二小学', '初中', '第二工作组', '周三'],
  ]);
  await page.getByLabel(/^文件/).setInputFiles({ name: '学校名册.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: good });
  await page.getByRole('button', { name: '检查（不写入）' }).click();
  await page.locator('[data-testid="import-report"][data-outcome="checked"]').waitFor();
  expect(await report.textContent()).toContain('将新建 2 条');
  expect(((await api.call('GET', '/api/schools')).body as Array<{ schoolId: string }>).some((s) => s.schoolId === 'p71')).toBe(false);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await page.locator('[data-testid="import-report"][data-outcome="imported"]').waitFor();
  const ids = ((await api.call('GET', '/api/schools')).body as Array<{ schoolId: string }>).map((s) => s.schoolId);
  expect(ids).toEqual(expect.arrayContaining(['p71', 'p72']));
  await screenshot(page, 'admin-import');
});

it('is for the admin only: a supervisor has no link and is refused at the address', async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, 'supervisor');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  expect(await page.getByRole('link', { name: '系统管理' }).count()).toBe(0);
  await page.goto(`${url()}/#/official/admin`);
  await page.getByText('无权访问：只有系统管理员可以维护名册和账号。').waitFor();
});

async function expectRows(rows: Locator, usernames: string[]): Promise<void> {
  await rows.first().page().waitForFunction(
    `JSON.stringify([...document.querySelectorAll('[data-testid="users-table"] tbody tr')].map((r) => r.dataset.username)) === ${JSON.stringify(JSON.stringify(usernames))}`,
  );
}
