import { inboxOf, mayWork } from '../../../lambdas/domain/tasks/access';
import { decisionData, decisionsOf } from '../../../lambdas/domain/tasks/schemas';
import type { Official } from '../../../lambdas/domain/registry/schemas';

const official = (o: Partial<Official> & Pick<Official, 'role'>): Official => ({ username: 'x', ...o });

describe('task decisions follow API.md', () => {
  it.each([
    ['accept_case', ['accept', 'transfer']],
    ['investigate', ['unfounded', 'violation_confirmed']],
    ['department_signoff', ['signed']],
    ['reinspect', ['rectified', 'not_rectified']],
  ] as const)('%s offers %j', (kind, decisions) => {
    expect(decisionsOf(kind)).toEqual(decisions);
  });

  it.each([
    ['a transfer needs a known unit', decisionData.accept_case.transfer, { unit: 'group_5' }, false],
    ['a transfer to a unit', decisionData.accept_case.transfer, { unit: 'teacher_conduct' }, true],
    ['unfounded needs findings', decisionData.investigate.unfounded, {}, false],
    ['a violation may need no department', decisionData.investigate.violation_confirmed, { findings: 'x', departments: [] }, true],
    ['a violation names each department once', decisionData.investigate.violation_confirmed, { findings: 'x', departments: ['education', 'education'] }, false],
    ['a violation names only known departments', decisionData.investigate.violation_confirmed, { findings: 'x', departments: ['tax'] }, false],
    ['a deadline of 0 working days is refused', decisionData.investigate.violation_confirmed, { findings: 'x', departments: [], rectificationDays: 0 }, false],
    ['a sign-off says what was done', decisionData.department_signoff.signed, { action: '  ' }, false],
    ['unknown data fields are refused', decisionData.reinspect.rectified, { extra: 1 }, false],
  ])('%s', (_what, schema, data, ok) => {
    expect(schema.safeParse(data).success).toBe(ok);
  });
});

describe('who works which task', () => {
  it.each([
    [{ role: 'group_officer', unit: 'group_1' }, { role: 'group_officer', unit: 'group_1' }, true],
    [{ role: 'group_officer', unit: 'group_2' }, { role: 'group_officer', unit: 'group_1' }, false],
    [{ role: 'supervisor' }, { role: 'group_officer', unit: 'group_1' }, false],
    [{ role: 'supervisor' }, { role: 'supervisor' }, true],
    [{ role: 'department_officer', department: 'education' }, { role: 'department_officer', department: 'education' }, true],
    [{ role: 'department_officer', department: 'civil_affairs' }, { role: 'department_officer', department: 'education' }, false],
    [{ role: 'admin' }, { role: 'supervisor' }, false],
    [{ role: 'school_admin', schoolId: 'p06' }, { role: 'group_officer', unit: 'school_supervision' }, false],
  ] as const)('%j on a task for %j: %s', (who, assignee, allowed) => {
    expect(mayWork(official(who), assignee)).toBe(allowed);
  });

  it('gives each official one inbox, and none to roles without workflow tasks', () => {
    expect(inboxOf(official({ role: 'group_officer', unit: 'teacher_conduct' }))).toBe('UNIT#teacher_conduct');
    expect(inboxOf(official({ role: 'department_officer', department: 'public_security' }))).toBe('DEPT#public_security');
    expect(inboxOf(official({ role: 'supervisor' }))).toBe('ROLE#supervisor');
    expect(inboxOf(official({ role: 'admin' }))).toBeUndefined();
    expect(inboxOf(official({ role: 'school_admin', schoolId: 'p06' }))).toBeUndefined();
  });
});
