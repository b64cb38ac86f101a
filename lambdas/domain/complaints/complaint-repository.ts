/**
 * Data access for complaints (table spec: lib/spec/tables.ts → complaints; access patterns written there).
 * Items of one case share pk CASE#<receiptNo>: the case (sk CASE), its contact (sk CONTACT, restricted)
 * and its audit events (sk EVENT#<time>#<id>, append-only).
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { buildUpdate, cancellationCodes, documents, queryAll, type UpdateSpec } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import { InvalidInputError } from '../../platform/errors';
import type { CaseEvent, Complaint, SealedContact, Triage } from './model';
import type { PublicStatus } from './schemas';
import { contactKeyOf, contactPut } from './contact-repository';

const TABLE = tableNameFor('complaints');
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const keys = {
  case: (receiptNo: string) => ({ pk: `CASE#${receiptNo}`, sk: 'CASE' }),
  contact: contactKeyOf,
  event: (receiptNo: string, time: string, id: string) => ({ pk: `CASE#${receiptNo}`, sk: `EVENT#${time}#${id}` }),
  receiptCounter: (year: string) => ({ pk: `COUNTER#receipt#${year}`, sk: 'COUNTER' }),
  pendingWorkflow: (c: Pick<Complaint, 'submittedAt' | 'receiptNo'>) => ({
    pendingWorkflowPk: 'WORKFLOW_START',
    pendingWorkflowSk: `${c.submittedAt}#${c.receiptNo}`,
  }),
  unitQueue: (unit: string, status: string, submittedAt: string) => ({ unitPk: `UNIT#${unit}`, unitSk: `${status}#${submittedAt}` }),
  subject: (normalisedSubject: string, submittedAt: string) => ({ subjectPk: `SUBJECT#${normalisedSubject}`, subjectSk: submittedAt }),
  statusIndex: (status: string, submittedAt: string) => ({ statusPk: `STATUS#${status}`, statusSk: submittedAt }),
  follower: (primary: string, follower: string) => ({ pk: `CASE#${primary}`, sk: `FOLLOWER#${follower}` }),
  notification: (receiptNo: string, time: string, id: string) => ({ pk: `CASE#${receiptNo}`, sk: `NOTIFICATION#${time}#${id}` }),
};

export class DuplicateWriteError extends Error {
  constructor(readonly what: 'case' | 'idempotency') {
    super(`${what} already exists`);
    this.name = 'DuplicateWriteError';
  }
}

function toItem(c: Complaint): Record<string, unknown> {
  return {
    ...keys.case(c.receiptNo),
    entity: 'complaint',
    receiptNo: c.receiptNo,
    category: c.category,
    description: c.description,
    subject: c.subject,
    occurredOn: c.occurredOn,
    anonymous: c.anonymous,
    hasContact: c.hasContact,
    status: c.status,
    submittedAt: c.submittedAt,
    accessCodeHash: c.accessCode.hash,
    accessCodeSalt: c.accessCode.salt,
    executionArn: c.executionArn,
    triage: c.triage,
    unit: c.unit,
    duplicateOf: c.duplicateOf,
    outcome: c.outcome,
    rating: c.rating,
    ...keys.statusIndex(c.status, c.submittedAt),
    ...(c.executionArn ? {} : keys.pendingWorkflow(c)),
  };
}

function fromItem(item: Record<string, unknown>): Complaint {
  return {
    receiptNo: item.receiptNo as string,
    category: item.category as Complaint['category'],
    description: item.description as string,
    subject: (item.subject ?? {}) as Complaint['subject'],
    occurredOn: item.occurredOn as string | undefined,
    anonymous: Boolean(item.anonymous),
    hasContact: Boolean(item.hasContact),
    status: item.status as Complaint['status'],
    submittedAt: item.submittedAt as string,
    accessCode: { hash: item.accessCodeHash as string, salt: item.accessCodeSalt as string },
    executionArn: item.executionArn as string | undefined,
    triage: item.triage as Triage | undefined,
    unit: item.unit as Complaint['unit'],
    duplicateOf: item.duplicateOf as string | undefined,
    // A string set comes back as a Set; DynamoDB drops the attribute once the set is empty.
    overdueSteps: item.overdueSteps instanceof Set ? [...(item.overdueSteps as Set<string>)] : [],
    outcome: item.outcome as Complaint['outcome'],
    rating: item.rating as Complaint['rating'],
    rectification: item.rectification as Complaint['rectification'],
  };
}

const eventItem = (e: CaseEvent) => ({ ...keys.event(e.subject, e.time, e.id), entity: 'event', ...e });

/** Next receipt serial of the year: an atomic counter, so concurrent submissions never collide. */
export async function allocateReceiptSerial(year: string): Promise<number> {
  const out = await documents.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: keys.receiptCounter(year),
      UpdateExpression: 'ADD #seq :one',
      ExpressionAttributeNames: { '#seq': 'seq' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.seq);
}

/**
 * Writes a new case atomically: case, contact (sealed: ciphertext only), the "received" event and (when
 * given) the idempotency record's Put (idempotencyPut), all or nothing. The case carries the
 * pending-workflow marker until the start is confirmed. The record comes built so that functions reading
 * complaints do not load the idempotency module and its configuration.
 */
export async function insertComplaint(complaint: Complaint, contact: SealedContact | undefined, received: CaseEvent, idempotency?: TransactItem): Promise<void> {
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    { Put: { TableName: TABLE, Item: toItem(complaint), ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } } },
    { Put: { TableName: TABLE, Item: eventItem(received) } },
  ];
  if (contact) items.push({ Put: contactPut(complaint.receiptNo, contact) });
  if (idempotency) items.push(idempotency);
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    const codes = cancellationCodes(err);
    if (idempotency && codes?.[items.length - 1] === 'ConditionalCheckFailed') throw new DuplicateWriteError('idempotency');
    if (codes?.[0] === 'ConditionalCheckFailed') throw new DuplicateWriteError('case');
    throw err;
  }
}

export async function getComplaint(receiptNo: string): Promise<Complaint | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.case(receiptNo), ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : undefined;
}

export async function listEvents(receiptNo: string): Promise<CaseEvent[]> {
  const items = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :events)',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': keys.case(receiptNo).pk, ':events': 'EVENT#' },
    ConsistentRead: true,
  });
  return items.map(({ pk: _pk, sk: _sk, entity: _entity, ...event }) => event as unknown as CaseEvent);
}

/** Clears the outbox marker once StartExecution has been confirmed; a no-op when already cleared. */
export async function markWorkflowStarted(receiptNo: string, executionArn: string): Promise<void> {
  await documents.send(
    new UpdateCommand({
      TableName: TABLE,
      Key: keys.case(receiptNo),
      UpdateExpression: 'SET #arn = :arn REMOVE #ppk, #psk',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#arn': 'executionArn', '#ppk': 'pendingWorkflowPk', '#psk': 'pendingWorkflowSk', '#pk': 'pk' },
      ExpressionAttributeValues: { ':arn': executionArn },
    }),
  );
}

/** Complaints stored but whose workflow start is unconfirmed, oldest first (sparse index). */
export async function listPendingWorkflowStarts(limit: number): Promise<string[]> {
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'pendingWorkflow',
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': 'pendingWorkflowPk' },
      ExpressionAttributeValues: { ':p': 'WORKFLOW_START' },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => i.receiptNo as string);
}

export class AlreadyTriagedError extends Error {
  constructor(readonly triage: Triage) {
    super('already triaged');
    this.name = 'AlreadyTriagedError';
  }
}

/** The primary case closed while a duplicate was being linked to it: triage again without the link. */
export class PrimaryClosedError extends Error {
  constructor() {
    super('the primary case closed meanwhile');
    this.name = 'PrimaryClosedError';
  }
}

/**
 * Records the triage result and its event once; a retried step finds the first result. The case enters
 * its unit's queue and (when it names a subject) the duplicate index. A duplicate is registered on its
 * primary in the same transaction, provided the primary is still open, so closing the primary always
 * finds every duplicate linked to it.
 */
export async function recordTriage(c: Complaint, triage: Triage, event: CaseEvent, subjectKey: string | undefined, duplicateOf: string | undefined): Promise<void> {
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Update: caseUpdate(c.receiptNo, {
        set: {
          triage,
          unit: triage.unit,
          duplicateOf,
          ...keys.unitQueue(triage.unit, c.status, c.submittedAt),
          // Only a primary enters the subject index (closing removes it again): triage of the next case
          // about the subject reads the open primaries, however many duplicates and closed cases exist.
          ...(subjectKey && !duplicateOf ? keys.subject(subjectKey, c.submittedAt) : {}),
        },
        condition: { expression: 'attribute_exists(#pk) AND attribute_not_exists(#triage)', names: { '#pk': 'pk', '#triage': 'triage' } },
      }),
    },
    { Put: eventPut(event) },
  ];
  if (duplicateOf) {
    items.push(
      { Put: { TableName: TABLE, Item: { ...keys.follower(duplicateOf, c.receiptNo), entity: 'follower', follower: c.receiptNo } } },
      {
        ConditionCheck: {
          TableName: TABLE,
          Key: keys.case(duplicateOf),
          ConditionExpression: '#status <> :closed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':closed': 'closed' },
        },
      },
    );
  }
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    const codes = cancellationCodes(err);
    if (codes?.[0] === 'ConditionalCheckFailed') {
      const existing = await getComplaint(c.receiptNo);
      if (existing?.triage) throw new AlreadyTriagedError(existing.triage);
      throw new Error(`Complaint ${c.receiptNo} does not exist`);
    }
    if (codes?.[3] === 'ConditionalCheckFailed') throw new PrimaryClosedError();
    throw err;
  }
}

/** An Update of the case item, for a transaction or on its own. */
export function caseUpdate(receiptNo: string, u: Omit<UpdateSpec, 'TableName' | 'Key'>) {
  return buildUpdate({ TableName: TABLE, Key: keys.case(receiptNo), ...u });
}

/** The fields that move a case to another public status, keeping its queue indexes in step. */
export function statusFields(c: Pick<Complaint, 'submittedAt' | 'unit'>, status: PublicStatus, unit = c.unit): Record<string, unknown> {
  return {
    status,
    ...keys.statusIndex(status, c.submittedAt),
    ...(unit ? keys.unitQueue(unit, status, c.submittedAt) : {}),
  };
}

/** The Put of an audit event, for a transaction. */
export const eventPut = (e: CaseEvent) => ({ TableName: TABLE, Item: eventItem(e) });

export async function updateCase(receiptNo: string, u: Omit<UpdateSpec, 'TableName' | 'Key'>, event?: CaseEvent): Promise<void> {
  if (!event) {
    await documents.send(new UpdateCommand(caseUpdate(receiptNo, u)));
    return;
  }
  await documents.send(new TransactWriteCommand({ TransactItems: [{ Update: caseUpdate(receiptNo, u) }, { Put: eventPut(event) }] }));
}

export async function appendEvent(event: CaseEvent): Promise<void> {
  await documents.send(new PutCommand(eventPut(event)));
}

/**
 * Open primary cases about a subject submitted no later than `until`, oldest first (duplicate linking).
 * The index holds open primaries only; items written before it did (duplicates) are filtered out here.
 */
export async function openCasesAbout(subjectKey: string, until: string): Promise<Complaint[]> {
  const items = await queryAll({
    TableName: TABLE,
    IndexName: 'bySubject',
    KeyConditionExpression: '#p = :p AND #s <= :until',
    ExpressionAttributeNames: { '#p': 'subjectPk', '#s': 'subjectSk' },
    ExpressionAttributeValues: { ':p': `SUBJECT#${subjectKey}`, ':until': until },
  });
  return items.map(fromItem).filter((c) => c.status !== 'closed' && !c.duplicateOf);
}

/** The duplicates linked to a case. */
export async function listFollowers(primary: string): Promise<string[]> {
  const items = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :f)',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': keys.case(primary).pk, ':f': 'FOLLOWER#' },
    ConsistentRead: true,
  });
  return items.map((i) => i.follower as string);
}

export interface Notification {
  notificationId: string;
  receiptNo: string;
  channel: 'sms';
  message: string;
  createdAt: string;
}

/** A notification to the complainant, written in the transaction of the change it reports (outbox). */
export const notificationPut = (n: Notification) => ({
  TableName: TABLE,
  Item: {
    ...keys.notification(n.receiptNo, n.createdAt, n.notificationId),
    entity: 'notification',
    ...n,
    outboxPk: 'NOTIFICATION',
    outboxSk: `${n.createdAt}#${n.notificationId}`,
  },
  ConditionExpression: 'attribute_not_exists(#pk)',
  ExpressionAttributeNames: { '#pk': 'pk' },
});

export async function listNotifications(limit: number): Promise<Array<Notification & { sentAt?: string; skipped?: string }>> {
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'outbox',
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': 'outboxPk' },
      ExpressionAttributeValues: { ':p': 'NOTIFICATION' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => ({
    notificationId: i.notificationId as string,
    receiptNo: i.receiptNo as string,
    channel: 'sms',
    message: i.message as string,
    createdAt: i.createdAt as string,
    sentAt: i.sentAt as string | undefined,
    skipped: i.skipped as string | undefined,
  }));
}

/** Transactions mixing case items with other entities' items (tasks, notifications). */
export { transactItems as transact } from '../../platform/transact';

export interface QueuePage {
  items: Complaint[];
  cursor?: string;
}

/** One index partition the queue reads, and the attributes of a start key within it (table and index keys). */
interface QueuePartition {
  index: string;
  pkName: string;
  pk: string;
  skName?: string;
  skPrefix?: string;
  keyNames: string[];
}

const encodeCursor = (c: unknown) => Buffer.from(JSON.stringify(c)).toString('base64url');
const badCursor = () => new InvalidInputError('The cursor is not one this queue handed out', [{ field: 'cursor', message: 'must be the cursor of a previous page', in: 'query' }]);

/**
 * A cursor from the query string is client input: it must decode to a position within these partitions
 * and a start key of exactly that partition's index, or DynamoDB would refuse the Query (a 500).
 */
function decodeCursor(s: string, partitions: ReadonlyArray<QueuePartition>): { i: number; k?: Record<string, unknown> } {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(s, 'base64url').toString());
  } catch {
    throw badCursor();
  }
  const { i, k } = (c ?? {}) as { i?: unknown; k?: unknown };
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= partitions.length) throw badCursor();
  if (k === undefined) return { i };
  const p = partitions[i];
  const key = k as Record<string, unknown>;
  if (!key || typeof key !== 'object' || Array.isArray(key) || Object.keys(key).length !== p.keyNames.length) throw badCursor();
  if (!p.keyNames.every((n) => typeof key[n] === 'string' && key[n]) || key[p.pkName] !== p.pk) throw badCursor();
  if (p.skName && p.skPrefix && !(key[p.skName] as string).startsWith(p.skPrefix)) throw badCursor();
  return { i, k: key };
}

/**
 * The official queue, newest first, from the byUnitStatus index (a unit) or byStatus (all units; one
 * status partition after another). `overdue` filters on the escalated-steps set within the Query.
 */
export async function queryQueue(q: { unit?: string; statuses: readonly PublicStatus[]; overdue?: boolean; limit: number; cursor?: string }): Promise<QueuePage> {
  const partitions: QueuePartition[] = q.unit
    ? q.statuses.map((status) => ({ index: 'byUnitStatus', pkName: 'unitPk', pk: `UNIT#${q.unit}`, skName: 'unitSk', skPrefix: `${status}#`, keyNames: ['pk', 'sk', 'unitPk', 'unitSk'] }))
    : q.statuses.map((status) => ({ index: 'byStatus', pkName: 'statusPk', pk: `STATUS#${status}`, keyNames: ['pk', 'sk', 'statusPk', 'statusSk'] }));
  let position = q.cursor ? decodeCursor(q.cursor, partitions) : { i: 0 };
  const items: Complaint[] = [];
  while (position.i < partitions.length && items.length < q.limit) {
    const p = partitions[position.i];
    const out = await documents.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: p.index,
        KeyConditionExpression: p.skName ? '#p = :p AND begins_with(#s, :s)' : '#p = :p',
        ExpressionAttributeNames: { '#p': p.pkName, ...(p.skName ? { '#s': p.skName } : {}), ...(q.overdue ? { '#o': 'overdueSteps' } : {}) },
        ExpressionAttributeValues: { ':p': p.pk, ...(p.skPrefix ? { ':s': p.skPrefix } : {}) },
        ...(q.overdue ? { FilterExpression: 'attribute_exists(#o)' } : {}),
        ScanIndexForward: false,
        Limit: q.limit - items.length,
        ExclusiveStartKey: position.k,
      }),
    );
    items.push(...(out.Items ?? []).map(fromItem));
    position = out.LastEvaluatedKey ? { i: position.i, k: out.LastEvaluatedKey } : { i: position.i + 1 };
  }
  return { items, ...(position.i < partitions.length ? { cursor: encodeCursor(position) } : {}) };
}
