/**
 * The ledger (台账) as officials know it: one row per rectification item, exported per school or
 * district-wide as CSV or XLSX, and the district summary (plans open/closed, items by status, overdue
 * by school). Read-only: every plan of every school in scope, read with the repository's queries.
 */
import { clock } from '../../platform/clock';
import { districtDate } from '../../platform/dates';
import { ForbiddenError, InvalidInputError } from '../../platform/errors';
import { getSchool, listSchools } from '../registry/registry-repository';
import type { Official } from '../registry/schemas';
import { getPlan, listPlanIds, type LedgerItem, type LedgerPlan } from './ledger-repository';
import type { ItemSource, ItemStatus } from './schemas';

export interface LedgerRow {
  schoolId: string;
  /** The school's name. */
  school: string;
  /** The item's description. */
  item: string;
  itemId: string;
  planId: string;
  source: ItemSource;
  measure: string;
  owner: string;
  /** YYYY-MM-DD */
  due: string;
  status: ItemStatus;
  /** Not closed and due before today (district time). */
  overdue: boolean;
  closedOn?: string;
  closedBy?: string;
}

type ItemCounts = Record<ItemStatus, number>;

export interface DistrictSummary {
  generatedAt: string;
  plans: { open: number; closed: number };
  items: ItemCounts;
  /** Schools with at least one overdue item, most overdue first. */
  overdueBySchool: Array<{ schoolId: string; name: string; overdue: number }>;
  /** Every school of the registry, in registry order. */
  schools: Array<{ schoolId: string; name: string; openPlanId?: string; items: ItemCounts; overdue: number }>;
}

export interface LedgerFile {
  contentType: string;
  fileName: string;
  body: Buffer;
}

export type ExportFormat = 'csv' | 'xlsx';

// ---------------------------------------------------------------------------------------------------
// Reading

interface SchoolRef {
  schoolId: string;
  name: string;
}

interface SchoolLedger extends SchoolRef {
  plans: Array<{ plan: LedgerPlan; items: LedgerItem[] }>;
}

/** Plans read at the same time: enough to be quick, few enough to stay clear of throttling. */
const READ_CONCURRENCY = 8;

async function mapLimited<T, R>(values: T[], limit: number, fn: (v: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(values.length);
  let next = 0;
  const worker = async () => {
    while (next < values.length) {
      const i = next++;
      out[i] = await fn(values[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, worker));
  return out;
}

async function schoolsInScope(schoolId?: string): Promise<SchoolRef[]> {
  if (schoolId === undefined) return (await listSchools()).map((s) => ({ schoolId: s.schoolId, name: s.name }));
  const school = await getSchool(schoolId);
  if (!school) throw new InvalidInputError('No such school', [{ field: 'schoolId', message: 'is not a school in the registry' }]);
  return [{ schoolId, name: school.name }];
}

async function readLedgers(schools: SchoolRef[]): Promise<SchoolLedger[]> {
  const planIds = await mapLimited(schools, READ_CONCURRENCY, (s) => listPlanIds(s.schoolId));
  const ledgers: SchoolLedger[] = schools.map((s) => ({ ...s, plans: [] }));
  const wanted = ledgers.flatMap((l, i) => planIds[i].map((planId) => ({ ledger: l, planId })));
  const plans = await mapLimited(wanted, READ_CONCURRENCY, (w) => getPlan(w.planId));
  plans.forEach((p, i) => {
    if (p) wanted[i].ledger.plans.push(p);
  });
  for (const l of ledgers) l.plans.sort((a, b) => a.plan.planId.localeCompare(b.plan.planId));
  return ledgers;
}

const isOverdue = (i: Pick<LedgerItem, 'status' | 'dueOn'>, today: string) => i.status !== 'closed' && i.dueOn < today;

const byString = (a: string | undefined, b: string | undefined) => (a ?? '').localeCompare(b ?? '');

/** Every item of the school (or of every school), sorted by school (registry order), plan, due date. */
export async function ledgerRows(scope: { schoolId?: string }): Promise<LedgerRow[]> {
  const ledgers = await readLedgers(await schoolsInScope(scope.schoolId));
  const today = districtDate(clock.now());
  const rows: Array<LedgerRow & { order: number }> = [];
  ledgers.forEach((l, order) => {
    for (const { items } of l.plans) {
      for (const i of items) {
        rows.push({
          order,
          schoolId: l.schoolId,
          school: l.name,
          item: i.description,
          itemId: i.itemId,
          planId: i.planId,
          source: i.source,
          measure: i.measure,
          owner: i.owner,
          due: i.dueOn,
          status: i.status,
          overdue: isOverdue(i, today),
          ...(i.closedOn ? { closedOn: i.closedOn } : {}),
          ...(i.closedBy ? { closedBy: i.closedBy } : {}),
        });
      }
    }
  });
  rows.sort((a, b) => a.order - b.order || byString(a.planId, b.planId) || byString(a.due, b.due) || byString(a.itemId, b.itemId));
  return rows.map(({ order: _order, ...row }) => row);
}

// ---------------------------------------------------------------------------------------------------
// Files

export const sourceLabels: Record<ItemSource, string> = {
  notice_violation: '作业公示违规 notice_violation',
  self_inspection: '学校自查 self_inspection',
  complaint_case: '投诉案件 complaint_case',
  survey_signal: '问卷预警 survey_signal',
};

export const statusLabels: Record<ItemStatus, string> = {
  open: '待整改 open',
  submitted: '待核验 submitted',
  returned: '已退回 returned',
  closed: '已销号 closed',
};

const statusText = (r: LedgerRow) => (r.overdue ? `${statusLabels[r.status]}（逾期 overdue）` : statusLabels[r.status]);

/** The file's columns, in order: title (Chinese and English), width in XLSX, value of a row. */
export const ledgerColumns: ReadonlyArray<{ title: string; width: number; value: (r: LedgerRow) => string }> = [
  { title: '学校 School', width: 24, value: (r) => r.school },
  { title: '事项 Item', width: 48, value: (r) => r.item },
  { title: '来源 Source', width: 26, value: (r) => sourceLabels[r.source] ?? r.source },
  { title: '整改措施 Measure', width: 48, value: (r) => r.measure },
  { title: '责任人 Owner', width: 14, value: (r) => r.owner },
  { title: '整改期限 Due', width: 14, value: (r) => r.due },
  { title: '状态 Status', width: 26, value: statusText },
  { title: '销号日期 Closed on', width: 16, value: (r) => r.closedOn ?? '' },
  { title: '销号人 Closed by', width: 16, value: (r) => r.closedBy ?? '' },
  { title: '事项编号 Item ID', width: 22, value: (r) => r.itemId },
  { title: '整改方案编号 Plan ID', width: 16, value: (r) => r.planId },
];

/** A spreadsheet would run a cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 (CRLF, quoted where needed) with a UTF-8 BOM so that Excel reads the Chinese text as UTF-8. */
export function toCsv(rows: LedgerRow[]): Buffer {
  const lines = [ledgerColumns.map((c) => csvField(c.title)), ...rows.map((r) => ledgerColumns.map((c) => csvField(c.value(r))))];
  return Buffer.from('\uFEFF' + lines.map((l) => l.join(',')).join('\r\n') + '\r\n', 'utf8');
}

export const SHEET_NAME = '台账 Ledger';

type ExcelJsModule = typeof import('exceljs');

/**
 * Loaded on first use: only the XLSX export needs it, and it is large. Bundlers and the CommonJS
 * transforms give the named exports; Node's own import() of this CommonJS package gives only `default`.
 */
async function loadExcelJs(): Promise<ExcelJsModule> {
  const mod = (await import('exceljs')) as ExcelJsModule & { default?: ExcelJsModule };
  return mod.Workbook ? mod : (mod.default as ExcelJsModule);
}

/** One sheet, bold frozen header with an auto filter; every cell is text (dates stay YYYY-MM-DD). */
export async function toXlsx(rows: LedgerRow[]): Promise<Buffer> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  const now = clock.now();
  workbook.creator = 'Double Reduction platform';
  workbook.created = now;
  workbook.modified = now;
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = ledgerColumns.map((c, i) => ({ key: `c${i}`, width: c.width, style: { numFmt: '@' } }));
  const header = sheet.addRow(ledgerColumns.map((c) => c.title));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle' };
  for (const r of rows) {
    const row = sheet.addRow(ledgerColumns.map((c) => c.value(r)));
    row.alignment = { vertical: 'top', wrapText: true };
    if (r.overdue) row.font = { color: { argb: 'FFC00000' } };
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ledgerColumns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------
// Use cases

const isDistrictReader = (o: Official) => o.role === 'supervisor' || o.role === 'admin';

export const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Supervisors and admins export the district or one school; a school administrator only its own
 * school (the default when it names none); every other role is refused.
 */
export async function exportLedger(official: Official, q: { format: ExportFormat; schoolId?: string }): Promise<LedgerFile> {
  let schoolId = q.schoolId;
  if (official.role === 'school_admin') {
    if (!official.schoolId) throw new ForbiddenError('This account is not attached to a school');
    schoolId ??= official.schoolId;
    if (schoolId !== official.schoolId) throw new ForbiddenError('A school administrator exports only its own school’s ledger');
  } else if (!isDistrictReader(official)) {
    throw new ForbiddenError('The ledger export is for supervisors and school administrators');
  }
  const rows = await ledgerRows({ schoolId });
  const body = q.format === 'csv' ? toCsv(rows) : await toXlsx(rows);
  return {
    contentType: contentTypes[q.format],
    fileName: `ledger-${schoolId ?? 'district'}-${districtDate(clock.now())}.${q.format}`,
    body,
  };
}

const noItems = (): ItemCounts => ({ open: 0, submitted: 0, returned: 0, closed: 0 });

/** The district at a glance, for supervisors and admins. */
export async function districtSummary(official: Official): Promise<DistrictSummary> {
  if (!isDistrictReader(official)) throw new ForbiddenError('The district summary is for supervisors');
  const now = clock.now();
  const today = districtDate(now);
  const ledgers = await readLedgers(await schoolsInScope());
  const summary: DistrictSummary = { generatedAt: now.toISOString(), plans: { open: 0, closed: 0 }, items: noItems(), overdueBySchool: [], schools: [] };
  for (const l of ledgers) {
    const items = noItems();
    let overdue = 0;
    let openPlanId: string | undefined;
    for (const { plan, items: planItems } of l.plans) {
      summary.plans[plan.status === 'open' ? 'open' : 'closed']++;
      if (plan.status === 'open') openPlanId ??= plan.planId;
      for (const i of planItems) {
        if (i.status in items) {
          items[i.status]++;
          summary.items[i.status]++;
        }
        if (isOverdue(i, today)) overdue++;
      }
    }
    summary.schools.push({ schoolId: l.schoolId, name: l.name, ...(openPlanId ? { openPlanId } : {}), items, overdue });
    if (overdue > 0) summary.overdueBySchool.push({ schoolId: l.schoolId, name: l.name, overdue });
  }
  summary.overdueBySchool.sort((a, b) => b.overdue - a.overdue || a.schoolId.localeCompare(b.schoolId));
  return summary;
}
