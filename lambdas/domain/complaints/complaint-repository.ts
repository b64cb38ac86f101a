/**
 * Data access for complaints (table spec: lib/spec/tables.ts → complaints; access patterns written there).
 * Items of one case share pk CASE#<receiptNo>: the case (sk CASE), its contact (sk CONTACT, restricted)
 * and its audit events (sk EVENT#<time>#<id>, append-only).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documents, queryAll } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import type { CaseEvent, Complaint, Contact, Triage } from './model';
import type { IdempotencyRecord } from '../idempotency';
import { idempotencyPut } from '../idempotency';

const TABLE = tableNameFor('complaints');

export const keys = {
  case: (receiptNo: string) => ({ pk: `CASE#${receiptNo}`, sk: 'CASE' }),
  contact: (receiptNo: string) => ({ pk: `CASE#${receiptNo}`, sk: 'CONTACT' }),
  event: (receiptNo: string, time: string, id: string) => ({ pk: `CASE#${receiptNo}`, sk: `EVENT#${time}#${id}` }),
  receiptCounter: (year: string) => ({ pk: `COUNTER#receipt#${year}`, sk: 'COUNTER' }),
  pendingWorkflow: (c: Pick<Complaint, 'submittedAt' | 'receiptNo'>) => ({
    pendingWorkflowPk: 'WORKFLOW_START',
    pendingWorkflowSk: `${c.submittedAt}#${c.receiptNo}`,
  }),
  unitQueue: (unit: string, status: string, submittedAt: string) => ({ unitPk: `UNIT#${unit}`, unitSk: `${status}#${submittedAt}` }),
  subject: (normalisedSubject: string, submittedAt: string) => ({ subjectPk: `SUBJECT#${normalisedSubject}`, subjectSk: submittedAt }),
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
 * Writes a new case atomically: case, contact, the "received" event and (when given) the idempotency
 * record, all or nothing. The case carries the pending-workflow marker until the start is confirmed.
 */
export async function insertComplaint(complaint: Complaint, contact: Contact | undefined, received: CaseEvent, idempotency?: IdempotencyRecord): Promise<void> {
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    { Put: { TableName: TABLE, Item: toItem(complaint), ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } } },
    { Put: { TableName: TABLE, Item: eventItem(received) } },
  ];
  if (contact) items.push({ Put: { TableName: TABLE, Item: { ...keys.contact(complaint.receiptNo), entity: 'contact', ...contact } } });
  if (idempotency) items.push(idempotencyPut(idempotency));
  try {
    await documents.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    if (err instanceof TransactionCanceledException) {
      const reasons = err.CancellationReasons ?? [];
      if (idempotency && reasons[items.length - 1]?.Code === 'ConditionalCheckFailed') throw new DuplicateWriteError('idempotency');
      if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new DuplicateWriteError('case');
    }
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

/** Records the triage result and its event once; a retried step finds the first result. */
export async function recordTriage(receiptNo: string, triage: Triage, event: CaseEvent, subjectKey: string | undefined, submittedAt: string, status: string): Promise<void> {
  // The case enters its unit's queue, and (when it names a subject) the duplicate index.
  const indexAttributes: Record<string, string> = {
    ...keys.unitQueue(triage.unit, status, submittedAt),
    ...(subjectKey ? keys.subject(subjectKey, submittedAt) : {}),
  };
  const names: Record<string, string> = { '#pk': 'pk', '#triage': 'triage' };
  const values: Record<string, unknown> = { ':triage': triage };
  const sets = ['#triage = :triage'];
  for (const [attribute, value] of Object.entries(indexAttributes)) {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    sets.push(`#${attribute} = :${attribute}`);
  }
  try {
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: TABLE,
              Key: keys.case(receiptNo),
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#triage)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          { Put: { TableName: TABLE, Item: eventItem(event) } },
        ],
      }),
    );
  } catch (err) {
    if (err instanceof TransactionCanceledException && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      const existing = await getComplaint(receiptNo);
      if (existing?.triage) throw new AlreadyTriagedError(existing.triage);
      throw new Error(`Complaint ${receiptNo} does not exist`);
    }
    throw err;
  }
}
