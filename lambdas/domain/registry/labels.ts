/**
 * The Chinese names a bureau writes in its sheets for the registry's codes. An import cell may hold the code
 * (`group_1`) or one of these names (第一专项工作组, 第一工作组); both mean the same.
 */
import type { Department, Role, Unit } from './schemas';

export const unitNames: Record<Unit, string[]> = {
  group_1: ['第一专项工作组', '第一工作组', '一组'],
  group_2: ['第二专项工作组', '第二工作组', '二组'],
  group_3: ['第三专项工作组', '第三工作组', '三组'],
  group_4: ['第四专项工作组', '第四工作组', '四组'],
  school_supervision: ['督导室', '督导室（学校监管）', '学校监管'],
  teacher_conduct: ['师德师风办', '师德师风'],
};

export const departmentNames: Record<Department, string[]> = {
  education: ['教育', '教育局'],
  public_security: ['公安', '公安局'],
  market_regulation: ['市场监管', '市场监管局'],
  civil_affairs: ['民政', '民政局'],
  housing_construction: ['住建', '住建局'],
  emergency_management: ['应急管理', '应急管理局', '消防', '应急管理（消防）'],
};

export const roleNames: Record<Role, string[]> = {
  admin: ['管理员', '系统管理员'],
  supervisor: ['督导', '督查科', '科室督导'],
  group_officer: ['工作组', '工作组成员', '专项工作组'],
  department_officer: ['部门', '联合执法部门', '部门联络员'],
  school_admin: ['学校管理员', '学校'],
};

export const stageNames = { primary: ['小学'], junior: ['初中', '初级中学'], nine_year: ['九年一贯制', '九年一贯'] } as const;
export const institutionKindNames = { subject: ['学科类'], non_subject: ['非学科类'] } as const;
export const institutionStatusNames = { licensed: ['持证', '已许可', '合规'], unlicensed: ['无证', '无证无照'], revoked: ['已吊销', '吊销'] } as const;

/** The code a cell names, by its code or one of its names; the cell itself when it names none (zod then says why). */
export function codeFor(names: Record<string, readonly string[]>, cell: string): string {
  const v = cell.trim();
  if (v in names) return v;
  const lower = v.toLowerCase();
  if (lower in names) return lower;
  for (const [code, aliases] of Object.entries(names)) if (aliases.includes(v)) return code;
  return v;
}
