/**
 * Administration of the registries (API.md "Administration"): the admin enters the district's schools,
 * classes, institutions and officials. Every change is audited in its own transaction; a duplicate or a
 * change to something that is not there is a 409 or 404 naming it, never a half-written record.
 */
import { randomBytes } from 'node:crypto';
import { clock } from '../../platform/clock';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../platform/errors';
import {
  getInstitutionById,
  getStoredUser,
  insertClass,
  insertInstitution,
  insertSchool,
  insertUser,
  listAudit,
  listOrgUnits,
  putOrgUnit,
  RegistryConflict,
  replaceInstitution,
  setUserDisabled,
  updateUserItem,
  updateClassItems,
  updateSchoolItem,
  type AuditEntry,
  type StoredInstitution,
  type StoredUser,
} from './admin-repository';
import { getSchool, listInstitutions, listSchools, listUsers } from './registry-repository';
import { departmentNames, unitNames } from './labels';
import { hashPassword, initialPassword } from './passwords';
import { AccountExistsError, createCognitoAccount, deleteCognitoAccount, disableCognitoAccount, enableCognitoAccount, officialsInCognito, updateCognitoAccount } from '../../platform/officials-directory';
import { departments, units, type AuditQuery, type ClassRequest, type ClassUpdate, type InstitutionQuery, type InstitutionRequest, type InstitutionUpdate, type Official, type Organisation, type OrgUnitPath, type OrgUnitUpdate, type OrgUnitView, type SchoolRequest, type SchoolUpdate, type UserRequest, type UserUpdate, type UserView } from './schemas';
import { normaliseName } from './names';

export function requireAdmin(official: Official): void {
  if (official.role !== 'admin') throw new ForbiddenError('Only the admin keeps the registries');
}

const by = (o: Official) => `${o.role}:${o.username}`;
const audit = (o: Official, about: AuditEntry['about'], id: string, action: AuditEntry['action'], changes: Record<string, unknown>): AuditEntry => ({ about, id, action, by: by(o), at: clock.now().toISOString(), changes });

/** A failed condition as the admin should read it. */
function conflict(err: unknown, messages: Record<string, () => Error>): never {
  if (err instanceof RegistryConflict && messages[err.what]) throw messages[err.what]();
  throw err;
}

export async function createSchool(o: Official, req: SchoolRequest) {
  requireAdmin(o);
  try {
    await insertSchool(req, audit(o, 'school', req.schoolId, 'created', req));
  } catch (err) {
    conflict(err, { school_exists: () => new ConflictError(`A school ${req.schoolId} exists already`, 'school_exists') });
  }
  return { ...req, noHomeworkWeekdays: req.noHomeworkWeekdays ?? [], classes: [] };
}

export async function updateSchool(o: Official, schoolId: string, req: SchoolUpdate) {
  requireAdmin(o);
  try {
    await updateSchoolItem(schoolId, req, audit(o, 'school', schoolId, 'updated', req));
  } catch (err) {
    conflict(err, { no_school: () => new NotFoundError(`No school ${schoolId}`) });
  }
  return (await getSchool(schoolId)) as NonNullable<Awaited<ReturnType<typeof getSchool>>>;
}

export async function addClass(o: Official, schoolId: string, req: ClassRequest) {
  requireAdmin(o);
  try {
    await insertClass(schoolId, req, audit(o, 'class', req.classId, 'created', { schoolId, ...req }));
  } catch (err) {
    conflict(err, {
      no_school: () => new NotFoundError(`No school ${schoolId}`),
      class_exists: () => new ConflictError(`A class ${req.classId} exists already (class ids are unique in the district)`, 'class_exists'),
    });
  }
  return { schoolId, ...req };
}

export async function updateClass(o: Official, schoolId: string, classId: string, req: ClassUpdate) {
  requireAdmin(o);
  try {
    await updateClassItems(schoolId, classId, req, audit(o, 'class', classId, 'updated', { schoolId, ...req }));
  } catch (err) {
    conflict(err, { no_class: () => new NotFoundError(`No class ${classId} at school ${schoolId}`) });
  }
  return { schoolId, classId, ...req };
}

const newInstitutionId = () => `INST-${Array.from(randomBytes(10), (b) => '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'[b % 34]).join('')}`;

export async function createInstitution(o: Official, req: InstitutionRequest): Promise<StoredInstitution> {
  requireAdmin(o);
  if (!normaliseName(req.name)) throw new InvalidInputError('The name has no letters', [{ field: 'name', message: 'must contain letters or digits', in: 'body' }]);
  const institution: StoredInstitution = { institutionId: newInstitutionId(), ...req, aliases: req.aliases ?? [] };
  try {
    await insertInstitution(institution, audit(o, 'institution', institution.institutionId, 'created', req));
  } catch (err) {
    conflict(err, { institution_exists: () => new ConflictError(`An institution named ${req.name} exists already`, 'institution_exists') });
  }
  return institution;
}

export async function updateInstitution(o: Official, institutionId: string, req: InstitutionUpdate): Promise<StoredInstitution> {
  requireAdmin(o);
  const before = await getInstitutionById(institutionId);
  if (!before) throw new NotFoundError(`No institution ${institutionId}`);
  const after: StoredInstitution = { ...before, ...req, institutionId };
  if (!normaliseName(after.name)) throw new InvalidInputError('The name has no letters', [{ field: 'name', message: 'must contain letters or digits', in: 'body' }]);
  try {
    await replaceInstitution(before, after, audit(o, 'institution', institutionId, 'updated', req));
  } catch (err) {
    conflict(err, {
      institution_exists: () => new ConflictError(`An institution named ${after.name} exists already`, 'institution_exists'),
      no_institution: () => new ConflictError('The institution changed meanwhile: read it again', 'stale'),
    });
  }
  return after;
}

export async function institutionsForAdmin(o: Official, q: InstitutionQuery) {
  requireAdmin(o);
  const needle = q.q ? normaliseName(q.q) : '';
  return (await listInstitutions())
    .filter((i) => !q.status || i.status === q.status)
    .filter((i) => !needle || [i.name, ...i.aliases, i.address].some((s) => normaliseName(s).includes(needle)))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh'));
}

/**
 * A new official with a one-time initial password, answered once: in AWS a Cognito account whose temporary
 * password it is (changed at the first hosted sign-in); on one machine a local account that keeps only its
 * scrypt hash (POST /api/auth/login takes it). Role scopes are checked: a school administrator's school
 * must exist.
 */
export async function createUser(o: Official, req: UserRequest): Promise<UserView> {
  requireAdmin(o);
  if (req.schoolId && !(await getSchool(req.schoolId))) throw new InvalidInputError('No such school', [{ field: 'schoolId', message: 'must be a school of the registry', in: 'body' }]);
  const password = initialPassword();
  const createdAt = clock.now().toISOString();
  const exists = () => new ConflictError(`A user ${req.username} exists already`, 'user_exists');
  const inCognito = officialsInCognito();
  if (inCognito) {
    // The account first (its username is unique in the pool), then the registry item; undone if that fails.
    try {
      await createCognitoAccount(req, password);
    } catch (err) {
      if (err instanceof AccountExistsError) throw exists();
      throw err;
    }
  }
  try {
    await insertUser(
      { ...req, createdAt, disabled: false, ...(inCognito ? {} : { passwordHash: await hashPassword(password), mustChangePassword: true }) },
      audit(o, 'user', req.username, 'created', req),
    );
  } catch (err) {
    if (inCognito) await deleteCognitoAccount(req.username);
    conflict(err, { user_exists: exists });
  }
  return { ...req, disabled: false, createdAt, initialPassword: password };
}

/** What the admin sees of an account: never its password hash or session state. */
const userView = ({ passwordHash: _h, mustChangePassword: _m, sessionGeneration: _g, ...u }: StoredUser): UserView => ({ ...u, disabled: u.disabled ?? false });

export async function usersForAdmin(o: Official): Promise<UserView[]> {
  requireAdmin(o);
  return (await listUsers()).map(userView);
}

export async function disableUser(o: Official, username: string): Promise<UserView> {
  requireAdmin(o);
  if (username === o.username) throw new ConflictError('An admin does not disable their own account', 'own_account');
  return setDisabled(o, username, true);
}

/**
 * A new name, role or scope for an official (moved to another school, another working group): the registry
 * first, which every request reads (so it applies at once), then the Cognito attributes, for new tokens.
 */
export async function updateUser(o: Official, username: string, req: UserUpdate): Promise<UserView> {
  requireAdmin(o);
  if (username === o.username && req.role !== 'admin') throw new ConflictError('An admin does not take away their own admin role', 'own_account');
  if (req.schoolId && !(await getSchool(req.schoolId))) throw new InvalidInputError('No such school', [{ field: 'schoolId', message: 'must be a school of the registry', in: 'body' }]);
  try {
    await updateUserItem(username, req, audit(o, 'user', username, 'updated', req));
  } catch (err) {
    conflict(err, { no_user: () => new NotFoundError(`No user ${username}`) });
  }
  await updateCognitoAccount({ username, ...req });
  return userView((await getStoredUser(username)) as StoredUser);
}

/** The account signs in again (a disabled official who came back, or one disabled by mistake). */
export async function enableUser(o: Official, username: string): Promise<UserView> {
  requireAdmin(o);
  return setDisabled(o, username, false);
}

async function setDisabled(o: Official, username: string, disabled: boolean): Promise<UserView> {
  if (!(await getStoredUser(username))) throw new NotFoundError(`No user ${username}`);
  // Disabling: the account first, so that once it is disabled nobody signs in with it, whatever the registry
  // says. Enabling: the registry first, so that a half-done enable leaves the account still refused.
  if (disabled) await disableCognitoAccount(username);
  try {
    await setUserDisabled(username, disabled, audit(o, 'user', username, disabled ? 'disabled' : 'enabled', {}));
  } catch (err) {
    conflict(err, { no_user: () => new NotFoundError(`No user ${username}`) });
  }
  if (!disabled) await enableCognitoAccount(username);
  return userView((await getStoredUser(username)) as StoredUser);
}

/** Every school with its stage, area, no-homework days and classes (the public list shows names only). */
export async function schoolsForAdmin(o: Official) {
  requireAdmin(o);
  return listSchools();
}

/** The audit trail, newest first: of the whole registry, of one kind of record, or of one record. */
export async function auditTrail(o: Official, q: AuditQuery) {
  requireAdmin(o);
  return listAudit(q);
}

/** The platform's name of a unit or department until the admin enters the district's own. */
const defaultName = (scope: 'units' | 'departments', code: string): string => (scope === 'units' ? unitNames[code as keyof typeof unitNames] : departmentNames[code as keyof typeof departmentNames])[0];

/** The working units and joint departments, in the workflow's order, with what the admin entered for each. */
export async function organisation(o: Official): Promise<Organisation> {
  requireAdmin(o);
  const entered = new Map((await listOrgUnits()).map((u) => [`${u.scope}#${u.code}`, u]));
  const view = (scope: 'units' | 'departments', code: string): OrgUnitView => {
    const e = entered.get(`${scope}#${code}`);
    return e ? { ...e, entered: true } : { scope, code, name: defaultName(scope, code), entered: false };
  };
  return { units: units.map((c) => view('units', c)), departments: departments.map((c) => view('departments', c)) };
}

export async function updateOrgUnit(o: Official, path: OrgUnitPath, req: OrgUnitUpdate): Promise<OrgUnitView> {
  requireAdmin(o);
  const stored = { scope: path.scope, code: path.code, ...req, updatedBy: by(o), updatedAt: clock.now().toISOString() };
  await putOrgUnit(stored, audit(o, path.scope === 'units' ? 'unit' : 'department', path.code, 'updated', req));
  return { ...stored, entered: true };
}
