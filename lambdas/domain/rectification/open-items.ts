/**
 * Items raised in a school's rectification plan by other parts of the platform: a homework notice that
 * breaks the rules, a complaint's homework-burden finding, a survey threshold. Apart from ledger.ts so
 * that these callers load neither the evidence bucket's configuration nor the officials' operations.
 */
import { clock } from '../../platform/clock';
import { cancellationCodes } from '../../platform/dynamodb';
import { ConflictError } from '../../platform/errors';
import { transactItems, type TransactItems } from '../../platform/transact';
import { nthWorkingDayAfter } from '../calendar/calendar';
import { ensureOpenPlan, getItem, getOpenPlanId, itemPut, newSuffix, planUpdate, type LedgerItem } from './ledger-repository';
import type { ItemSource } from './schemas';

/** Working days a school gets to rectify an item the platform raises by itself. */
export const DEFAULT_ITEM_WORKING_DAYS = 10;

export interface ItemDraft {
  source: ItemSource;
  sourceRef?: string;
  description: string;
  measure: string;
  owner: string;
  dueOn?: string;
  /** A stable suffix makes the item id deterministic, so raising the same problem twice is a no-op. */
  idSuffix?: string;
}

/**
 * Opens items in the school's open plan (opening one if needed), in one transaction with `alongside`
 * (e.g. the homework notice that raised them, or a record naming the new item ids). Items that exist
 * already (same id) are left alone.
 */
export async function openItems(schoolId: string, drafts: ItemDraft[], by: string, alongsideItems: TransactItems | ((itemIds: string[]) => TransactItems) = []): Promise<string[]> {
  const now = clock.now();
  // The calendar is read only when some item takes the default due date.
  const defaultDueOn = drafts.some((d) => !d.dueOn) ? await nthWorkingDayAfter(now, DEFAULT_ITEM_WORKING_DAYS) : '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const planId = await ensureOpenPlan(schoolId, now);
    const items: LedgerItem[] = drafts.map((d) => ({
      itemId: `${planId}.${d.idSuffix ?? newSuffix()}`,
      planId,
      schoolId,
      source: d.source,
      sourceRef: d.sourceRef,
      description: d.description,
      measure: d.measure,
      owner: d.owner,
      dueOn: d.dueOn ?? defaultDueOn,
      status: 'open',
      overdue: false,
      evidence: [],
      history: [{ at: now.toISOString(), action: 'opened', by, note: d.sourceRef ? `source: ${d.source} ${d.sourceRef}` : `source: ${d.source}` }],
      createdAt: now.toISOString(),
    }));
    const alongside = typeof alongsideItems === 'function' ? alongsideItems(items.map((i) => i.itemId)) : alongsideItems;
    try {
      await transactItems([
        ...alongside,
        ...items.map(itemPut),
        ...(items.length
          ? [planUpdate(planId, { add: { itemCount: items.length }, condition: { expression: '#status = :open', names: { '#status': 'status' }, values: { ':open': 'open' } } })]
          : []),
      ]);
      return items.map((i) => i.itemId);
    } catch (err) {
      const codes = cancellationCodes(err);
      // The plan closed in between: its successor takes the items.
      if (codes && codes[codes.length - 1] === 'ConditionalCheckFailed' && codes.slice(0, alongside.length).every((c) => c === 'None')) continue;
      throw err;
    }
  }
  throw new ConflictError('The school’s plan changed repeatedly; try again', 'plan_changed');
}

/**
 * Opens one item whose id derives from its source (`idSuffix`), unless the school's open plan has it
 * already: a retried workflow step, a repeated threshold check or two concurrent ones raise it once.
 * `alongside` (e.g. the audit event of the case that raised it) is written in the same transaction, so
 * it exists exactly when the item does.
 */
export async function openItemOnce(
  schoolId: string,
  draft: ItemDraft & { idSuffix: string },
  by: string,
  alongside?: (itemId: string) => TransactItems,
): Promise<{ itemId: string; created: boolean }> {
  const existing = await getOpenPlanId(schoolId);
  if (existing && (await getItem(`${existing}.${draft.idSuffix}`))) return { itemId: `${existing}.${draft.idSuffix}`, created: false };
  let before = 0;
  try {
    const [itemId] = await openItems(schoolId, [draft], by, (ids) => {
      const extra = alongside ? alongside(ids[0]) : [];
      before = extra.length;
      return extra;
    });
    return { itemId, created: true };
  } catch (err) {
    // Raised concurrently: the deterministic id made it one item.
    const planId = cancellationCodes(err)?.[before] === 'ConditionalCheckFailed' ? await getOpenPlanId(schoolId) : undefined;
    if (planId) return { itemId: `${planId}.${draft.idSuffix}`, created: false };
    throw err;
  }
}
