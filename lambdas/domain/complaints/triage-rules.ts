/**
 * Triage as plain rules (PRODUCT.md §1, step 2): which unit handles a complaint, given the registry.
 * - homework_burden, after_school_service → the school supervision office;
 * - teacher_paid_tutoring → teacher conduct;
 * - tutoring complaints and `other` → the special working group of the area: the matched institution's
 *   area, else the named school's area, else the groups in turn by receipt serial (spreads unplaced work).
 */
import type { ComplaintCategory, ComplaintSubmission } from './schemas';
import type { Institution, School, Unit } from '../registry/schemas';
import { normaliseName } from '../registry/names';
import type { Triage } from './model';

const MIN_PARTIAL_MATCH = 4;

export function matchInstitution(named: string | undefined, registry: Institution[]): Institution | undefined {
  if (!named) return undefined;
  const n = normaliseName(named);
  if (!n) return undefined;
  const names = (i: Institution) => [i.name, ...i.aliases].map(normaliseName);
  const exact = registry.find((i) => names(i).includes(n));
  if (exact) return exact;
  // "XX培训学校(万达店)" names the same place as "XX培训学校": accept containment of a long enough name.
  if (n.length < MIN_PARTIAL_MATCH) return undefined;
  return registry.find((i) => names(i).some((m) => m.length >= MIN_PARTIAL_MATCH && (n.includes(m) || m.includes(n))));
}

export function matchSchool(named: string | undefined, schools: School[]): School | undefined {
  if (!named) return undefined;
  const n = normaliseName(named);
  return schools.find((s) => normaliseName(s.name) === n) ?? schools.find((s) => n.length >= 4 && (normaliseName(s.name).includes(n) || n.includes(normaliseName(s.name))));
}

const WORKING_GROUPS: Unit[] = ['group_1', 'group_2', 'group_3', 'group_4'];

export function triage(
  complaint: { category: ComplaintCategory; subject: ComplaintSubmission['subject']; receiptNo: string },
  registry: { institutions: Institution[]; schools: School[] },
  at: Date,
): Triage {
  const institution = matchInstitution(complaint.subject.institutionName, registry.institutions);
  const school = matchSchool(complaint.subject.schoolName, registry.schools);
  const institutionStatus: Triage['institutionStatus'] = institution
    ? institution.status
    : complaint.subject.institutionName
      ? 'unregistered'
      : 'not_named';
  const base = {
    institution: institution ? { institutionId: institution.institutionId, name: institution.name, status: institution.status } : null,
    institutionStatus,
    schoolId: school?.schoolId ?? null,
    at: at.toISOString(),
  };

  switch (complaint.category) {
    case 'homework_burden':
    case 'after_school_service':
      return { ...base, unit: 'school_supervision', reason: `category ${complaint.category} goes to the school supervision office` };
    case 'teacher_paid_tutoring':
      return { ...base, unit: 'teacher_conduct', reason: 'in-service teacher tutoring goes to teacher conduct' };
    default: {
      if (institution) return { ...base, unit: institution.area, reason: `institution ${institution.name} lies in the area of ${institution.area}` };
      if (school) return { ...base, unit: school.area, reason: `school ${school.name} lies in the area of ${school.area}` };
      const serial = Number(complaint.receiptNo.slice(-6));
      const unit = WORKING_GROUPS[serial % WORKING_GROUPS.length];
      return { ...base, unit, reason: `no registered institution or school named: assigned to ${unit} in turn` };
    }
  }
}

/** The key under which open cases about the same subject are found (duplicate linking). */
export function subjectKey(subject: ComplaintSubmission['subject'], institution: Institution | undefined): string | undefined {
  if (institution) return `institution:${institution.institutionId}`;
  const name = subject.institutionName && normaliseName(subject.institutionName);
  if (name) return `name:${name}`;
  const address = subject.address && normaliseName(subject.address);
  return address ? `address:${address}` : undefined;
}
