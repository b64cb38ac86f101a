import { matchInstitution, subjectKey, triage } from '../../../lambdas/domain/complaints/triage-rules';
import type { ComplaintCategory } from '../../../lambdas/domain/complaints/schemas';
import { demoInstitutions, demoSchools } from '../../../local/seed/demo-district';

const registry = { institutions: demoInstitutions, schools: demoSchools };
const at = new Date('2026-11-28T02:00:00Z');
const complaint = (category: ComplaintCategory, subject: Record<string, string> = {}, receiptNo = 'TS-2026-000007') => ({ category, subject, receiptNo });

describe('triage routes each complaint to the unit that handles it', () => {
  it.each([
    ['homework_burden', 'school_supervision'],
    ['after_school_service', 'school_supervision'],
    ['teacher_paid_tutoring', 'teacher_conduct'],
  ] as const)('a %s complaint goes to %s whatever institution it names', (category, unit) => {
    expect(triage(complaint(category, { institutionName: '状元补习班' }), registry, at).unit).toBe(unit);
  });

  it('a complaint about a registered institution goes to the working group of its area and records its licence status', () => {
    const t = triage(complaint('unlicensed_tutoring', { institutionName: '状元补习班' }), registry, at);
    expect(t).toMatchObject({ unit: 'group_4', institutionStatus: 'unlicensed', institution: { institutionId: 'INST-DEMO000004' } });
  });

  it('matches an institution by alias, width and punctuation aside', () => {
    expect(matchInstitution('启航　艺术，培训学校', demoInstitutions)?.institutionId).toBe('INST-DEMO000001');
    expect(matchInstitution('博学 教育。', demoInstitutions)?.institutionId).toBe('INST-DEMO000003');
    expect(matchInstitution('博学教育培训中心（万达店）', demoInstitutions)?.institutionId).toBe('INST-DEMO000003');
  });

  it('does not match on a short fragment that many names contain', () => {
    expect(matchInstitution('培训', demoInstitutions)).toBeUndefined();
  });

  it('marks a named institution missing from the registry as unregistered: itself a sign of a black class', () => {
    const t = triage(complaint('unlicensed_tutoring', { institutionName: '无名地下补课点' }), registry, at);
    expect(t.institutionStatus).toBe('unregistered');
    expect(t.institution).toBeNull();
  });

  it('falls back to the named school’s area, then to the groups in turn', () => {
    expect(triage(complaint('other', { schoolName: '前进区第十六小学' }), registry, at).unit).toBe('group_3');
    const units = [1, 2, 3, 4].map((n) => triage(complaint('other', {}, `TS-2026-00000${n}`), registry, at).unit);
    expect(new Set(units).size).toBe(4);
  });

  it('keys duplicates by institution when registered, else by the name or the address given', () => {
    expect(subjectKey({ institutionName: '状元辅导' }, demoInstitutions[3])).toBe('institution:INST-DEMO000004');
    expect(subjectKey({ institutionName: '某某 补习点' }, undefined)).toBe('name:某某补习点');
    expect(subjectKey({ address: '永安小区 5号楼' }, undefined)).toBe('address:永安小区5号楼');
    expect(subjectKey({}, undefined)).toBeUndefined();
  });
});
