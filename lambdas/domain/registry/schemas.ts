import * as z from 'zod';
import { schema } from '../../platform/schema';

export const roles = ['admin', 'supervisor', 'group_officer', 'department_officer', 'school_admin'] as const;
export const Role = /* @__PURE__ */ schema(() => z.enum(roles));
export type Role = z.infer<typeof Role>;

export const units = ['group_1', 'group_2', 'group_3', 'group_4', 'school_supervision', 'teacher_conduct'] as const;
export const Unit = /* @__PURE__ */ schema(() => z.enum(units));
export type Unit = z.infer<typeof Unit>;

export const departments = [
  'education',
  'public_security',
  'market_regulation',
  'civil_affairs',
  'housing_construction',
  'emergency_management',
] as const;
export const Department = /* @__PURE__ */ schema(() => z.enum(departments));
export type Department = z.infer<typeof Department>;

/** primary 小学, junior 初中, nine_year 九年一贯制. */
export const schoolStages = ['primary', 'junior', 'nine_year'] as const;

export const SchoolClass = /* @__PURE__ */ schema(() => z.object({
  classId: z.string(),
  grade: z.number().int().min(1).max(9),
  name: z.string(),
  enrolled: z.number().int().min(0),
}));
export type SchoolClass = z.infer<typeof SchoolClass>;

export const School = /* @__PURE__ */ schema(() => z
  .object({
    schoolId: z.string(),
    name: z.string(),
    stage: z.enum(schoolStages),
    /** The working group whose area the school lies in. */
    area: Unit,
    /** Weekdays (1 = Monday … 7 = Sunday) the school keeps free of homework (无作业日). */
    noHomeworkWeekdays: z.array(z.number().int().min(1).max(7)).default([]),
    classes: z.array(SchoolClass),
  })
  .meta({ id: 'School' }));
export type School = z.infer<typeof School>;

export const PublicSchool = /* @__PURE__ */ schema(() => School.pick({ schoolId: true, name: true, classes: true }).meta({ id: 'PublicSchool' }));

export const InstitutionStatus = /* @__PURE__ */ schema(() => z.enum(['licensed', 'unlicensed', 'revoked']));
export type InstitutionStatus = z.infer<typeof InstitutionStatus>;

export const Institution = /* @__PURE__ */ schema(() => z.object({
  institutionId: z.string(),
  name: z.string(),
  aliases: z.array(z.string()).default([]),
  address: z.string(),
  status: InstitutionStatus,
  area: Unit,
  kind: z.enum(['subject', 'non_subject']).optional(),
  licenceNo: z.string().optional(),
}));
export type Institution = z.infer<typeof Institution>;

/** An official's identity as carried by the JWT (Cognito custom attributes in AWS). */
export const Official = /* @__PURE__ */ schema(() => z.object({
  username: z.string(),
  role: Role,
  unit: Unit.optional(),
  department: Department.optional(),
  schoolId: z.string().optional(),
}));
export type Official = z.infer<typeof Official>;
/** GET /api/me: the official now, and whether a one-time password still has to be changed. */
export const MeView = /* @__PURE__ */ schema(() => Official.extend({ mustChangePassword: z.boolean().optional() }).meta({ id: 'Me' }));

export const DevLoginRequest = /* @__PURE__ */ schema(() => z.strictObject({ username: z.string().min(1).max(100) }).meta({ id: 'DevLoginRequest' }));

// ---------------------------------------------------------------------------------------------
// Administration (API.md "Administration"): what an admin sends to enter a real district.

const Id = (what: string, max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(/^[a-z0-9][a-z0-9-]*$/, `a ${what} id is lower-case letters, digits and "-", e.g. p06 or p06-g3c1`);
const Name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const Weekdays = z
  .array(z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)'))
  .max(7)
  .refine((d) => new Set(d).size === d.length, 'must not list a weekday twice');

export const SchoolIdPath = /* @__PURE__ */ schema(() => z.object({ schoolId: Id('school', 20) }));
export const ClassPath = /* @__PURE__ */ schema(() => z.object({ schoolId: Id('school', 20), classId: Id('class', 40) }));

export const SchoolRequest = /* @__PURE__ */ schema(() =>
  z.strictObject({ schoolId: Id('school', 20), name: Name, stage: z.enum(schoolStages), area: Unit, noHomeworkWeekdays: Weekdays.optional() }).meta({ id: 'SchoolRequest' }),
);
export type SchoolRequest = z.infer<typeof SchoolRequest>;
export const SchoolUpdate = /* @__PURE__ */ schema(() =>
  z
    .strictObject({ name: Name.optional(), stage: z.enum(schoolStages).optional(), area: Unit.optional(), noHomeworkWeekdays: Weekdays.optional() })
    .refine((u) => Object.keys(u).length > 0, 'must change at least one field')
    .meta({ id: 'SchoolUpdate' }),
);
export type SchoolUpdate = z.infer<typeof SchoolUpdate>;

export const ClassRequest = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      classId: Id('class', 40),
      grade: z.number().int('must be a whole grade').min(1, 'must be grade 1 to 9').max(9, 'must be grade 1 to 9'),
      name: Name,
      enrolled: z.number().int('must be a whole number').min(0, 'must not be negative').max(200, 'must be at most 200 pupils'),
    })
    .meta({ id: 'ClassRequest' }),
);
export type ClassRequest = z.infer<typeof ClassRequest>;
export const ClassUpdate = /* @__PURE__ */ schema(() =>
  z
    .strictObject({ grade: ClassRequest.shape.grade.optional(), name: Name.optional(), enrolled: ClassRequest.shape.enrolled.optional() })
    .refine((u) => Object.keys(u).length > 0, 'must change at least one field')
    .meta({ id: 'ClassUpdate' }),
);
export type ClassUpdate = z.infer<typeof ClassUpdate>;

export const institutionKinds = ['subject', 'non_subject'] as const;
export const InstitutionRequest = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      name: Name,
      address: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
      area: Unit,
      kind: z.enum(institutionKinds),
      status: InstitutionStatus,
      licenceNo: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters').optional(),
      aliases: z.array(Name).max(10, 'must list at most 10 other names').optional(),
    })
    .meta({ id: 'InstitutionRequest' }),
);
export type InstitutionRequest = z.infer<typeof InstitutionRequest>;
export const InstitutionUpdate = /* @__PURE__ */ schema(() =>
  InstitutionRequest.partial()
    .refine((u) => Object.keys(u).length > 0, 'must change at least one field')
    .meta({ id: 'InstitutionUpdate' }),
);
export type InstitutionUpdate = z.infer<typeof InstitutionUpdate>;
export const InstitutionIdPath = /* @__PURE__ */ schema(() => z.object({ institutionId: z.string().regex(/^INST-[0-9A-Z]{10}$/, 'must be an institution id, e.g. INST-0123456789') }));
export const InstitutionQuery = /* @__PURE__ */ schema(() => z.strictObject({ status: InstitutionStatus.optional(), q: z.string().trim().max(100).optional() }));
export type InstitutionQuery = z.infer<typeof InstitutionQuery>;
export const AdminInstitution = /* @__PURE__ */ schema(() =>
  z
    .object({
      institutionId: z.string(),
      name: z.string(),
      aliases: z.array(z.string()),
      address: z.string(),
      area: Unit,
      kind: z.enum(institutionKinds).optional(),
      status: InstitutionStatus,
      licenceNo: z.string().optional(),
    })
    .meta({ id: 'AdminInstitution' }),
);

export const Username = /* @__PURE__ */ schema(() =>
  z
    .string()
    .min(3, 'must be at least 3 characters')
    .max(60, 'must be at most 60 characters')
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'is lower-case letters, digits, ".", "_" and "-"'),
);
export const UsernamePath = /* @__PURE__ */ schema(() => z.object({ username: Username }));
/** The scope each role works in: one unit, one department or one school, and only that. */
function scopeOfRole(u: { role: Role; unit?: unknown; department?: unknown; schoolId?: unknown }, ctx: z.RefinementCtx): void {
  const need = { group_officer: 'unit', department_officer: 'department', school_admin: 'schoolId' } as const;
  for (const [role, field] of Object.entries(need)) {
    if (u.role === role && !u[field]) ctx.addIssue({ code: 'custom', path: [field], message: `is required for the role ${role}` });
    if (u.role !== role && u[field]) ctx.addIssue({ code: 'custom', path: [field], message: `is only for the role ${role}` });
  }
}
const userFields = () => ({ displayName: Name, role: Role, unit: Unit.optional(), department: Department.optional(), schoolId: Id('school', 20).optional() });
export const UserRequest = /* @__PURE__ */ schema(() =>
  z
    .strictObject({ username: Username, ...userFields() })
    .superRefine(scopeOfRole)
    .meta({ id: 'UserRequest' }),
);
/** PUT /api/admin/users/{username}: the official's name, role and scope, all of them (a scope the new role has not is dropped). */
export const UserUpdate = /* @__PURE__ */ schema(() => z.strictObject(userFields()).superRefine(scopeOfRole).meta({ id: 'UserUpdate' }));
export type UserUpdate = z.infer<typeof UserUpdate>;
export type UserRequest = z.infer<typeof UserRequest>;
export const UserView = /* @__PURE__ */ schema(() =>
  z
    .object({
      username: z.string(),
      displayName: z.string().optional(),
      role: Role,
      unit: Unit.optional(),
      department: Department.optional(),
      schoolId: z.string().optional(),
      disabled: z.boolean(),
      createdAt: z.string().optional(),
      /** One-machine mode only, answered once when the account is made: the official changes it on first sign-in. */
      initialPassword: z.string().optional(),
    })
    .meta({ id: 'User' }),
);
export type UserView = z.infer<typeof UserView>;

export const LoginRequest = /* @__PURE__ */ schema(() => z.strictObject({ username: z.string().min(1).max(60), password: z.string().min(1).max(200) }).meta({ id: 'LoginRequest' }));
/** A signed-in session on one machine: an ID token for an hour and a refresh token for the working day. */
export const SessionTokens = /* @__PURE__ */ schema(() =>
  z
    .object({
      token: z.string(),
      refreshToken: z.string(),
      /** Seconds the ID token lives. */
      expiresIn: z.number().int(),
      /** The account still has its one-time password: nothing else works until it is changed (POST /api/auth/password). */
      mustChangePassword: z.boolean(),
    })
    .meta({ id: 'SessionTokens' }),
);
export type SessionTokens = z.infer<typeof SessionTokens>;
export const RefreshRequest = /* @__PURE__ */ schema(() => z.strictObject({ refreshToken: z.string().min(20).max(200) }).meta({ id: 'RefreshRequest' }));
/** At least 10 characters of three kinds (lower, upper, digits, others), not the username. */
export const NewPassword = /* @__PURE__ */ schema(() =>
  z
    .string()
    .min(10, 'must be at least 10 characters')
    .max(200, 'must be at most 200 characters')
    .refine((p) => [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(p)).length >= 3, 'must mix three of: lower-case, upper-case, digits, other characters'),
);
export const PasswordChangeRequest = /* @__PURE__ */ schema(() =>
  z
    .strictObject({ currentPassword: z.string().min(1).max(200), newPassword: NewPassword })
    .refine((r) => r.currentPassword !== r.newPassword, { path: ['newPassword'], message: 'must differ from the current password' })
    .meta({ id: 'PasswordChangeRequest' }),
);

/** POST /api/admin/import: the kind of sheet, and whether only to check it. */
export const importKinds = ['schools', 'classes', 'institutions', 'users'] as const;
export type ImportKind = (typeof importKinds)[number];
export const ImportQuery = /* @__PURE__ */ schema(() =>
  z.strictObject({
    kind: z.enum(importKinds, { message: `must be one of ${importKinds.join(', ')}` }),
    dryRun: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  }),
);
export const ImportReport = /* @__PURE__ */ schema(() =>
  z
    .object({
      kind: z.enum(importKinds),
      dryRun: z.boolean(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
      ignoredColumns: z.array(z.string()),
      accounts: z.array(z.object({ username: z.string(), initialPassword: z.string() })).optional(),
    })
    .meta({ id: 'ImportReport' }),
);
export type ImportReport = z.infer<typeof ImportReport>;

// ---------------------------------------------------------------------------------------------
// The organisation: working units (the four working groups, supervision, teacher conduct) and the joint
// departments. Their codes belong to the workflow (triage routes by them, tasks are scoped by them);
// their names, head and phone are the district's data, kept by the admin.

export const orgScopes = ['units', 'departments'] as const;
export type OrgScope = (typeof orgScopes)[number];
const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+()\- ]{5,30}$/, 'must be a phone number (digits, spaces, "-", "+", brackets)');
export const OrgUnitPath = /* @__PURE__ */ schema(() =>
  z
    .object({ scope: z.enum(orgScopes, { message: 'must be units or departments' }), code: z.string().max(40) })
    .superRefine((p, ctx) => {
      const codes: readonly string[] = p.scope === 'units' ? units : departments;
      if (!codes.includes(p.code)) ctx.addIssue({ code: 'custom', path: ['code'], message: `must be one of ${codes.join(', ')}` });
    }),
);
export type OrgUnitPath = z.infer<typeof OrgUnitPath>;
export const OrgUnitUpdate = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      name: Name,
      head: Name.optional(),
      phone: Phone.optional(),
    })
    .meta({ id: 'OrgUnitUpdate' }),
);
export type OrgUnitUpdate = z.infer<typeof OrgUnitUpdate>;
export const OrgUnitView = /* @__PURE__ */ schema(() =>
  z
    .object({
      scope: z.enum(orgScopes),
      code: z.string(),
      name: z.string(),
      head: z.string().optional(),
      phone: z.string().optional(),
      /** Whether an admin has entered it (else the name is the platform's default). */
      entered: z.boolean(),
      updatedBy: z.string().optional(),
      updatedAt: z.string().optional(),
    })
    .meta({ id: 'OrgUnit' }),
);
export type OrgUnitView = z.infer<typeof OrgUnitView>;
export const Organisation = /* @__PURE__ */ schema(() => z.object({ units: z.array(OrgUnitView), departments: z.array(OrgUnitView) }).meta({ id: 'Organisation' }));
export type Organisation = z.infer<typeof Organisation>;

// ---------------------------------------------------------------------------------------------
// The audit trail: every registry change, newest first; of one record when about and id are given.

export const auditSubjects = ['school', 'class', 'institution', 'user', 'calendar', 'unit', 'department'] as const;
export type AuditSubject = (typeof auditSubjects)[number];
export const AuditQuery = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      about: z.enum(auditSubjects, { message: `must be one of ${auditSubjects.join(', ')}` }).optional(),
      id: z.string().min(1).max(100).optional(),
      cursor: z.string().max(2000).optional(),
      limit: z.coerce.number().int().min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
    })
    .superRefine((q, ctx) => {
      if (q.id && !q.about) ctx.addIssue({ code: 'custom', path: ['about'], message: 'is required with id (what the id names)' });
    }),
);
export type AuditQuery = z.infer<typeof AuditQuery>;
export const AuditView = /* @__PURE__ */ schema(() =>
  z
    .object({
      about: z.enum(auditSubjects),
      id: z.string(),
      action: z.enum(['created', 'updated', 'disabled', 'enabled']),
      by: z.string(),
      at: z.string(),
      changes: z.record(z.string(), z.unknown()),
      import: z.object({ importId: z.string(), row: z.number().int() }).optional(),
    })
    .meta({ id: 'AuditEntry' }),
);
export type AuditView = z.infer<typeof AuditView>;
export const AuditPage = /* @__PURE__ */ schema(() => z.object({ items: z.array(AuditView), cursor: z.string().optional() }).meta({ id: 'AuditPage' }));
