/**
 * Data access for the registries (table spec: lib/spec/tables.ts → registry). Schools and their classes
 * share pk SCHOOL#<schoolId>; every entry carries kind + kindSk for the byKind index, so whole kinds
 * are listed with a Query, never a Scan.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documents, queryAll } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import { Official, type Institution, type School, type SchoolClass } from './schemas';
import type { StoredUser } from './admin-repository';

const TABLE = tableNameFor('registry');

export const keys = {
  school: (schoolId: string) => ({ pk: `SCHOOL#${schoolId}`, sk: 'SCHOOL' }),
  schoolClass: (schoolId: string, classId: string) => ({ pk: `SCHOOL#${schoolId}`, sk: `CLASS#${classId}` }),
  institution: (normalisedName: string) => ({ pk: `INSTITUTION#${normalisedName}`, sk: 'INSTITUTION' }),
  user: (username: string) => ({ pk: `USER#${username}`, sk: 'USER' }),
  /** A class looked up by its id alone (homework notices name only the class). */
  classById: (classId: string) => ({ pk: `CLASS#${classId}`, sk: 'CLASS' }),
};

/** byKind index attributes: every entry of a kind under one partition, sorted for listing. */
export const kindKeys = {
  school: (schoolId: string) => ({ kind: 'school', kindSk: `${schoolId}#` }),
  schoolClass: (schoolId: string, classId: string) => ({ kind: 'school', kindSk: `${schoolId}#CLASS#${classId}` }),
  institution: (normalisedName: string) => ({ kind: 'institution', kindSk: normalisedName }),
  user: (username: string) => ({ kind: 'user', kindSk: username }),
};

const queryKind = (kind: string) =>
  queryAll({
    TableName: TABLE,
    IndexName: 'byKind',
    KeyConditionExpression: '#kind = :kind',
    ExpressionAttributeNames: { '#kind': 'kind' },
    ExpressionAttributeValues: { ':kind': kind },
  });

/** Data dirs made before the admin routes call junior schools junior_secondary. */
const stageOf = (stage: unknown): School['stage'] => (stage === 'junior_secondary' ? 'junior' : (stage as School['stage']));

/** Every official, with the account fields the admin sees (the caller drops the password hash). */
export async function listUsers(): Promise<StoredUser[]> {
  return (await queryKind('user')).map(({ pk: _p, sk: _s, kind: _k, kindSk: _ks, entity: _e, ...rest }) => rest as unknown as StoredUser).sort((a, b) => a.username.localeCompare(b.username));
}

export async function listSchools(): Promise<School[]> {
  const items = await queryKind('school');
  const schools = new Map<string, School>();
  for (const item of items.filter((i) => i.sk === 'SCHOOL')) {
    schools.set(item.schoolId as string, {
      schoolId: item.schoolId as string,
      name: item.name as string,
      stage: stageOf(item.stage),
      area: item.area as School['area'],
      noHomeworkWeekdays: (item.noHomeworkWeekdays as number[] | undefined) ?? [],
      classes: [],
    });
  }
  for (const item of items.filter((i) => String(i.sk).startsWith('CLASS#'))) {
    schools.get(item.schoolId as string)?.classes.push({
      classId: item.classId as string,
      grade: Number(item.grade),
      name: item.name as string,
      enrolled: Number(item.enrolled),
    });
  }
  for (const s of schools.values()) s.classes.sort((a, b) => a.grade - b.grade || a.classId.localeCompare(b.classId));
  return [...schools.values()].sort((a, b) => a.schoolId.localeCompare(b.schoolId));
}

export async function listInstitutions(): Promise<Institution[]> {
  return (await queryKind('institution')).map((i) => ({
    institutionId: i.institutionId as string,
    name: i.name as string,
    aliases: (i.aliases as string[] | undefined) ?? [],
    address: i.address as string,
    status: i.status as Institution['status'],
    area: i.area as Institution['area'],
    ...(i.institutionKind ? { kind: i.institutionKind as NonNullable<Institution['kind']> } : {}),
    ...(i.licenceNo ? { licenceNo: String(i.licenceNo) } : {}),
  }));
}

export interface ClassOfSchool extends SchoolClass {
  schoolId: string;
}

export async function getClass(classId: string): Promise<ClassOfSchool | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.classById(classId) }));
  if (!out.Item) return undefined;
  const i = out.Item;
  return { classId: i.classId as string, schoolId: i.schoolId as string, grade: Number(i.grade), name: i.name as string, enrolled: Number(i.enrolled) };
}

export async function getSchool(schoolId: string): Promise<Omit<School, 'classes'> | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.school(schoolId) }));
  if (!out.Item) return undefined;
  const i = out.Item;
  return { schoolId, name: i.name as string, stage: stageOf(i.stage), area: i.area as School['area'], noHomeworkWeekdays: (i.noHomeworkWeekdays as number[] | undefined) ?? [] };
}

/** The account as the registry has it now: disabled or not, its current role and scope, its session generation, a pending password change. */
export interface AccountNow {
  disabled: boolean;
  official?: Official;
  generation: number;
  mustChangePassword: boolean;
}
export async function accountOf(username: string): Promise<AccountNow | undefined> {
  const out = await documents.send(
    new GetCommand({
      TableName: TABLE,
      Key: keys.user(username),
      ProjectionExpression: '#u, #r, #un, #d, #s, #x, #g, #m',
      ExpressionAttributeNames: { '#u': 'username', '#r': 'role', '#un': 'unit', '#d': 'department', '#s': 'schoolId', '#x': 'disabled', '#g': 'sessionGeneration', '#m': 'mustChangePassword' },
    }),
  );
  if (!out?.Item) return undefined;
  const { disabled, sessionGeneration, mustChangePassword, ...rest } = out.Item;
  const official = Official.safeParse(rest);
  return { disabled: disabled === true, generation: typeof sessionGeneration === 'number' ? sessionGeneration : 0, mustChangePassword: mustChangePassword === true, ...(official.success ? { official: official.data } : {}) };
}
