/**
 * Data access for rectification plans and items (table spec: lib/spec/tables.ts → rectification).
 * A plan and its items share pk PLAN#<planId>; an item id starts with its plan id (RP-p06-001.4f2a9c),
 * so an item is found without an index. One open plan per school is kept by a pointer item
 * (SCHOOL#<schoolId> / OPEN_PLAN) written and deleted only under conditions.
 */
import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { buildUpdate, cancellationCodes, documents, queryAll, type UpdateSpec } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import { transactItems } from '../../platform/transact';
import type { ItemSource, ItemStatus } from './schemas';

const TABLE = tableNameFor('rectification');

export interface EvidenceFile {
  fileId: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedAt: string;
}

export interface HistoryEntry {
  at: string;
  action: string;
  by: string;
  note?: string;
}

export interface LedgerItem {
  itemId: string;
  planId: string;
  schoolId: string;
  source: ItemSource;
  sourceRef?: string;
  description: string;
  measure: string;
  owner: string;
  dueOn: string;
  status: ItemStatus;
  overdue: boolean;
  evidence: EvidenceFile[];
  history: HistoryEntry[];
  createdAt: string;
  closedOn?: string;
  closedBy?: string;
}

export interface LedgerPlan {
  planId: string;
  schoolId: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt?: string;
  itemCount: number;
  closedCount: number;
}

export const keys = {
  plan: (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'PLAN' }),
  item: (itemId: string) => ({ pk: `PLAN#${planIdOf(itemId)}`, sk: `ITEM#${itemId}` }),
  openPlan: (schoolId: string) => ({ pk: `SCHOOL#${schoolId}`, sk: 'OPEN_PLAN' }),
  planCounter: (schoolId: string) => ({ pk: `SCHOOL#${schoolId}`, sk: 'PLAN_COUNTER' }),
  notification: (schoolId: string, time: string, id: string) => ({ pk: `SCHOOL#${schoolId}`, sk: `NOTIFICATION#${time}#${id}` }),
  uploadSlot: (itemId: string, fileId: string) => ({ pk: `PLAN#${planIdOf(itemId)}`, sk: `UPLOAD#${itemId}#${fileId}` }),
};

/** An upload slot handed out with a presigned URL: a submission may name only the item's own slots. */
export interface UploadSlot {
  itemId: string;
  fileId: string;
  fileName: string;
  contentType: string;
  size: number;
  requestedAt: string;
}

export async function putUploadSlot(slot: UploadSlot): Promise<void> {
  await documents.send(new PutCommand({ TableName: TABLE, Item: { ...keys.uploadSlot(slot.itemId, slot.fileId), entity: 'upload-slot', ...slot } }));
}

export async function getUploadSlot(itemId: string, fileId: string): Promise<UploadSlot | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.uploadSlot(itemId, fileId), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const i = out.Item;
  return { itemId, fileId, fileName: i.fileName as string, contentType: i.contentType as string, size: Number(i.size), requestedAt: i.requestedAt as string };
}

export const planIdOf = (itemId: string): string => itemId.split('.')[0];
export const schoolIdOf = (planId: string): string => planId.split('-')[1];
export const planIdFor = (schoolId: string, serial: number): string => `RP-${schoolId}-${String(serial).padStart(3, '0')}`;
/** The random part of a new item id (`<planId>.<suffix>`). */
export const newSuffix = () => randomBytes(5).toString('hex');

function itemFromRecord(i: Record<string, unknown>): LedgerItem {
  return {
    itemId: i.itemId as string,
    planId: i.planId as string,
    schoolId: i.schoolId as string,
    source: i.source as ItemSource,
    sourceRef: i.sourceRef as string | undefined,
    description: i.description as string,
    measure: i.measure as string,
    owner: i.owner as string,
    dueOn: i.dueOn as string,
    status: i.status as ItemStatus,
    overdue: Boolean(i.overdue),
    evidence: (i.evidence as EvidenceFile[] | undefined) ?? [],
    history: (i.history as HistoryEntry[] | undefined) ?? [],
    createdAt: i.createdAt as string,
    closedOn: i.closedOn as string | undefined,
    closedBy: i.closedBy as string | undefined,
  };
}

function planFromRecord(i: Record<string, unknown>): LedgerPlan {
  return {
    planId: i.planId as string,
    schoolId: i.schoolId as string,
    status: i.status as LedgerPlan['status'],
    openedAt: i.openedAt as string,
    closedAt: i.closedAt as string | undefined,
    itemCount: Number(i.itemCount ?? 0),
    closedCount: Number(i.closedCount ?? 0),
  };
}

/** Index attributes of an item not yet closed (sparse: a closed item leaves the overdue index). */
export const openItemIndex = (i: Pick<LedgerItem, 'dueOn' | 'itemId'>) => ({ openPk: 'OPEN_ITEM', openSk: `${i.dueOn}#${i.itemId}` });

export function itemPut(item: LedgerItem) {
  return {
    Put: {
      TableName: TABLE,
      Item: { ...keys.item(item.itemId), entity: 'item', ...item, ...openItemIndex(item) },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    },
  };
}

export const itemUpdate = (itemId: string, u: Omit<UpdateSpec, 'TableName' | 'Key'>) => ({ Update: buildUpdate({ TableName: TABLE, Key: keys.item(itemId), ...u }) });
export const planUpdate = (planId: string, u: Omit<UpdateSpec, 'TableName' | 'Key'>) => ({ Update: buildUpdate({ TableName: TABLE, Key: keys.plan(planId), ...u }) });

export async function getOpenPlanId(schoolId: string): Promise<string | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.openPlan(schoolId), ConsistentRead: true }));
  return out.Item?.planId as string | undefined;
}

/** The school's open plan, opening a new one (RP-<school>-<serial>) when it has none. */
export async function ensureOpenPlan(schoolId: string, now: Date): Promise<string> {
  const existing = await getOpenPlanId(schoolId);
  if (existing) return existing;
  const counter = await documents.send(
    new UpdateCommand({ ...buildUpdate({ TableName: TABLE, Key: keys.planCounter(schoolId), add: { seq: 1 } }), ReturnValues: 'UPDATED_NEW' }),
  );
  const planId = planIdFor(schoolId, Number(counter.Attributes?.seq));
  try {
    await transactItems([
      {
        Put: {
          TableName: TABLE,
          Item: { ...keys.openPlan(schoolId), entity: 'open-plan', planId },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk' },
        },
      },
      {
        Put: {
          TableName: TABLE,
          Item: { ...keys.plan(planId), entity: 'plan', planId, schoolId, status: 'open', openedAt: now.toISOString(), itemCount: 0, closedCount: 0, schoolPk: `SCHOOL#${schoolId}`, schoolSk: `${now.toISOString()}#${planId}` },
        },
      },
    ]);
    return planId;
  } catch (err) {
    // Another request opened the school's plan a moment ago: use that one (the serial stays unused).
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') {
      const other = await getOpenPlanId(schoolId);
      if (other) return other;
    }
    throw err;
  }
}

export async function getPlan(planId: string): Promise<{ plan: LedgerPlan; items: LedgerItem[] } | undefined> {
  const records = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'pk' },
    ExpressionAttributeValues: { ':pk': keys.plan(planId).pk },
    ConsistentRead: true,
  });
  const plan = records.find((r) => r.sk === 'PLAN');
  if (!plan) return undefined;
  const items = records.filter((r) => r.entity === 'item').map(itemFromRecord);
  items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.itemId.localeCompare(b.itemId));
  return { plan: planFromRecord(plan), items };
}

export async function listPlanIds(schoolId: string): Promise<string[]> {
  const records = await queryAll({
    TableName: TABLE,
    IndexName: 'bySchool',
    KeyConditionExpression: '#p = :p',
    ExpressionAttributeNames: { '#p': 'schoolPk' },
    ExpressionAttributeValues: { ':p': `SCHOOL#${schoolId}` },
    ScanIndexForward: false,
  });
  return records.map((r) => r.planId as string);
}

export async function getItem(itemId: string): Promise<LedgerItem | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.item(itemId), ConsistentRead: true }));
  return out.Item ? itemFromRecord(out.Item) : undefined;
}

export async function getPlanRecord(planId: string): Promise<LedgerPlan | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.plan(planId), ConsistentRead: true }));
  return out.Item ? planFromRecord(out.Item) : undefined;
}

/** Items not closed whose due date is before `date`, earliest first. */
export async function openItemsDueBefore(date: string, limit = 500): Promise<LedgerItem[]> {
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'openItemsByDue',
      KeyConditionExpression: '#p = :p AND #s < :d',
      ExpressionAttributeNames: { '#p': 'openPk', '#s': 'openSk' },
      ExpressionAttributeValues: { ':p': 'OPEN_ITEM', ':d': date },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(itemFromRecord);
}

/** The pointer delete and plan close, for the transaction that closes the plan's last item. */
export function closePlanItems(plan: LedgerPlan, now: Date) {
  return [
    planUpdate(plan.planId, {
      set: { status: 'closed', closedAt: now.toISOString() },
      condition: { expression: '#status = :open AND #closed = #count', names: { '#status': 'status', '#closed': 'closedCount', '#count': 'itemCount' }, values: { ':open': 'open' } },
    }),
    {
      Delete: {
        TableName: TABLE,
        Key: keys.openPlan(plan.schoolId),
        ConditionExpression: '#planId = :planId',
        ExpressionAttributeNames: { '#planId': 'planId' },
        ExpressionAttributeValues: { ':planId': plan.planId },
      },
    },
  ];
}

export interface SchoolNotification {
  notificationId: string;
  schoolId: string;
  message: string;
  itemId?: string;
  createdAt: string;
}

export const schoolNotificationPut = (n: SchoolNotification) => ({
  Put: { TableName: TABLE, Item: { ...keys.notification(n.schoolId, n.createdAt, n.notificationId), entity: 'notification', ...n } },
});

export async function listSchoolNotifications(schoolId: string): Promise<SchoolNotification[]> {
  const records = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :n)',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': `SCHOOL#${schoolId}`, ':n': 'NOTIFICATION#' },
    ScanIndexForward: false,
  });
  return records.map((r) => ({ notificationId: r.notificationId as string, schoolId, message: r.message as string, itemId: r.itemId as string | undefined, createdAt: r.createdAt as string }));
}
