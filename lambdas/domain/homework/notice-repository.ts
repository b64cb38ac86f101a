/**
 * Data access for homework notices (table spec: lib/spec/tables.ts → homework). One notice per class and
 * day: pk CLASS#<classId>, sk NOTICE#<date>; the school's board is the bySchoolDate index.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documents, queryAll } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import type { Notice } from './schemas';

const TABLE = tableNameFor('homework');

export const keys = {
  notice: (classId: string, date: string) => ({ pk: `CLASS#${classId}`, sk: `NOTICE#${date}` }),
  board: (schoolId: string, date: string, classId: string) => ({ schoolPk: `SCHOOL#${schoolId}`, schoolSk: `${date}#${classId}` }),
};

export const noticeIdOf = (classId: string, date: string) => `HN-${classId}-${date}`;

/** The Put of a new notice, for the transaction that also opens its rectification items. */
export function noticePut(n: Notice) {
  return {
    Put: {
      TableName: TABLE,
      Item: { ...keys.notice(n.classId, n.date), ...keys.board(n.schoolId, n.date, n.classId), entity: 'notice', ...n },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    },
  };
}

const fromItem = (i: Record<string, unknown>): Notice => ({
  noticeId: i.noticeId as string,
  schoolId: i.schoolId as string,
  classId: i.classId as string,
  grade: Number(i.grade),
  date: i.date as string,
  items: i.items as Notice['items'],
  writtenMinutes: Number(i.writtenMinutes),
  totalMinutes: Number(i.totalMinutes),
  violations: (i.violations as Notice['violations']) ?? [],
  publishedAt: i.publishedAt as string,
});

export async function getNotice(classId: string, date: string): Promise<Notice | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.notice(classId, date) }));
  return out.Item ? fromItem(out.Item) : undefined;
}

/** A class's notices between two dates (inclusive), for the week average; none when `from` is after `to`. */
export async function classNoticesBetween(classId: string, from: string, to: string): Promise<Notice[]> {
  // DynamoDB refuses a BETWEEN whose lower bound is above its upper bound (a ValidationException).
  if (from > to) return [];
  const items = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': `CLASS#${classId}`, ':from': `NOTICE#${from}`, ':to': `NOTICE#${to}` },
    ConsistentRead: true,
  });
  return items.map(fromItem);
}

/** A class's latest notices, newest first. */
export async function latestClassNotices(classId: string, limit: number): Promise<Notice[]> {
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :n)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': `CLASS#${classId}`, ':n': 'NOTICE#' },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(fromItem);
}

/** A school's board: one date, or the latest notices when no date is given. */
export async function schoolBoard(schoolId: string, date: string | undefined, limit: number): Promise<Notice[]> {
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'bySchoolDate',
      KeyConditionExpression: date ? '#p = :p AND begins_with(#s, :d)' : '#p = :p',
      ExpressionAttributeNames: { '#p': 'schoolPk', ...(date ? { '#s': 'schoolSk' } : {}) },
      ExpressionAttributeValues: { ':p': `SCHOOL#${schoolId}`, ...(date ? { ':d': `${date}#` } : {}) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(fromItem);
}
