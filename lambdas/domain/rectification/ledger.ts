/**
 * The rectification ledger: one open plan per school; items go open → submitted (the school, with
 * evidence) → closed (a supervisor, 销号) or returned (a supervisor, with a reason) → submitted again.
 * Every transition is a write conditioned on the item's current status, so of a concurrent close and
 * return exactly one wins. The plan closes itself with its last item; a later problem opens a new plan.
 */
import { randomBytes } from 'node:crypto';
import { clock } from '../../platform/clock';
import { districtDate } from '../../platform/dates';
import { cancellationCodes } from '../../platform/dynamodb';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../platform/errors';
import { transactItems, type TransactItems } from '../../platform/transact';
import { describeUpload, presignDownload, presignUpload } from '../../platform/evidence-store';
import type { Official } from '../registry/schemas';
import {
  closePlanItems,
  ensureOpenPlan,
  getItem,
  getPlan,
  getPlanRecord,
  getUploadSlot,
  itemPut,
  itemUpdate,
  listPlanIds,
  newSuffix,
  openItemsDueBefore,
  planUpdate,
  putUploadSlot,
  type HistoryEntry,
  type LedgerItem,
} from './ledger-repository';
import type { ItemView, NewItemRequest, PlanView } from './schemas';

const actorOf = (o: Official) => `${o.role}:${o.username}`;

function mayReadSchool(official: Official, schoolId: string): boolean {
  return official.role === 'supervisor' || official.role === 'admin' || (official.role === 'school_admin' && official.schoolId === schoolId);
}

/**
 * The item as the API shows it, without download links. Apart from itemWithDownloads so that the
 * operations that never show links (adding an item, the overdue list) do not bundle the S3 SDK.
 */
function itemView(i: LedgerItem): ItemView {
  return {
    itemId: i.itemId,
    planId: i.planId,
    schoolId: i.schoolId,
    source: i.source,
    ...(i.sourceRef ? { sourceRef: i.sourceRef } : {}),
    description: i.description,
    measure: i.measure,
    owner: i.owner,
    dueOn: i.dueOn,
    status: i.status,
    overdue: i.overdue || (i.status !== 'closed' && i.dueOn < districtDate(clock.now())),
    evidence: i.evidence.map((e) => ({ ...e })),
    history: i.history,
    ...(i.closedOn ? { closedOn: i.closedOn } : {}),
    ...(i.closedBy ? { closedBy: i.closedBy } : {}),
  };
}

/** The item with a presigned download link on each evidence file (same fields, in the same order). */
async function itemWithDownloads(i: LedgerItem): Promise<ItemView> {
  return { ...itemView(i), evidence: await Promise.all(i.evidence.map(async (e) => ({ ...e, downloadUrl: await presignDownload(evidenceKey(i, e.fileId), e.fileName) }))) };
}

export async function planForOfficial(official: Official, planId: string): Promise<PlanView> {
  const found = await getPlan(planId);
  if (!found) throw new NotFoundError('No such plan');
  if (!mayReadSchool(official, found.plan.schoolId)) throw new ForbiddenError('This plan belongs to another school');
  return {
    planId,
    schoolId: found.plan.schoolId,
    status: found.plan.status,
    openedAt: found.plan.openedAt,
    ...(found.plan.closedAt ? { closedAt: found.plan.closedAt } : {}),
    items: await Promise.all(found.items.map((i) => itemWithDownloads(i))),
  };
}

export async function plansOfSchool(official: Official, schoolId: string): Promise<PlanView[]> {
  if (!mayReadSchool(official, schoolId)) throw new ForbiddenError('These plans belong to another school');
  return Promise.all((await listPlanIds(schoolId)).map((id) => planForOfficial(official, id)));
}

/** A supervisor opens (or finds) the school's current plan. */
export async function openPlanFor(official: Official, schoolId: string): Promise<PlanView> {
  if (official.role !== 'supervisor') throw new ForbiddenError('Only a supervisor opens a school’s plan');
  return planForOfficial(official, await ensureOpenPlan(schoolId, clock.now()));
}

export async function addItem(official: Official, planId: string, req: NewItemRequest): Promise<ItemView> {
  const plan = await getPlanRecord(planId);
  if (!plan) throw new NotFoundError('No such plan');
  const ownSchool = official.role === 'school_admin' && official.schoolId === plan.schoolId;
  if (official.role !== 'supervisor' && !ownSchool) throw new ForbiddenError('Items are added by a supervisor or, for self-inspection, by the school');
  if (ownSchool && req.source && req.source !== 'self_inspection') {
    throw new InvalidInputError('A school records its own findings as self-inspection', [{ field: 'source', message: 'must be self_inspection for a school', in: 'body' }]);
  }
  if (plan.status !== 'open') throw new ConflictError('This plan is closed: a new problem opens the school’s next plan', 'plan_closed');
  if (req.dueOn < districtDate(clock.now())) throw new InvalidInputError('The due date is in the past', [{ field: 'dueOn', message: 'must be today or later', in: 'body' }]);
  const now = clock.now();
  const item: LedgerItem = {
    itemId: `${planId}.${newSuffix()}`,
    planId,
    schoolId: plan.schoolId,
    source: ownSchool ? 'self_inspection' : (req.source ?? 'self_inspection'),
    sourceRef: req.sourceRef,
    description: req.description,
    measure: req.measure,
    owner: req.owner,
    dueOn: req.dueOn,
    status: 'open',
    overdue: false,
    evidence: [],
    history: [{ at: now.toISOString(), action: 'opened', by: actorOf(official) }],
    createdAt: now.toISOString(),
  };
  try {
    await transactItems([
      itemPut(item),
      planUpdate(planId, { add: { itemCount: 1 }, condition: { expression: '#status = :open', names: { '#status': 'status' }, values: { ':open': 'open' } } }),
    ]);
  } catch (err) {
    if (cancellationCodes(err)?.[1] === 'ConditionalCheckFailed') throw new ConflictError('This plan closed a moment ago', 'plan_closed');
    throw err;
  }
  return itemView(item);
}

export const evidenceKey = (i: Pick<LedgerItem, 'schoolId' | 'itemId'>, fileId: string) => `evidence/${i.schoolId}/${i.itemId}/${fileId}`;

async function itemForSchool(official: Official, itemId: string): Promise<LedgerItem> {
  const item = await getItem(itemId);
  if (!item) throw new NotFoundError('No such item');
  if (!mayReadSchool(official, item.schoolId)) throw new ForbiddenError('This item belongs to another school');
  return item;
}

/** The Update that moves an item on, conditioned on where it must be now; it appends to its history. */
function transition(item: LedgerItem, from: string[], set: Record<string, unknown>, entry: HistoryEntry, remove: string[] = []) {
  return itemUpdate(item.itemId, {
    set: { ...set, history: [...item.history, entry] },
    remove,
    condition: {
      expression: `#status IN (${from.map((_, n) => `:from${n}`).join(', ')}) AND size(#history) = :historyLength`,
      names: { '#status': 'status', '#history': 'history' },
      values: { ...Object.fromEntries(from.map((st, n) => [`:from${n}`, st])), ':historyLength': item.history.length },
    },
  });
}

async function runTransition(items: TransactItems, lost: string): Promise<void> {
  try {
    await transactItems(items);
  } catch (err) {
    if (cancellationCodes(err)?.includes('ConditionalCheckFailed') || cancellationCodes(err)?.includes('TransactionConflict')) throw new ConflictError(lost, 'item_changed');
    throw err;
  }
}

/** An upload slot for one evidence file: a presigned PUT limited to the declared type and size. */
export async function requestEvidenceUpload(official: Official, itemId: string, file: { fileName: string; contentType: string; size: number }) {
  const item = await itemForSchool(official, itemId);
  if (!(official.role === 'school_admin' && official.schoolId === item.schoolId)) throw new ForbiddenError('Evidence is uploaded by the school');
  if (item.status === 'closed') throw new ConflictError('This item is closed', 'item_closed');
  const fileId = randomBytes(16).toString('hex');
  const upload = await presignUpload(evidenceKey(item, fileId), file.contentType, file.size);
  await putUploadSlot({ itemId, fileId, fileName: file.fileName, contentType: file.contentType, size: file.size, requestedAt: clock.now().toISOString() });
  return { fileId, upload };
}

export async function submitItem(official: Official, itemId: string, req: { note: string; evidence: string[] }): Promise<ItemView> {
  const item = await itemForSchool(official, itemId);
  if (!(official.role === 'school_admin' && official.schoolId === item.schoolId)) throw new ForbiddenError('The school submits its own items');
  if (item.status === 'submitted') throw new ConflictError('This item is already submitted and waits for verification', 'item_submitted');
  if (item.status === 'closed') throw new ConflictError('This item is closed', 'item_closed');
  const now = clock.now();
  const evidence = [];
  for (const [n, fileId] of req.evidence.entries()) {
    const slot = await getUploadSlot(itemId, fileId);
    const stored = slot && (await describeUpload(evidenceKey(item, fileId)));
    if (!slot || !stored || stored.size !== slot.size) {
      throw new InvalidInputError('An evidence file was not uploaded for this item', [{ field: `evidence.${n}`, message: 'must be a file uploaded for this item', in: 'body' }]);
    }
    evidence.push({ fileId, fileName: slot.fileName, contentType: slot.contentType, size: slot.size, uploadedAt: now.toISOString() });
  }
  const known = new Set(item.evidence.map((e) => e.fileId));
  await runTransition(
    [transition(item, ['open', 'returned'], { status: 'submitted', evidence: [...item.evidence, ...evidence.filter((e) => !known.has(e.fileId))] }, { at: now.toISOString(), action: 'submitted', by: actorOf(official), note: req.note })],
    'This item changed a moment ago; reload it',
  );
  return itemWithDownloads((await getItem(itemId)) as LedgerItem);
}

export async function returnItem(official: Official, itemId: string, reason: string): Promise<ItemView> {
  const item = await itemForSchool(official, itemId);
  if (official.role !== 'supervisor') throw new ForbiddenError('Only a supervisor verifies items');
  if (item.status !== 'submitted') throw new ConflictError(`Only a submitted item can be returned (this one is ${item.status})`, 'item_not_submitted');
  await runTransition(
    [transition(item, ['submitted'], { status: 'returned' }, { at: clock.now().toISOString(), action: 'returned', by: actorOf(official), note: reason })],
    'This item was verified by someone else a moment ago',
  );
  return itemWithDownloads((await getItem(itemId)) as LedgerItem);
}

/** 销号: a supervisor closes a submitted item; the plan closes with its last open item. */
export async function closeItem(official: Official, itemId: string, note?: string): Promise<ItemView> {
  const item = await itemForSchool(official, itemId);
  if (official.role !== 'supervisor') throw new ForbiddenError('A school cannot close its own items: a supervisor verifies and closes them');
  if (item.status === 'closed') throw new ConflictError('This item is already closed', 'item_closed');
  if (item.status !== 'submitted' || item.evidence.length === 0) throw new ConflictError('This item has no submitted evidence to verify', 'no_submitted_evidence');
  const now = clock.now();
  await runTransition(
    [
      transition(item, ['submitted'], { status: 'closed', closedOn: districtDate(now), closedBy: official.username, overdue: false }, { at: now.toISOString(), action: 'closed', by: actorOf(official), note }, ['openPk', 'openSk']),
      planUpdate(item.planId, { add: { closedCount: 1 } }),
    ],
    'This item was verified by someone else a moment ago',
  );
  await closePlanIfDone(item.planId);
  return itemWithDownloads((await getItem(itemId)) as LedgerItem);
}

async function closePlanIfDone(planId: string): Promise<void> {
  const plan = await getPlanRecord(planId);
  if (!plan || plan.status !== 'open' || plan.closedCount !== plan.itemCount) return;
  try {
    await transactItems(closePlanItems(plan, clock.now()));
  } catch (err) {
    // An item was added meanwhile, or another closer got there first: the plan stays as it is.
    if (!cancellationCodes(err)?.includes('ConditionalCheckFailed')) throw err;
  }
}

/** The supervisor's escalation list: every item past its due date, not closed, oldest first. */
export async function overdueItems(official: Official): Promise<ItemView[]> {
  if (official.role !== 'supervisor' && official.role !== 'admin') throw new ForbiddenError('The escalation list is for supervisors');
  const items = await openItemsDueBefore(districtDate(clock.now()));
  return Promise.all(items.filter((i) => i.status !== 'closed').map((i) => itemView(i)));
}
