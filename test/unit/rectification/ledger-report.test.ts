// The table name is configuration read when the repository loads (as in a cold start), so it is set
// before the modules under test are required below (static imports would be hoisted above this line).
process.env.RECTIFICATION_TABLE ??= 'rectification-test';

import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import ExcelJS from 'exceljs';
import { clock } from '../../../lambdas/platform/clock';
import { ForbiddenError, InvalidInputError } from '../../../lambdas/platform/errors';
import type { Official } from '../../../lambdas/domain/registry/schemas';
import { verifyOfficialSession } from '../../../lambdas/platform/auth';
import type { LedgerRow } from '../../../lambdas/domain/rectification/ledger-report';

jest.mock('../../../lambdas/platform/auth', () => ({ verifyOfficialSession: jest.fn() }));

/* eslint-disable @typescript-eslint/no-require-imports */
const { csvField, districtSummary, exportLedger, ledgerRows, toCsv, toXlsx } =
  require('../../../lambdas/domain/rectification/ledger-report') as typeof import('../../../lambdas/domain/rectification/ledger-report');
const { handler: exportHandler } = require('../../../lambdas/http/ledger-export') as typeof import('../../../lambdas/http/ledger-export');
const { handler: summaryHandler } = require('../../../lambdas/http/ledger-summary') as typeof import('../../../lambdas/http/ledger-summary');
/* eslint-enable @typescript-eslint/no-require-imports */
const verifySession = verifyOfficialSession as jest.MockedFunction<typeof verifyOfficialSession>;
/** The token says who; the registry (mocked DynamoDB, no user item) adds nothing. */
const verify = { mockReset: () => verifySession.mockReset(), mockResolvedValue: (official: Official) => verifySession.mockResolvedValue({ official }) };

const ddb = mockClient(DynamoDBDocumentClient);

const supervisor: Official = { username: 'supervisor', role: 'supervisor' };
const admin: Official = { username: 'admin', role: 'admin' };
const p06Admin: Official = { username: 'school_admin_p06', role: 'school_admin', schoolId: 'p06' };
const deptOfficer: Official = { username: 'dept_education', role: 'department_officer', department: 'education' };
const groupOfficer: Official = { username: 'group_1', role: 'group_officer', unit: 'group_1' };

// Today in the district is 2026-11-28 (12:00 +08:00).
const NOW = Date.parse('2026-11-28T04:00:00Z');

const schools = [
  { schoolId: 'p06', name: '第六小学教育集团' },
  { schoolId: 'p11', name: '第十一小学教育集团' },
  { schoolId: 'm04', name: '第四中学' },
];

const plan = (planId: string, status: 'open' | 'closed', itemCount: number, closedCount: number) => ({
  pk: `PLAN#${planId}`,
  sk: 'PLAN',
  entity: 'plan',
  planId,
  schoolId: planId.split('-')[1],
  status,
  openedAt: '2026-10-01T00:00:00.000Z',
  itemCount,
  closedCount,
});

const item = (itemId: string, fields: Record<string, unknown>) => ({
  pk: `PLAN#${itemId.split('.')[0]}`,
  sk: `ITEM#${itemId}`,
  entity: 'item',
  itemId,
  planId: itemId.split('.')[0],
  schoolId: itemId.split('-')[1],
  source: 'self_inspection',
  description: '作业量超标',
  measure: '压减书面作业',
  owner: '王老师',
  status: 'open',
  overdue: false,
  evidence: [],
  history: [],
  createdAt: '2026-11-01T00:00:00.000Z',
  ...fields,
});

const plans: Record<string, Record<string, unknown>[]> = {
  'RP-p06-001': [plan('RP-p06-001', 'closed', 1, 1), item('RP-p06-001.aaaa01', { status: 'closed', dueOn: '2026-10-20', closedOn: '2026-10-18', closedBy: 'supervisor' })],
  'RP-p06-002': [
    plan('RP-p06-002', 'open', 3, 0),
    item('RP-p06-002.bbbb02', { status: 'submitted', dueOn: '2026-12-05', source: 'notice_violation' }),
    item('RP-p06-002.bbbb01', { status: 'open', dueOn: '2026-11-20', description: '三年级书面作业超过60分钟' }),
    item('RP-p06-002.bbbb03', { status: 'returned', dueOn: '2026-11-27', source: 'complaint_case', sourceRef: 'TS-2026-000123' }),
  ],
  'RP-p11-001': [
    plan('RP-p11-001', 'open', 1, 0),
    item('RP-p11-001.cccc01', {
      status: 'open',
      dueOn: '2026-11-28',
      description: '家长反映："作业多"，需核查\n第二行',
      measure: '=HYPERLINK("http://evil.example","点击")',
      owner: '-李老师',
      source: 'survey_signal',
    }),
  ],
};
const planIdsOf: Record<string, string[]> = { p06: ['RP-p06-002', 'RP-p06-001'], p11: ['RP-p11-001'], m04: [] };

beforeEach(() => {
  ddb.reset();
  verify.mockReset();
  clock.pin(new Date(NOW));
  ddb.on(QueryCommand, { IndexName: 'byKind' }).resolves({ Items: schools.map((s) => ({ pk: `SCHOOL#${s.schoolId}`, sk: 'SCHOOL', kind: 'school', stage: 'primary', area: 'group_1', ...s })) });
  for (const s of schools) {
    ddb.on(GetCommand, { Key: { pk: `SCHOOL#${s.schoolId}`, sk: 'SCHOOL' } }).resolves({ Item: { pk: `SCHOOL#${s.schoolId}`, sk: 'SCHOOL', stage: 'primary', area: 'group_1', ...s } });
    ddb.on(QueryCommand, { IndexName: 'bySchool', ExpressionAttributeValues: { ':p': `SCHOOL#${s.schoolId}` } }).resolves({
      Items: planIdsOf[s.schoolId].map((planId) => ({ planId })),
    });
  }
  for (const [planId, records] of Object.entries(plans)) {
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': `PLAN#${planId}` } }).resolves({ Items: records });
  }
});


const row = (over: Partial<LedgerRow> = {}): LedgerRow => ({
  schoolId: 'p06',
  school: '第六小学教育集团',
  item: '作业量超标',
  itemId: 'RP-p06-002.bbbb01',
  planId: 'RP-p06-002',
  source: 'self_inspection',
  measure: '压减书面作业',
  owner: '王老师',
  due: '2026-11-20',
  status: 'open',
  overdue: true,
  ...over,
});

describe('CSV', () => {
  it('quotes fields with a comma, quote or newline and doubles quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('line 1\r\nline 2')).toBe('"line 1\r\nline 2"');
    expect(csvField('第六小学教育集团')).toBe('第六小学教育集团');
    expect(csvField('')).toBe('');
  });

  it('neutralises formulas with a leading apostrophe', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+86 139')).toBe("'+86 139");
    expect(csvField('-李老师')).toBe("'-李老师");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\rcmd')).toBe('"\'\rcmd"');
    expect(csvField('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvField('2026-11-28')).toBe('2026-11-28');
  });

  it('is UTF-8 with a BOM, CRLF line ends and a bilingual header', () => {
    const buf = toCsv([row(), row({ itemId: 'RP-p06-002.bbbb02', item: '含逗号, 的事项', status: 'closed', overdue: false, closedOn: '2026-11-27', closedBy: 'supervisor' })]);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('学校 School,事项 Item,来源 Source,整改措施 Measure,责任人 Owner,整改期限 Due,状态 Status,销号日期 Closed on,销号人 Closed by,事项编号 Item ID,整改方案编号 Plan ID');
    expect(lines[1]).toBe('第六小学教育集团,作业量超标,学校自查 self_inspection,压减书面作业,王老师,2026-11-20,待整改 open（逾期 overdue）,,,RP-p06-002.bbbb01,RP-p06-002');
    expect(lines[2]).toBe('第六小学教育集团,"含逗号, 的事项",学校自查 self_inspection,压减书面作业,王老师,2026-11-20,已销号 closed,2026-11-27,supervisor,RP-p06-002.bbbb02,RP-p06-002');
    expect(lines[3]).toBe('');
  });

  it('keeps a multi-line description inside one quoted field of the district file', async () => {
    const file = await exportLedger(supervisor, { format: 'csv', schoolId: 'p11' });
    const text = file.body.toString('utf8');
    expect(text).toContain('"家长反映：""作业多""，需核查\n第二行"');
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"",""点击"")"');
    expect(text).toContain(",'-李老师,");
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});

describe('ledgerRows', () => {
  it('reads every plan of every school, sorted by school, plan and due date, with overdue in district time', async () => {
    const rows = await ledgerRows({});
    expect(rows.map((r) => r.itemId)).toEqual(['RP-p06-001.aaaa01', 'RP-p06-002.bbbb01', 'RP-p06-002.bbbb03', 'RP-p06-002.bbbb02', 'RP-p11-001.cccc01']);
    expect(rows.map((r) => r.overdue)).toEqual([false, true, true, false, false]);
    expect(rows[0]).toEqual({
      schoolId: 'p06',
      school: '第六小学教育集团',
      item: '作业量超标',
      itemId: 'RP-p06-001.aaaa01',
      planId: 'RP-p06-001',
      source: 'self_inspection',
      measure: '压减书面作业',
      owner: '王老师',
      due: '2026-10-20',
      status: 'closed',
      overdue: false,
      closedOn: '2026-10-18',
      closedBy: 'supervisor',
    });
    expect(rows[4].school).toBe('第十一小学教育集团');
  });

  it('reads one school only when asked', async () => {
    const rows = await ledgerRows({ schoolId: 'p11' });
    expect(rows.map((r) => r.itemId)).toEqual(['RP-p11-001.cccc01']);
    expect(ddb).not.toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byKind' });
  });

  it('turns overdue at the district midnight, not UTC midnight', async () => {
    // 2026-11-28T16:30Z is already 2026-11-29 00:30 in the district: the item due on the 28th is overdue.
    clock.pin('2026-11-28T16:30:00Z');
    const [r] = await ledgerRows({ schoolId: 'p11' });
    expect(r.overdue).toBe(true);
  });

  it('answers 400 for a school that is not in the registry', async () => {
    ddb.on(GetCommand, { Key: { pk: 'SCHOOL#x99', sk: 'SCHOOL' } }).resolves({});
    await expect(ledgerRows({ schoolId: 'x99' })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('XLSX', () => {
  it('round-trips: one sheet, bold frozen header with a filter, text dates', async () => {
    const buf = await toXlsx(await ledgerRows({}));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['台账 Ledger']);
    const ws = wb.getWorksheet('台账 Ledger')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      '学校 School',
      '事项 Item',
      '来源 Source',
      '整改措施 Measure',
      '责任人 Owner',
      '整改期限 Due',
      '状态 Status',
      '销号日期 Closed on',
      '销号人 Closed by',
      '事项编号 Item ID',
      '整改方案编号 Plan ID',
    ]);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.rowCount).toBe(6);
    const r2 = ws.getRow(2);
    expect(r2.getCell(1).value).toBe('第六小学教育集团');
    expect(r2.getCell(6).value).toBe('2026-10-20');
    expect(r2.getCell(7).value).toBe('已销号 closed');
    expect(r2.getCell(8).value).toBe('2026-10-18');
    expect(r2.getCell(10).value).toBe('RP-p06-001.aaaa01');
    const r6 = ws.getRow(6);
    expect(r6.getCell(2).value).toBe('家长反映："作业多"，需核查\n第二行');
    // XLSX stores text, not formulas: no apostrophe needed, and the cell is no formula.
    expect(r6.getCell(4).value).toBe('=HYPERLINK("http://evil.example","点击")');
    expect(r6.getCell(4).type).toBe(ExcelJS.ValueType.String);
    expect(ws.getColumn(2).width).toBeGreaterThan(20);
  });
});

describe('exportLedger', () => {
  it('gives a supervisor the district as CSV', async () => {
    const file = await exportLedger(supervisor, { format: 'csv' });
    expect(file.fileName).toBe('ledger-district-2026-11-28.csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    expect(file.body.toString('utf8').split('\r\n')).toHaveLength(7);
  });

  it('gives an admin one school as XLSX', async () => {
    const file = await exportLedger(admin, { format: 'xlsx', schoolId: 'p06' });
    expect(file.fileName).toBe('ledger-p06-2026-11-28.xlsx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.body.subarray(0, 2).toString()).toBe('PK');
  });

  it('gives a school administrator its own school by default', async () => {
    const file = await exportLedger(p06Admin, { format: 'csv' });
    expect(file.fileName).toBe('ledger-p06-2026-11-28.csv');
    expect(file.body.toString('utf8')).not.toContain('第十一小学');
    expect(ddb).not.toHaveReceivedCommandWith(QueryCommand, { IndexName: 'byKind' });
  });

  it('refuses a school administrator another school, and every other role', async () => {
    await expect(exportLedger(p06Admin, { format: 'csv', schoolId: 'p11' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(exportLedger({ ...p06Admin, schoolId: undefined }, { format: 'csv' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(exportLedger(deptOfficer, { format: 'csv' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(exportLedger(groupOfficer, { format: 'xlsx', schoolId: 'p06' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 0);
  });
});

describe('districtSummary', () => {
  it('counts plans, items by status and overdue items per school', async () => {
    const s = await districtSummary(supervisor);
    expect(s.generatedAt).toMatch(/^2026-11-28T04:00:0\d\.\d{3}Z$/);
    expect(s.plans).toEqual({ open: 2, closed: 1 });
    expect(s.items).toEqual({ open: 2, submitted: 1, returned: 1, closed: 1 });
    expect(s.overdueBySchool).toEqual([{ schoolId: 'p06', name: '第六小学教育集团', overdue: 2 }]);
    expect(s.schools).toEqual([
      // Registry order (by school id).
      { schoolId: 'm04', name: '第四中学', items: { open: 0, submitted: 0, returned: 0, closed: 0 }, overdue: 0 },
      { schoolId: 'p06', name: '第六小学教育集团', openPlanId: 'RP-p06-002', items: { open: 1, submitted: 1, returned: 1, closed: 1 }, overdue: 2 },
      { schoolId: 'p11', name: '第十一小学教育集团', openPlanId: 'RP-p11-001', items: { open: 1, submitted: 0, returned: 0, closed: 0 }, overdue: 0 },
    ]);
  });

  it('is for supervisors and admins only', async () => {
    await expect(districtSummary(admin)).resolves.toBeTruthy();
    await expect(districtSummary(p06Admin)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(districtSummary(deptOfficer)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('HTTP adapters', () => {
  const event = (path: string, query?: Record<string, string>): APIGatewayProxyEventV2 => ({
    version: '2.0',
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { authorization: 'Bearer token' },
    queryStringParameters: query,
    requestContext: {} as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
  });
  const call = async (h: typeof exportHandler, e: APIGatewayProxyEventV2) => (await h(e, {} as Context)) as APIGatewayProxyStructuredResultV2;

  it('answers the XLSX file base64-encoded as an attachment', async () => {
    verify.mockResolvedValue(supervisor);
    const res = await call(exportHandler, event('/api/rectification/export', { format: 'xlsx' }));
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBe(true);
    expect(res.headers?.['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers?.['content-disposition']).toBe(`attachment; filename="ledger-district-2026-11-28.xlsx"; filename*=UTF-8''ledger-district-2026-11-28.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(String(res.body), 'base64') as unknown as ArrayBuffer);
    expect(wb.getWorksheet('台账 Ledger')?.rowCount).toBe(6);
  });

  it('answers the CSV bytes exactly, BOM included', async () => {
    verify.mockResolvedValue(p06Admin);
    const res = await call(exportHandler, event('/api/rectification/export', { format: 'csv' }));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-disposition']).toContain('filename="ledger-p06-2026-11-28.csv"');
    const bytes = Buffer.from(String(res.body), 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('第六小学教育集团');
  });

  it('answers 403 to a school administrator asking for another school, 400 for a bad format', async () => {
    verify.mockResolvedValue(p06Admin);
    const forbidden = await call(exportHandler, event('/api/rectification/export', { format: 'csv', schoolId: 'p11' }));
    expect(forbidden.statusCode).toBe(403);
    expect(JSON.parse(String(forbidden.body)).error.code).toBe('forbidden');
    const bad = await call(exportHandler, event('/api/rectification/export', { format: 'pdf' }));
    expect(bad.statusCode).toBe(400);
  });

  it('answers the summary as JSON', async () => {
    verify.mockResolvedValue(supervisor);
    const res = await call(summaryHandler, event('/api/rectification/summary'));
    expect(res.statusCode).toBe(200);
    expect(res.isBase64Encoded).toBeUndefined();
    expect(JSON.parse(String(res.body)).plans).toEqual({ open: 2, closed: 1 });
    verify.mockResolvedValue(deptOfficer);
    expect((await call(summaryHandler, event('/api/rectification/summary'))).statusCode).toBe(403);
  });
});
