/**
 * Import of the registries from the sheets a bureau keeps (API.md "Administration": POST /api/admin/import,
 * `npm run admin -- import`), and the demo seed, which goes through the same path.
 *
 * Every row is checked first, against the same zod schemas as the admin routes, against the other rows of the
 * file and against the registry; any bad row means nothing is written and the report names every bad cell by
 * row and column. A good file is written as transactions of at most 100 items, each row with its audit entry;
 * should one fail (someone changed the registry meanwhile), the transactions already written are undone, so
 * the import is all or nothing. A process killed mid-import leaves the rows written so far: importing the same
 * file again finishes it (rows already there count as `unchanged`).
 */
import { randomBytes } from 'node:crypto';
import type * as z from 'zod';
import { clock } from '../../platform/clock';
import { ConflictError } from '../../platform/errors';
import { logger } from '../../platform/logger';
import { createCognitoAccount, deleteCognitoAccount, officialsInCognito } from '../../platform/officials-directory';
import { listOrgUnits, registryWrites, RegistryConflict, writeRegistry, type AuditEntry, type NamedItem, type StoredInstitution } from './admin-repository';
import { requireAdmin } from './admin';
import { codeFor, departmentNames, institutionKindNames, institutionStatusNames, roleNames, stageNames, unitNames } from './labels';
import { normaliseName } from './names';
import { hashPassword, initialPassword } from './passwords';
import { listInstitutions, listSchools, listUsers } from './registry-repository';
import { ClassRequest, InstitutionIdPath, InstitutionRequest, SchoolIdPath, SchoolRequest, UserRequest, importKinds, type ImportKind, type ImportReport, type Institution, type Official, type School } from './schemas';
import type { Sheet } from './sheets';

export { importKinds, type ImportKind, type ImportReport };

/** One row to import: its values by field (`schoolId`, `name` …), as cells' text or as typed values. */
export interface ImportRecord {
  row: number;
  values: Record<string, unknown>;
}
type RowError = ImportReport['errors'][number];

// --- the columns of each kind's sheet ------------------------------------------------------------------

const text = (s: string) => (s === '' ? undefined : s);
const whole = (s: string) => (s === '' ? undefined : /^-?\d+(\.0+)?$/.test(s) ? Number(s) : s);
const code = (names: Record<string, readonly string[]>) => (s: string) => (s === '' ? undefined : codeFor(names, s));
const list = (s: string) => (s === '' ? undefined : s.split(/[、;；|]/).map((x) => x.trim()).filter(Boolean));
const weekdayNames = ['一', '二', '三', '四', '五', '六', '日'];
/** "3", "3,5", "周三", "星期三、星期五": Monday is 1, Sunday 7 (周日 and 周天 both). */
const weekdays = (s: string) =>
  s === ''
    ? undefined
    : s
        .split(/[,，、;；\s]+/)
        .filter(Boolean)
        .map((d) => {
          const m = /^(?:周|星期|礼拜)?([一二三四五六日天1-7])$/.exec(d);
          if (!m) return d;
          const n = weekdayNames.indexOf(m[1] === '天' ? '日' : m[1]);
          return n >= 0 ? n + 1 : Number(m[1]);
        });

interface ColumnSpec {
  field: string;
  /** The headers a sheet may use for it; the first is the one a report names when the column is missing. */
  headers: readonly string[];
  required: boolean;
  cell: (text: string) => unknown;
}
const col = (field: string, headers: string[], required: boolean, cell: ColumnSpec['cell'] = text): ColumnSpec => ({ field, headers: [headers[0], field, ...headers.slice(1)], required, cell });

export const importColumns: Record<ImportKind, ColumnSpec[]> = {
  schools: [
    col('schoolId', ['学校代码', '学校编号'], true),
    col('name', ['学校名称', '名称'], true),
    col('stage', ['学段'], true, code(stageNames)),
    col('area', ['责任片区', '片区', '工作组'], true, code(unitNames)),
    col('noHomeworkWeekdays', ['无作业日'], false, weekdays),
  ],
  classes: [
    col('schoolId', ['学校代码', '学校编号'], true),
    col('classId', ['班级代码', '班级编号'], true),
    col('grade', ['年级'], true, whole),
    col('name', ['班级名称', '班级'], true),
    col('enrolled', ['在籍人数', '学生人数', '人数'], true, whole),
  ],
  institutions: [
    col('institutionId', ['机构编号'], false),
    col('name', ['机构名称', '名称'], true),
    col('address', ['地址', '办学地址'], true),
    col('area', ['责任片区', '片区', '工作组'], true, code(unitNames)),
    col('kind', ['类别', '类型'], true, code(institutionKindNames)),
    col('status', ['办学状态', '状态'], true, code(institutionStatusNames)),
    col('licenceNo', ['办学许可证号', '许可证号'], false),
    col('aliases', ['别名', '曾用名'], false, list),
  ],
  users: [
    col('username', ['用户名', '账号'], true),
    col('displayName', ['姓名', '显示名'], true),
    col('role', ['角色'], true, code(roleNames)),
    col('unit', ['工作组', '单位'], false, code(unitNames)),
    col('department', ['部门'], false, code(departmentNames)),
    col('schoolId', ['学校代码', '学校编号'], false),
  ],
};

/** The names the district entered for its units and departments (GET /api/admin/organisation), by name: a cell may use them too. */
export interface EnteredNames {
  units: Map<string, string>;
  departments: Map<string, string>;
}
const namedBy: Record<string, keyof EnteredNames> = { area: 'units', unit: 'units', department: 'departments' };

/** A sheet's rows as records of a kind, and the header each field was read from (for the report). */
export function recordsOfSheet(kind: ImportKind, sheet: Sheet, entered?: EnteredNames): { records: ImportRecord[]; columnOf: Record<string, string>; errors: RowError[]; ignoredColumns: string[] } {
  const spec = importColumns[kind];
  const columnOf: Record<string, string> = {};
  const errors: RowError[] = [];
  const used = new Set<string>();
  for (const c of spec) {
    const header = sheet.headers.find((h) => !used.has(h) && c.headers.some((name) => name.toLowerCase() === h.toLowerCase()));
    if (header) {
      columnOf[c.field] = header;
      used.add(header);
    } else if (c.required) errors.push({ row: sheet.headerRow, column: c.headers[0], message: `the column is missing (its header is ${c.headers[0]} or ${c.field})` });
  }
  const records = sheet.rows.map(({ row, cells }) => {
    const values: Record<string, unknown> = {};
    for (const c of spec) {
      const header = columnOf[c.field];
      if (header === undefined) continue;
      const v = c.cell(cells[header] ?? '');
      const byEnteredName = typeof v === 'string' && namedBy[c.field] ? entered?.[namedBy[c.field]].get(v) : undefined;
      if (v !== undefined) values[c.field] = byEnteredName ?? v;
    }
    return { row, values };
  });
  return { records, columnOf, errors, ignoredColumns: sheet.headers.filter((h) => !used.has(h)) };
}

// --- checking and planning the rows -------------------------------------------------------------------

interface RowPlan {
  row: number;
  action: 'created' | 'updated' | 'unchanged';
  items: NamedItem[];
  /** What rolls the row back if a later transaction of the import fails. */
  undo: NamedItem[];
  account?: { official: UserRequest; password?: string };
}

interface Planner {
  errors: RowError[];
  columnOf: (field: string) => string;
  audit: (about: AuditEntry['about'], id: string, action: 'created' | 'updated', row: number, changes: Record<string, unknown>) => AuditEntry;
}

function parseRow<T>(p: Planner, schema: z.ZodType<T>, row: number, values: Record<string, unknown>): T | undefined {
  const r = schema.safeParse(values);
  if (r.success) return r.data;
  for (const issue of r.error.issues) p.errors.push({ row, column: p.columnOf(String(issue.path[0] ?? '(row)')), message: issue.message });
  return undefined;
}

function firstSeen(p: Planner, seen: Map<string, number>, key: string, row: number, field: string, what: string): boolean {
  const earlier = seen.get(key);
  if (earlier !== undefined) {
    p.errors.push({ row, column: p.columnOf(field), message: `${what} is in row ${earlier} already` });
    return false;
  }
  seen.set(key, row);
  return true;
}

/** The fields of `next` that differ from `before` (arrays compared by value). */
function changed(before: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(next).filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(before[k])));
}
const pick = (o: Record<string, unknown>, fields: string[]) => Object.fromEntries(fields.map((f) => [f, o[f]]));

async function planSchools(p: Planner, records: ImportRecord[]): Promise<RowPlan[]> {
  const existing = new Map((await listSchools()).map((s) => [s.schoolId, s]));
  const seen = new Map<string, number>();
  const plans: RowPlan[] = [];
  for (const { row, values } of records) {
    const s = parseRow(p, SchoolRequest, row, values);
    if (!s || !firstSeen(p, seen, s.schoolId, row, 'schoolId', `School ${s.schoolId}`)) continue;
    const before = existing.get(s.schoolId);
    if (!before) {
      plans.push({ row, action: 'created', items: [...registryWrites.createSchool(s), registryWrites.audit(p.audit('school', s.schoolId, 'created', row, s))], undo: [] });
      continue;
    }
    const { schoolId: _id, ...fields } = s;
    const set = changed(before, fields);
    if (Object.keys(set).length === 0) plans.push({ row, action: 'unchanged', items: [], undo: [] });
    else plans.push({ row, action: 'updated', items: [...registryWrites.updateSchool(s.schoolId, set), registryWrites.audit(p.audit('school', s.schoolId, 'updated', row, set))], undo: registryWrites.updateSchool(s.schoolId, pick(before, Object.keys(set))) });
  }
  return plans;
}

const ClassRow = /* @__PURE__ */ ClassRequest.extend({ schoolId: SchoolIdPath.shape.schoolId });

async function planClasses(p: Planner, records: ImportRecord[]): Promise<RowPlan[]> {
  const schools = await listSchools();
  const schoolIds = new Set(schools.map((s) => s.schoolId));
  const classes = new Map(schools.flatMap((s) => s.classes.map((c) => [c.classId, { ...c, schoolId: s.schoolId }] as const)));
  const seen = new Map<string, number>();
  const plans: RowPlan[] = [];
  for (const { row, values } of records) {
    const parsed = parseRow(p, ClassRow, row, values);
    if (!parsed || !firstSeen(p, seen, parsed.classId, row, 'classId', `Class ${parsed.classId}`)) continue;
    const { schoolId, ...c } = parsed;
    if (!schoolIds.has(schoolId)) {
      p.errors.push({ row, column: p.columnOf('schoolId'), message: `no school ${schoolId} in the registry: import the schools first` });
      continue;
    }
    const before = classes.get(c.classId);
    if (!before) {
      plans.push({ row, action: 'created', items: [...registryWrites.createClass(schoolId, c), registryWrites.audit(p.audit('class', c.classId, 'created', row, parsed))], undo: [] });
      continue;
    }
    if (before.schoolId !== schoolId) {
      p.errors.push({ row, column: p.columnOf('classId'), message: `class ${c.classId} belongs to school ${before.schoolId} (class ids are unique in the district)` });
      continue;
    }
    const { classId: _id, ...fields } = c;
    const set = changed(before, fields);
    if (Object.keys(set).length === 0) plans.push({ row, action: 'unchanged', items: [], undo: [] });
    else plans.push({ row, action: 'updated', items: [...registryWrites.updateClass(schoolId, c.classId, set), registryWrites.audit(p.audit('class', c.classId, 'updated', row, { schoolId, ...set }))], undo: registryWrites.updateClass(schoolId, c.classId, pick(before, Object.keys(set))) });
  }
  return plans;
}

const InstitutionRow = /* @__PURE__ */ InstitutionRequest.extend({ institutionId: InstitutionIdPath.shape.institutionId.optional() });
const newInstitutionId = () => `INST-${Array.from(randomBytes(10), (b) => '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'[b % 34]).join('')}`;

async function planInstitutions(p: Planner, records: ImportRecord[]): Promise<RowPlan[]> {
  const existing = (await listInstitutions()).map((i): StoredInstitution => ({ ...i, kind: i.kind as StoredInstitution['kind'] }));
  const byId = new Map(existing.map((i) => [i.institutionId, i]));
  const byName = new Map(existing.map((i) => [normaliseName(i.name), i]));
  const seenNames = new Map<string, number>();
  const seenIds = new Map<string, number>();
  const plans: RowPlan[] = [];
  for (const { row, values } of records) {
    const parsed = parseRow(p, InstitutionRow, row, values);
    if (!parsed) continue;
    const name = normaliseName(parsed.name);
    if (!name) {
      p.errors.push({ row, column: p.columnOf('name'), message: 'must contain letters or digits' });
      continue;
    }
    const { institutionId: givenId, ...req } = parsed;
    const before = givenId ? byId.get(givenId) : byName.get(name);
    const id = givenId ?? before?.institutionId ?? newInstitutionId();
    if (!firstSeen(p, seenNames, name, row, 'name', `An institution named ${parsed.name}`) || !firstSeen(p, seenIds, id, row, 'institutionId', `Institution ${id}`)) continue;
    const holder = byName.get(name);
    if (holder && holder.institutionId !== id) {
      p.errors.push({ row, column: p.columnOf('name'), message: `the name is that of institution ${holder.institutionId}` });
      continue;
    }
    const after: StoredInstitution = { ...(before ?? {}), ...req, institutionId: id, aliases: req.aliases ?? before?.aliases ?? [] };
    if (!before) {
      plans.push({ row, action: 'created', items: [...registryWrites.createInstitution(after), registryWrites.audit(p.audit('institution', id, 'created', row, req))], undo: [] });
      continue;
    }
    const set = changed(before as unknown as Record<string, unknown>, req);
    if (Object.keys(set).length === 0) plans.push({ row, action: 'unchanged', items: [], undo: [] });
    else plans.push({ row, action: 'updated', items: [...registryWrites.replaceInstitution(before, after), registryWrites.audit(p.audit('institution', id, 'updated', row, set))], undo: registryWrites.replaceInstitution(after, before) });
  }
  return plans;
}

async function planUsers(p: Planner, records: ImportRecord[], withPasswords: boolean): Promise<RowPlan[]> {
  const existing = new Map((await listUsers()).map((u) => [u.username, u]));
  const schoolIds = new Set((await listSchools()).map((s) => s.schoolId));
  const seen = new Map<string, number>();
  const plans: RowPlan[] = [];
  for (const { row, values } of records) {
    const u = parseRow(p, UserRequest, row, values);
    if (!u || !firstSeen(p, seen, u.username, row, 'username', `User ${u.username}`)) continue;
    if (u.schoolId && !schoolIds.has(u.schoolId)) {
      p.errors.push({ row, column: p.columnOf('schoolId'), message: `no school ${u.schoolId} in the registry: import the schools first` });
      continue;
    }
    const before = existing.get(u.username);
    if (before) {
      const same = (['role', 'unit', 'department', 'schoolId'] as const).every((f) => (before[f] ?? undefined) === (u[f] ?? undefined));
      if (same) plans.push({ row, action: 'unchanged', items: [], undo: [] });
      else p.errors.push({ row, column: p.columnOf('role'), message: `user ${u.username} exists already with another role or scope` });
      continue;
    }
    const password = withPasswords ? initialPassword() : undefined;
    const stored = { ...u, createdAt: clock.now().toISOString(), disabled: false, ...(password && !officialsInCognito() ? { passwordHash: await hashPassword(password), mustChangePassword: true } : {}) };
    plans.push({ row, action: 'created', items: [...registryWrites.createUser(stored), registryWrites.audit(p.audit('user', u.username, 'created', row, u))], undo: [], account: { official: u, password } });
  }
  return plans;
}

// --- writing: transactions of at most 100 items, undone together -----------------------------------------

const MAX_TRANSACTION_ITEMS = 100;

function keyOf(item: NamedItem[1]): string {
  const k = item.Put?.Item ? { pk: item.Put.Item.pk, sk: item.Put.Item.sk } : (item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck?.Key);
  return `${String(k?.pk)}|${String(k?.sk)}`;
}

/**
 * Groups the rows' items into transactions: a row never spans two, no transaction touches one item twice
 * (DynamoDB refuses that), and a check of an item already checked in the same transaction is dropped
 * (forty classes of one school check the school once).
 */
export function transactionsOf(rows: Array<{ items: NamedItem[] }>): NamedItem[][] {
  const out: NamedItem[][] = [];
  let current: NamedItem[] = [];
  let keys = new Map<string, boolean>(); // key → only checked so far
  for (const { items } of rows) {
    if (!items.length) continue;
    const fits = () => {
      const own = new Set<string>();
      let size = current.length;
      for (const [, item] of items) {
        const k = keyOf(item);
        const check = Boolean(item.ConditionCheck);
        if (keys.has(k) && !(check && keys.get(k))) return false;
        if (own.has(k)) continue;
        own.add(k);
        if (!(check && keys.has(k))) size++;
      }
      return size <= MAX_TRANSACTION_ITEMS;
    };
    if (!fits()) {
      out.push(current);
      current = [];
      keys = new Map();
    }
    for (const entry of items) {
      const k = keyOf(entry[1]);
      if (entry[1].ConditionCheck && keys.has(k)) continue;
      keys.set(k, Boolean(entry[1].ConditionCheck));
      current.push(entry);
    }
  }
  if (current.length) out.push(current);
  return out;
}

async function writeAll(plans: RowPlan[]): Promise<void> {
  const writing = plans.filter((r) => r.items.length);
  const rowOf = new Map<NamedItem, number>();
  for (const r of writing) for (const item of r.items) rowOf.set(item, r.row);
  const transactions = transactionsOf(writing);
  const done: NamedItem[][] = [];
  for (const t of transactions) {
    try {
      await writeRegistry(t);
      done.push(t);
    } catch (err) {
      await undo(plans, done);
      if (err instanceof RegistryConflict) {
        const row = rowOf.get(t[err.index]);
        throw new ConflictError(`The registry changed while the import ran (row ${row ?? '?'}: ${err.what}); nothing was written, import the file again`, 'import_conflict');
      }
      throw err;
    }
  }
}

/** Rolls back what was written, newest first; a row's undo is its created items deleted and its updates reversed. */
async function undo(plans: RowPlan[], done: NamedItem[][]): Promise<void> {
  const written = new Set(done.flat());
  const rows = plans.filter((r) => r.items.some((i) => written.has(i))).reverse();
  const undoRows = rows.map((r) => ({ items: [...r.undo, ...registryWrites.deleteCreated(r.items)] }));
  for (const t of transactionsOf(undoRows)) {
    try {
      await writeRegistry(t);
    } catch (err) {
      // Nothing more can be done here: say exactly what is left for the admin to see in the audit trail.
      logger.error('import rollback failed', { error: err, items: t.length });
      throw err;
    }
  }
}

// --- the import ------------------------------------------------------------------------------------------

const planners: Record<ImportKind, (p: Planner, records: ImportRecord[], withPasswords: boolean) => Promise<RowPlan[]>> = {
  schools: planSchools,
  classes: planClasses,
  institutions: planInstitutions,
  users: planUsers,
};

export interface ImportOptions {
  dryRun?: boolean;
  /** The header each field came from, for the report (a sheet's own headers); default the field's name. */
  columnOf?: Record<string, string>;
  /** Users: give each new official a one-time initial password (the demo seed's officials get none: they use the picker). */
  initialPasswords?: boolean;
  /** Errors found before the rows were read (a missing column), reported with the rows'. */
  errors?: RowError[];
  ignoredColumns?: string[];
}

export async function importRecords(official: Official, kind: ImportKind, records: ImportRecord[], opts: ImportOptions = {}): Promise<ImportReport> {
  requireAdmin(official);
  const at = clock.now().toISOString();
  const importId = `${at}#${randomBytes(3).toString('hex')}`;
  const p: Planner = {
    errors: [...(opts.errors ?? [])],
    columnOf: (field) => opts.columnOf?.[field] ?? field,
    audit: (about, id, action, row, changes) => ({ about, id, action, by: `${official.role}:${official.username}`, at, changes, import: { importId, row } }),
  };
  if (p.errors.length === 0 && records.length === 0) p.errors.push({ row: 1, column: '(file)', message: 'the file has no rows below its header' });
  const plans = p.errors.length ? [] : await planners[kind](p, records, (opts.initialPasswords ?? true) && !opts.dryRun);
  // With any bad row nothing is written, and the counts say so (0); a dry run of a good file counts what it would do.
  const count = (a: RowPlan['action']) => (p.errors.length ? 0 : plans.filter((r) => r.action === a).length);
  const report: ImportReport = {
    kind,
    dryRun: Boolean(opts.dryRun),
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    errors: p.errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column)),
    ignoredColumns: opts.ignoredColumns ?? [],
  };
  if (report.errors.length || opts.dryRun) return report;
  await withAccounts(plans, () => writeAll(plans));
  const accounts = plans.flatMap((r) => (r.account?.password && !officialsInCognito() ? [{ username: r.account.official.username, initialPassword: r.account.password }] : []));
  return accounts.length ? { ...report, accounts } : report;
}

/** In AWS, new officials' Cognito accounts first; if any of them or the registry write fails, they are deleted again. */
async function withAccounts(plans: RowPlan[], write: () => Promise<void>): Promise<void> {
  const toCreate = officialsInCognito() ? plans.flatMap((r) => (r.account?.password ? [r.account] : [])) : [];
  const created: string[] = [];
  try {
    for (const a of toCreate) {
      await createCognitoAccount(a.official, a.password as string);
      created.push(a.official.username);
    }
    await write();
  } catch (err) {
    for (const username of created) await deleteCognitoAccount(username);
    throw err;
  }
}

/** A CSV or XLSX body as the admin uploads it, imported as `kind`. */
export async function importSheet(official: Official, kind: ImportKind, sheet: Sheet, opts: Pick<ImportOptions, 'dryRun'> = {}): Promise<ImportReport> {
  requireAdmin(official);
  const org = await listOrgUnits();
  const entered: EnteredNames = { units: new Map(), departments: new Map() };
  for (const u of org) entered[u.scope].set(u.name, u.code);
  const { records, columnOf, errors, ignoredColumns } = recordsOfSheet(kind, sheet, entered);
  return importRecords(official, kind, records, { ...opts, columnOf, errors, ignoredColumns });
}

/**
 * A whole district's registries, in the order they depend on each other (schools, their classes,
 * institutions, officials), through the import: the demo seed and test fixtures enter a district exactly as
 * an admin would. Any bad row throws, naming it.
 */
export async function importDistrict(
  official: Official,
  district: { schools?: School[]; institutions?: Institution[]; users?: Array<Official & { displayName?: string }> },
  opts: Pick<ImportOptions, 'initialPasswords'> = {},
): Promise<void> {
  const rows = <T>(list: T[]) => list.map((values, i) => ({ row: i + 1, values: values as Record<string, unknown> }));
  const schools = district.schools ?? [];
  const steps: Array<[ImportKind, ImportRecord[]]> = [
    ['schools', rows(schools.map(({ classes: _c, ...s }) => s))],
    ['classes', rows(schools.flatMap((s) => s.classes.map((c) => ({ schoolId: s.schoolId, ...c }))))],
    ['institutions', rows(district.institutions ?? [])],
    ['users', rows((district.users ?? []).map((u) => ({ ...u, displayName: u.displayName ?? u.username })))],
  ];
  for (const [kind, records] of steps) {
    if (!records.length) continue;
    const report = await importRecords(official, kind, records, opts);
    if (report.errors.length) throw new Error(`the ${kind} do not import: ${report.errors.map((e) => `row ${e.row} ${e.column}: ${e.message}`).join('; ')}`);
  }
}
