/**
 * What officials see of cases, by role and scope (PRODUCT.md "Roles"):
 * - supervisor and admin read every case; a group officer only the cases its unit handles now;
 *   a department officer the cases its department was asked to sign off; school admins none.
 * - the complainant's contact only to the handling unit and supervisors, and each such read is itself
 *   recorded in the audit trail.
 */
import { clock } from '../../platform/clock';
import { districtTimestamp } from '../../platform/dates';
import { ForbiddenError, NotFoundError } from '../../platform/errors';
import type { Official } from '../registry/schemas';
import { appendEvent, getComplaint, listEvents, listFollowers, queryQueue } from './complaint-repository';
import { getSealedContact } from './contact-repository';
import { caseEvent } from './events';
import type { Complaint, Contact, SealedContact } from './model';
import { publicStatuses, type OfficialCaseView, type QueueQuery } from './schemas';

function mayRead(official: Official, complaint: Complaint, departmentsAsked: Set<string>): boolean {
  switch (official.role) {
    case 'supervisor':
    case 'admin':
      return true;
    case 'group_officer':
      return official.unit !== undefined && official.unit === complaint.unit;
    case 'department_officer':
      return official.department !== undefined && departmentsAsked.has(official.department);
    default:
      return false;
  }
}

const mayReadContact = (official: Official, complaint: Complaint) =>
  official.role === 'supervisor' || (official.role === 'group_officer' && official.unit === complaint.unit);

/**
 * Decrypts a stored contact (contact-cipher's openContact). Passed in by the one handler granted
 * kms:Decrypt (GET /api/cases/{receiptNo}), so that the queue's function, which shares this module,
 * needs neither the key's configuration nor a grant on it.
 */
export type ContactOpener = (receiptNo: string, sealed: SealedContact) => Promise<Contact>;

export async function caseForOfficial(official: Official, receiptNo: string, openContact: ContactOpener): Promise<OfficialCaseView> {
  const complaint = await getComplaint(receiptNo);
  if (!complaint) throw new NotFoundError('No such case');
  const events = await listEvents(receiptNo);
  const departmentsAsked = new Set(events.filter((e) => e.data.kind === 'department_signoff' && typeof e.data.department === 'string').map((e) => e.data.department as string));
  if (!mayRead(official, complaint, departmentsAsked)) throw new ForbiddenError('This case is handled by another unit');
  let contact: OfficialCaseView['contact'];
  if (complaint.hasContact && mayReadContact(official, complaint)) {
    const sealed = await getSealedContact(receiptNo);
    contact = sealed && (await openContact(receiptNo, sealed));
    // Shown only once recorded: a failed audit write answers an error, not the contact.
    await appendEvent(caseEvent(receiptNo, 'contact.viewed', clock.now(), `official:${official.username}`, { internalNote: 'complainant contact shown' }));
  }
  return {
    receiptNo,
    category: complaint.category,
    status: complaint.status,
    description: complaint.description,
    subject: complaint.subject as Record<string, string>,
    ...(complaint.occurredOn ? { occurredOn: complaint.occurredOn } : {}),
    submittedAt: districtTimestamp(new Date(complaint.submittedAt)),
    anonymous: complaint.anonymous,
    ...(complaint.unit ? { unit: complaint.unit } : {}),
    ...(complaint.triage ? { triage: { ...complaint.triage } } : {}),
    ...(complaint.duplicateOf ? { duplicateOf: complaint.duplicateOf } : {}),
    duplicates: await listFollowers(receiptNo),
    overdue: complaint.overdueSteps.length > 0,
    ...(complaint.outcome ? { outcome: complaint.outcome.publicText } : {}),
    ...(complaint.rating ? { rating: { score: complaint.rating.score, ...(complaint.rating.comment ? { comment: complaint.rating.comment } : {}) } } : {}),
    ...(contact ? { contact } : {}),
    auditTrail: events.sort((a, b) => a.time.localeCompare(b.time)) as unknown as Array<Record<string, unknown>>,
  };
}

export async function caseQueue(official: Official, q: QueueQuery) {
  let unit = q.unit;
  if (official.role === 'group_officer') {
    if (unit && unit !== official.unit) throw new ForbiddenError('A unit officer sees only its own unit’s queue');
    unit = official.unit;
  } else if (official.role !== 'supervisor' && official.role !== 'admin') {
    throw new ForbiddenError('The case queue is for unit officers and supervisors');
  }
  const page = await queryQueue({
    unit,
    statuses: q.status ? [q.status] : publicStatuses,
    overdue: q.overdue === 'true',
    limit: q.limit ?? 25,
    cursor: q.cursor,
  });
  return {
    items: page.items.map((c) => ({
      receiptNo: c.receiptNo,
      category: c.category,
      status: c.status,
      ...(c.unit ? { unit: c.unit } : {}),
      submittedAt: districtTimestamp(new Date(c.submittedAt)),
      overdue: c.overdueSteps.length > 0,
      ...(c.duplicateOf ? { duplicateOf: c.duplicateOf } : {}),
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}
