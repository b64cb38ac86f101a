/**
 * Publishing a class's homework notice: checked at once by the district's rule set; every violation
 * opens an item in the school's rectification plan, in the same transaction as the notice.
 */
import { createHash } from 'node:crypto';
import { clock } from '../../platform/clock';
import { addDays, daysBetween, districtDate, mondayOf } from '../../platform/dates';
import { cancellationCodes } from '../../platform/dynamodb';
import { transactItems } from '../../platform/transact';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../platform/errors';
import type { Official } from '../registry/schemas';
import { getClass, getSchool } from '../registry/registry-repository';
import { openItems, type ItemDraft } from '../rectification/open-items';
import { currentRuleSet } from './rule-set-repository';
import { checkNotice, writtenMinutes } from './rules';
import { classNoticesBetween, noticeIdOf, noticePut } from './notice-repository';
import type { Notice, NoticeRequest, Violation } from './schemas';

/** Notices are for the school days around today, not for months ahead or long ago. */
const DAYS_BACK = 7;
const DAYS_AHEAD = 7;


/** The 7-day window: a notice is for a date at most DAYS_BACK days before or DAYS_AHEAD days after today. */
export function noticeDateAllowed(date: string, today: string): boolean {
  const offset = daysBetween(today, date);
  return offset >= -DAYS_BACK && offset <= DAYS_AHEAD;
}

export async function publishNotice(official: Official, req: NoticeRequest): Promise<{ noticeId: string; violations: Violation[]; rectificationItemIds: string[] }> {
  const schoolClass = await getClass(req.classId);
  if (!schoolClass) throw new InvalidInputError('No such class', [{ field: 'classId', message: 'must be a class of the registry', in: 'body' }]);
  if (!(official.role === 'school_admin' && official.schoolId === schoolClass.schoolId)) {
    throw new ForbiddenError('A notice is published by the administrator of the class’s own school');
  }
  const now = clock.now();
  const today = districtDate(now);
  if (!noticeDateAllowed(req.date, today)) {
    throw new InvalidInputError('The date is too far from today', [{ field: 'date', message: `must be within ${DAYS_BACK} days before or ${DAYS_AHEAD} days after today (${today})`, in: 'body' }]);
  }
  const [school, ruleSet, sameWeek] = await Promise.all([getSchool(schoolClass.schoolId), currentRuleSet(), classNoticesBetween(req.classId, mondayOf(req.date), addDays(req.date, -1))]);
  const violations = checkNotice(ruleSet, { grade: schoolClass.grade, date: req.date, items: req.items }, { sameWeek, noHomeworkWeekdays: school?.noHomeworkWeekdays ?? [] });
  const noticeId = noticeIdOf(req.classId, req.date);
  const notice: Notice = {
    noticeId,
    schoolId: schoolClass.schoolId,
    classId: req.classId,
    grade: schoolClass.grade,
    date: req.date,
    items: req.items,
    writtenMinutes: writtenMinutes(req.items),
    totalMinutes: req.items.reduce((sum, i) => sum + i.minutes, 0),
    violations,
    publishedAt: now.toISOString(),
  };
  const drafts: ItemDraft[] = violations.map((v) => ({
    source: 'notice_violation',
    sourceRef: `${noticeId}#${v.rule}`,
    description: `${schoolClass.name} ${req.date}: ${v.message} (${v.rule}, ${v.ruleSet})`,
    measure: 'Bring the class’s homework back within the rules and report the adjustment',
    owner: `${schoolClass.name}班主任`,
    // The same violation of the same notice is one item, however often the publish is retried.
    idSuffix: createHash('sha256').update(`${noticeId}#${v.rule}`).digest('hex').slice(0, 10),
  }));
  try {
    if (!drafts.length) {
      await transactItems([noticePut(notice)]);
      return { noticeId, violations, rectificationItemIds: [] };
    }
    const rectificationItemIds = await openItems(schoolClass.schoolId, drafts, `${official.role}:${official.username}`, [noticePut(notice)]);
    return { noticeId, violations, rectificationItemIds };
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') throw new ConflictError('This class has already published its notice for that day', 'notice_exists');
    throw err;
  }
}
