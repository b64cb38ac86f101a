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
    stage: z.enum(['primary', 'junior_secondary']),
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

export const DevLoginRequest = /* @__PURE__ */ schema(() => z.strictObject({ username: z.string().min(1).max(100) }).meta({ id: 'DevLoginRequest' }));
export const DevLoginResponse = /* @__PURE__ */ schema(() => z.object({ token: z.string() }).meta({ id: 'DevLoginResponse' }));
