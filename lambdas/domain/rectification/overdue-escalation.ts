/**
 * Overdue items: flagged once a day with a notification to the school, and the school's notifications.
 * Apart from ledger.ts so that the schedule and the notifications page load no evidence configuration.
 */
import { randomUUID } from 'node:crypto';
import { clock } from '../../platform/clock';
import { districtDate } from '../../platform/dates';
import { cancellationCodes } from '../../platform/dynamodb';
import { ForbiddenError } from '../../platform/errors';
import { transactItems } from '../../platform/transact';
import type { Official } from '../registry/schemas';
import { itemUpdate, listSchoolNotifications, openItemsDueBefore, schoolNotificationPut } from './ledger-repository';

/**
 * Daily (schedule escalate-overdue-rectification-items): items past their due date are flagged overdue
 * once, with a history entry and a notification to the school; the supervisor's list is the query below.
 */
export async function escalateOverdueItems(): Promise<{ flagged: number }> {
  const now = clock.now();
  const today = districtDate(now);
  let flagged = 0;
  for (const item of await openItemsDueBefore(today)) {
    if (item.overdue || item.status === 'closed') continue;
    try {
      await transactItems([
        itemUpdate(item.itemId, {
          set: { overdue: true, overdueAt: now.toISOString(), history: [...item.history, { at: now.toISOString(), action: 'overdue', by: 'system:schedule', note: `due ${item.dueOn}` }] },
          condition: { expression: 'attribute_not_exists(#overdueAt) AND #status <> :closed', names: { '#overdueAt': 'overdueAt', '#status': 'status' }, values: { ':closed': 'closed' } },
        }),
        schoolNotificationPut({
          notificationId: randomUUID(),
          schoolId: item.schoolId,
          itemId: item.itemId,
          createdAt: now.toISOString(),
          message: `整改事项 ${item.itemId} 已超过整改期限（${item.dueOn}），请尽快提交整改材料。Rectification item ${item.itemId} is overdue (due ${item.dueOn}).`,
        }),
      ]);
      flagged++;
    } catch (err) {
      if (!cancellationCodes(err)?.includes('ConditionalCheckFailed')) throw err;
    }
  }
  return { flagged };
}

export async function notificationsOf(official: Official) {
  if (official.role !== 'school_admin' || !official.schoolId) throw new ForbiddenError('Notifications are addressed to schools');
  return listSchoolNotifications(official.schoolId);
}
