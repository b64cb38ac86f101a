/**
 * Registry writes of the administration (table spec: lib/spec/tables.ts → registry): each change is one
 * transaction over named items, conditioned so that a concurrent change or a duplicate is refused, with
 * its audit entry in the same transaction (pk AUDIT#<about>#<id>, listed newest first through byKind
 * kind=audit). Failed conditions come back as typed errors, by item name, never by position.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { buildUpdate, cancellationCodes, documents, queryAll, type UpdateSpec } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import { transactItems, type TransactItems } from '../../platform/transact';
import { decodeCursor, encodeCursor } from '../../platform/page-cursor';
import { keys, kindKeys } from './registry-repository';
import { normaliseName } from './names';
import { AuditView, type AuditQuery, type AuditSubject, type ClassRequest, type InstitutionRequest, type Official, type OrgScope, type OrgUnitUpdate, type SchoolRequest, type UserUpdate } from './schemas';

const TABLE = tableNameFor('registry');

export const adminKeys = {
  institutionById: (institutionId: string) => ({ pk: `INSTITUTION_ID#${institutionId}`, sk: 'INSTITUTION_ID' }),
  audit: (kind: string, id: string, at: string) => ({ pk: `AUDIT#${kind}#${id}`, sk: `${at}#${randomBytes(4).toString('hex')}` }),
  /** A working unit's or a joint department's entered data (its code is the workflow's). */
  orgUnit: (scope: OrgScope, code: string) => ({ pk: `ORG#${scope}#${code}`, sk: 'ORG' }),
};
export const adminKindKeys = {
  orgUnit: (scope: OrgScope, code: string) => ({ kind: 'org', kindSk: `${scope}#${code}` }),
};

export interface AuditEntry {
  about: AuditSubject;
  id: string;
  action: 'created' | 'updated' | 'disabled' | 'enabled';
  by: string;
  at: string;
  /** What changed: the new values of the fields sent (never a password). */
  changes: Record<string, unknown>;
  /** Changes made by an import: which one, and the sheet's row. */
  import?: { importId: string; row: number };
}

const auditPut = (e: AuditEntry) => {
  const key = adminKeys.audit(e.about, e.id, e.at);
  return { Put: { TableName: TABLE, Item: { ...key, ...e, kind: 'audit', kindSk: `${e.at}#${e.about}#${e.id}`, entity: 'audit' } } };
};

/** A transaction's named items: `names[i]` says what failed when item i's condition did. */
export class RegistryConflict extends Error {
  /** `index`: the failed item's place in the transaction. */
  constructor(
    readonly what: string,
    readonly index = -1,
  ) {
    super(`registry condition failed: ${what}`);
  }
}

/** One item of a registry transaction with the name of what its condition guards (`school_exists` …). */
export type NamedItem = [string, TransactItems[number]];

/** Runs one transaction; a failed condition comes back as a RegistryConflict naming the item. */
export async function writeRegistry(items: NamedItem[]): Promise<void> {
  try {
    await transactItems(items.map(([, item]) => item));
  } catch (err) {
    const codes = cancellationCodes(err);
    const failed = codes?.findIndex((c) => c === 'ConditionalCheckFailed') ?? -1;
    if (failed >= 0) throw new RegistryConflict(items[failed][0], failed);
    throw err;
  }
}
const transactNamed = writeRegistry;

const notExists = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } };
const exists = { expression: 'attribute_exists(#pk)', names: { '#pk': 'pk' } };
const update = (key: Record<string, string>, u: Omit<UpdateSpec, 'TableName' | 'Key'>) => ({ Update: buildUpdate({ TableName: TABLE, Key: key, ...u }) });

export const schoolItem = (s: SchoolRequest) => ({ ...keys.school(s.schoolId), ...kindKeys.school(s.schoolId), entity: 'school', schoolId: s.schoolId, name: s.name, stage: s.stage, area: s.area, noHomeworkWeekdays: s.noHomeworkWeekdays ?? [] });

/**
 * The registry's writes as named transaction items, without their audit entry: the admin routes run one
 * with its audit entry, the import runs many rows' worth per transaction (lambdas/domain/registry/registry-import.ts).
 */
export const registryWrites = {
  audit: (e: AuditEntry): NamedItem => ['audit', auditPut(e)],
  createSchool: (s: SchoolRequest): NamedItem[] => [['school_exists', { Put: { TableName: TABLE, Item: schoolItem(s), ...notExists } }]],
  updateSchool: (schoolId: string, set: Record<string, unknown>): NamedItem[] => [['no_school', update(keys.school(schoolId), { set, condition: exists })]],
  createClass: (schoolId: string, c: ClassRequest): NamedItem[] => [
    ['no_school', { ConditionCheck: { TableName: TABLE, Key: keys.school(schoolId), ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } } }],
    ['class_exists', { Put: { TableName: TABLE, Item: { ...keys.schoolClass(schoolId, c.classId), ...kindKeys.schoolClass(schoolId, c.classId), entity: 'school_class', schoolId, ...c }, ...notExists } }],
    // Class ids are unique in the district (a notice names only its class).
    ['class_exists', { Put: { TableName: TABLE, Item: { ...keys.classById(c.classId), entity: 'class', schoolId, ...c }, ...notExists } }],
  ],
  updateClass: (schoolId: string, classId: string, set: Record<string, unknown>): NamedItem[] => [
    ['no_class', update(keys.schoolClass(schoolId, classId), { set, condition: exists })],
    ['no_class', update(keys.classById(classId), { set, condition: { expression: 'attribute_exists(#pk) AND #school = :school', names: { '#pk': 'pk', '#school': 'schoolId' }, values: { ':school': schoolId } } })],
  ],
  createInstitution: (i: StoredInstitution): NamedItem[] => [
    // Triage finds an institution by its normalised name: two with one name would be one.
    ['institution_exists', { Put: { TableName: TABLE, Item: institutionItem(i), ...notExists } }],
    ['institution_exists', { Put: { TableName: TABLE, Item: { ...adminKeys.institutionById(i.institutionId), entity: 'institution_id', normalisedName: normaliseName(i.name) }, ...notExists } }],
  ],
  /** Replaces an institution; a new name moves its item (the name is its key). */
  replaceInstitution: (before: StoredInstitution, after: StoredInstitution): NamedItem[] => {
    const oldName = normaliseName(before.name);
    const newName = normaliseName(after.name);
    const unchanged = { ConditionExpression: 'attribute_exists(#pk) AND #id = :id', ExpressionAttributeNames: { '#pk': 'pk', '#id': 'institutionId' }, ExpressionAttributeValues: { ':id': before.institutionId } };
    if (oldName === newName) return [['no_institution', { Put: { TableName: TABLE, Item: institutionItem(after), ...unchanged } }]];
    return [
      ['no_institution', { Delete: { TableName: TABLE, Key: keys.institution(oldName), ...unchanged } }],
      ['institution_exists', { Put: { TableName: TABLE, Item: institutionItem(after), ...notExists } }],
      ['no_institution', update(adminKeys.institutionById(before.institutionId), { set: { normalisedName: newName }, condition: exists })],
    ];
  },
  createUser: (u: StoredUser): NamedItem[] => [['user_exists', { Put: { TableName: TABLE, Item: { ...keys.user(u.username), ...kindKeys.user(u.username), entity: 'user', ...u, disabled: u.disabled ?? false }, ...notExists } }]],
  /** Undoes items this import created: a Put's item is deleted again (used only to roll an import back). */
  deleteCreated: (items: NamedItem[]): NamedItem[] =>
    items.flatMap(([name, item]): NamedItem[] => (item.Put?.Item ? [[name, { Delete: { TableName: TABLE, Key: { pk: item.Put.Item.pk, sk: item.Put.Item.sk } } }]] : [])),
};

export async function insertSchool(s: SchoolRequest, audit: AuditEntry): Promise<void> {
  await transactNamed([...registryWrites.createSchool(s), registryWrites.audit(audit)]);
}

export async function updateSchoolItem(schoolId: string, set: Record<string, unknown>, audit: AuditEntry): Promise<void> {
  await transactNamed([...registryWrites.updateSchool(schoolId, set), registryWrites.audit(audit)]);
}

export async function insertClass(schoolId: string, c: ClassRequest, audit: AuditEntry): Promise<void> {
  await transactNamed([...registryWrites.createClass(schoolId, c), registryWrites.audit(audit)]);
}

export async function updateClassItems(schoolId: string, classId: string, set: Record<string, unknown>, audit: AuditEntry): Promise<void> {
  await transactNamed([...registryWrites.updateClass(schoolId, classId, set), registryWrites.audit(audit)]);
}

export interface StoredInstitution extends InstitutionRequest {
  institutionId: string;
}

/** The institution's kind (subject / non-subject) is stored as institutionKind: `kind` is the byKind index's key. */
const institutionItem = ({ kind, ...i }: StoredInstitution) => {
  const n = normaliseName(i.name);
  return { ...keys.institution(n), entity: 'institution', ...i, institutionKind: kind, aliases: i.aliases ?? [], ...kindKeys.institution(n) };
};

export async function insertInstitution(i: StoredInstitution, audit: AuditEntry): Promise<void> {
  await transactNamed([...registryWrites.createInstitution(i), registryWrites.audit(audit)]);
}

export async function getInstitutionById(institutionId: string): Promise<StoredInstitution | undefined> {
  const ref = await documents.send(new GetCommand({ TableName: TABLE, Key: adminKeys.institutionById(institutionId), ConsistentRead: true }));
  if (!ref.Item) return undefined;
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.institution(String(ref.Item.normalisedName)), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { pk: _p, sk: _s, kind: _k, kindSk: _ks, entity: _e, institutionKind, ...rest } = out.Item;
  return { ...rest, kind: institutionKind } as unknown as StoredInstitution;
}

/** Replaces an institution; a new name moves its item (the name is its key), in one transaction. */
export async function replaceInstitution(before: StoredInstitution, after: StoredInstitution, audit: AuditEntry): Promise<void> {
  await transactNamed([...registryWrites.replaceInstitution(before, after), registryWrites.audit(audit)]);
}

export interface StoredUser extends Official {
  displayName?: string;
  disabled?: boolean;
  createdAt?: string;
  /** One-machine accounts: scrypt$N$r$p$salt$hash (lambdas/domain/registry/passwords.ts). */
  passwordHash?: string;
  mustChangePassword?: boolean;
  /** Moves when the official signs out or changes the password (lambdas/domain/registry/sessions.ts). */
  sessionGeneration?: number;
}

export async function insertUser(u: StoredUser, audit: AuditEntry): Promise<void> {
  await transactNamed([...registryWrites.createUser(u), registryWrites.audit(audit)]);
}

export async function getStoredUser(username: string): Promise<StoredUser | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.user(username), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const { pk: _p, sk: _s, kind: _k, kindSk: _ks, entity: _e, ...rest } = out.Item;
  return rest as unknown as StoredUser;
}

/** Disables or enables an account again, with its audit entry. */
export async function setUserDisabled(username: string, disabled: boolean, audit: AuditEntry): Promise<void> {
  await transactNamed([
    ['no_user', update(keys.user(username), { set: { disabled }, condition: exists })],
    ['audit', auditPut(audit)],
  ]);
}

/** Replaces an official's name, role and scope (the scope fields the new role has not are removed). */
export async function updateUserItem(username: string, u: UserUpdate, audit: AuditEntry): Promise<void> {
  const scope = ['unit', 'department', 'schoolId'] as const;
  await transactNamed([
    ['no_user', update(keys.user(username), { set: { displayName: u.displayName, role: u.role, ...Object.fromEntries(scope.filter((f) => u[f]).map((f) => [f, u[f]])) }, remove: scope.filter((f) => !u[f]), condition: exists })],
    ['audit', auditPut(audit)],
  ]);
}

export interface StoredOrgUnit extends OrgUnitUpdate {
  scope: OrgScope;
  code: string;
  updatedBy: string;
  updatedAt: string;
}

/** Every entered unit and department (a dozen items under one byKind partition). */
export async function listOrgUnits(): Promise<StoredOrgUnit[]> {
  return (await queryAll({ TableName: TABLE, IndexName: 'byKind', KeyConditionExpression: '#kind = :kind', ExpressionAttributeNames: { '#kind': 'kind' }, ExpressionAttributeValues: { ':kind': 'org' } })).map((i) => ({
    scope: i.scope as OrgScope,
    code: String(i.code),
    name: String(i.name),
    ...(typeof i.head === 'string' ? { head: i.head } : {}),
    ...(typeof i.phone === 'string' ? { phone: i.phone } : {}),
    updatedBy: String(i.updatedBy),
    updatedAt: String(i.updatedAt),
  }));
}

/** Replaces a unit's entered data (fields left out are cleared: the form sends them all). */
export async function putOrgUnit(u: StoredOrgUnit, audit: AuditEntry): Promise<void> {
  await transactNamed([
    ['org_unit', { Put: { TableName: TABLE, Item: { ...adminKeys.orgUnit(u.scope, u.code), ...adminKindKeys.orgUnit(u.scope, u.code), entity: 'org_unit', ...u } } }],
    ['audit', auditPut(audit)],
  ]);
}

const AUDIT_KEYS = { all: ['pk', 'sk', 'kind', 'kindSk'], one: ['pk', 'sk'] } as const;

/**
 * The audit trail, newest first: of one record (its own partition AUDIT#<about>#<id>), or of the whole
 * registry through byKind kind=audit, optionally of one subject (filtered in the Query: a page may hold
 * fewer than `limit`, the cursor goes on).
 */
export async function listAudit(q: AuditQuery): Promise<{ items: AuditView[]; cursor?: string }> {
  const one = q.about && q.id ? `AUDIT#${q.about}#${q.id}` : undefined;
  const start = one
    ? decodeCursor(q.cursor, AUDIT_KEYS.one, (k) => k.pk === one)
    : decodeCursor(q.cursor, AUDIT_KEYS.all, (k) => k.kind === 'audit' && k.pk.startsWith('AUDIT#'));
  const about = !one && q.about ? { FilterExpression: '#about = :about', names: { '#about': 'about' }, values: { ':about': q.about } } : undefined;
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      ...(one
        ? { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': 'pk' }, ExpressionAttributeValues: { ':pk': one } }
        : {
            IndexName: 'byKind',
            KeyConditionExpression: '#kind = :kind',
            ...(about ? { FilterExpression: about.FilterExpression } : {}),
            ExpressionAttributeNames: { '#kind': 'kind', ...about?.names },
            ExpressionAttributeValues: { ':kind': 'audit', ...about?.values },
          }),
      ScanIndexForward: false,
      Limit: q.limit,
      ExclusiveStartKey: start,
    }),
  );
  const items = (out.Items ?? []).map(({ about, id, action, by, at, changes, import: imp }) => AuditView.parse({ about, id, action, by, at, changes: changes ?? {}, ...(imp ? { import: imp } : {}) }));
  return { items, ...encodeCursor(out.LastEvaluatedKey) };
}
