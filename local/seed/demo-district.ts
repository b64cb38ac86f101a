/**
 * The demo district: 前进区 (Qianjin District), after the bureau's published reply (shared/bureau-reply.zh.txt).
 * The reply names the Sixth and Eleventh Primary School Education Groups and the Sixteenth Primary School
 * among the district's five primary schools; the other schools, the classes, the enrolment counts and the
 * institutions are invented for the demo.
 */
import type { Institution, Official, School, SchoolClass, Unit } from '../../lambdas/domain/registry/schemas';
import { departmentNames, unitNames } from '../../lambdas/domain/registry/labels';
import { departments, units } from '../../lambdas/domain/registry/schemas';

function classes(schoolId: string, grades: number[], perGrade: number, base: number): SchoolClass[] {
  const out: SchoolClass[] = [];
  for (const grade of grades) {
    for (let n = 1; n <= perGrade; n++) {
      // Deterministic, plausible class sizes between base and base+9.
      const enrolled = base + ((grade * 7 + n * 3) % 10);
      out.push({ classId: `${schoolId}-g${grade}c${n}`, grade, name: `${grade}年级${n}班`, enrolled });
    }
  }
  return out;
}

const school = (schoolId: string, name: string, stage: School['stage'], area: Unit, grades: number[], perGrade: number, base: number, noHomeworkWeekdays: number[] = []): School => ({
  schoolId,
  name,
  stage,
  area,
  noHomeworkWeekdays,
  classes: classes(schoolId, grades, perGrade, base),
});

const PRIMARY = [1, 2, 3, 4, 5, 6];

export const demoSchools: School[] = [
  school('p06', '前进区第六小学教育集团', 'primary', 'group_1', PRIMARY, 3, 40, [3]), // 无作业日: every Wednesday
  school('p11', '前进区第十一小学教育集团', 'primary', 'group_2', PRIMARY, 3, 41),
  school('p16', '前进区第十六小学', 'primary', 'group_3', PRIMARY, 2, 30, [5]), // 无作业日: every Friday
  school('p03', '前进区第三小学', 'primary', 'group_4', PRIMARY, 2, 38),
  school('p09', '前进区第九小学', 'primary', 'group_1', PRIMARY, 2, 36),
  school('m04', '前进区第四中学', 'junior', 'group_2', [7, 8, 9], 4, 45),
];

export const demoInstitutions: Institution[] = [
  { institutionId: 'INST-DEMO000001', kind: 'non_subject', name: '启航艺术培训学校', aliases: ['启航艺术'], address: '前进区长安路18号', status: 'licensed', area: 'group_1' },
  { institutionId: 'INST-DEMO000002', kind: 'non_subject', name: '智慧树体育俱乐部', aliases: [], address: '前进区光复路66号', status: 'licensed', area: 'group_2' },
  { institutionId: 'INST-DEMO000003', kind: 'subject', name: '博学教育培训中心', aliases: ['博学教育'], address: '前进区友谊路120号', status: 'revoked', area: 'group_3' },
  { institutionId: 'INST-DEMO000004', kind: 'subject', name: '状元补习班', aliases: ['状元辅导'], address: '前进区永安小区5号楼', status: 'unlicensed', area: 'group_4' },
  { institutionId: 'INST-DEMO000005', kind: 'subject', name: '阳光作业托管', aliases: [], address: '前进区中山街32号', status: 'unlicensed', area: 'group_1' },
  { institutionId: 'INST-DEMO000006', kind: 'subject', name: '英才学科辅导', aliases: ['英才教育'], address: '前进区胜利路8号', status: 'revoked', area: 'group_2' },
  { institutionId: 'INST-DEMO000007', kind: 'non_subject', name: '围棋之家', aliases: [], address: '前进区杏林路9号', status: 'licensed', area: 'group_3' },
  { institutionId: 'INST-DEMO000008', kind: 'subject', name: '名师一对一家教', aliases: [], address: '前进区站前街3号', status: 'unlicensed', area: 'group_4' },
];

type DemoUser = Official & { displayName: string };
export const demoUsers: DemoUser[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'supervisor', displayName: '督导科', role: 'supervisor' },
  ...units.map((unit): DemoUser => ({ username: unit, displayName: unitNames[unit][0], role: 'group_officer', unit })),
  ...departments.map((department): DemoUser => ({ username: `dept_${department}`, displayName: `${departmentNames[department][0]}联络员`, role: 'department_officer', department })),
  ...demoSchools.map((s): DemoUser => ({ username: `school_admin_${s.schoolId}`, displayName: `${s.name}管理员`, role: 'school_admin', schoolId: s.schoolId })),
];
