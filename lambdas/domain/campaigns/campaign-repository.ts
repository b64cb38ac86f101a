/**
 * Data access for campaigns (table spec: lib/spec/tables.ts → campaigns). A campaign, its form
 * versions and its rounds share pk CAMPAIGN#<id>; each round's live results are one counter item per
 * class under AGG#<id>#<round>, updated in the same transaction that accepts an answer, so reading
 * results costs the same at 100 and at 100,000 responses.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { buildUpdate, documents, queryAll, type UpdateSpec } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import { decodeCursor, encodeCursor } from '../../platform/page-cursor';
import type { QuestionSpec } from './forms';
import type { Round, Schedule, Threshold } from './schemas';

const TABLE = tableNameFor('campaigns');

export interface Campaign {
  campaignId: string;
  title: string;
  formVersion: number;
  classIds: string[];
  schedule: Schedule;
  thresholds: Threshold[];
  reminderHoursBeforeClose: number;
  createdBy: string;
  createdAt: string;
  active: boolean;
}

export interface FormVersion {
  version: number;
  form: Record<string, unknown>;
  questions: QuestionSpec[];
}

export interface StoredRound extends Round {
  remindedAt?: string;
  /** The audience as it was when the round opened: its enrolment is the denominator of participation. */
  classes: Record<string, { schoolId: string; grade: number; enrolled: number }>;
}

export interface TokenRecord {
  campaignId: string;
  round: number;
  classId: string;
  schoolId: string;
  grade: number;
  usedAt?: string;
}

export interface ClassCounters {
  classId: string;
  schoolId: string;
  grade: number;
  responses: number;
  counters: Record<string, number>;
}

export const keys = {
  campaign: (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' }),
  form: (id: string, version: number) => ({ pk: `CAMPAIGN#${id}`, sk: `FORM#${String(version).padStart(4, '0')}` }),
  round: (id: string, round: number) => ({ pk: `CAMPAIGN#${id}`, sk: `ROUND#${String(round).padStart(4, '0')}` }),
  token: (hash: string) => ({ pk: `TOKEN#${hash}`, sk: 'TOKEN' }),
  response: (id: string, round: number, responseId: string) => ({ pk: `RESPONSE#${id}#${round}`, sk: responseId }),
  aggregate: (id: string, round: number, classId: string) => ({ pk: `AGG#${id}#${round}`, sk: `CLASS#${classId}` }),
};

/** Counter attributes carry this prefix on the aggregate item, apart from its own fields. */
export const COUNTER_PREFIX = 'k:';

/** byCreated index attributes: every campaign under one partition, newest last in sort order. */
export const listKeys = (c: Pick<Campaign, 'campaignId' | 'createdAt'>) => ({ listPk: 'CAMPAIGN', listSk: `${c.createdAt}#${c.campaignId}` });

export type ListedStatus = 'scheduled' | 'open' | 'closed';

export const campaignPut = (c: Campaign) => ({
  Put: {
    TableName: TABLE,
    Item: { ...keys.campaign(c.campaignId), entity: 'campaign', ...c, ...listKeys(c), status: 'scheduled', ...(c.active ? { activePk: 'ACTIVE', activeSk: c.campaignId } : {}) },
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeNames: { '#pk': 'pk' },
  },
});
export const formPut = (campaignId: string, f: FormVersion) => ({
  Put: {
    TableName: TABLE,
    Item: { ...keys.form(campaignId, f.version), entity: 'form', ...f },
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeNames: { '#pk': 'pk' },
  },
});
export const roundPut = (campaignId: string, r: StoredRound) => ({
  Put: { TableName: TABLE, Item: { ...keys.round(campaignId, r.round), entity: 'round', ...r }, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } },
});
export const campaignUpdate = (id: string, u: Omit<UpdateSpec, 'TableName' | 'Key'>) => ({ Update: buildUpdate({ TableName: TABLE, Key: keys.campaign(id), ...u }) });
export const roundUpdate = (id: string, round: number, u: Omit<UpdateSpec, 'TableName' | 'Key'>) => ({ Update: buildUpdate({ TableName: TABLE, Key: keys.round(id, round), ...u }) });
export const tokenPut = (hash: string, t: TokenRecord, expiresAt: number) => ({
  PutRequest: { Item: { ...keys.token(hash), entity: 'token', ...t, expiresAt } },
});
export const tokenUse = (hash: string, at: string) => ({
  Update: buildUpdate({
    TableName: TABLE,
    Key: keys.token(hash),
    set: { usedAt: at },
    condition: { expression: 'attribute_exists(#pk) AND attribute_not_exists(#usedAt)', names: { '#pk': 'pk', '#usedAt': 'usedAt' } },
  }),
});
export const responsePut = (campaignId: string, round: number, responseId: string, item: Record<string, unknown>) => ({
  Put: { TableName: TABLE, Item: { ...keys.response(campaignId, round, responseId), entity: 'response', ...item } },
});
export function aggregateAdd(campaignId: string, round: number, t: Pick<TokenRecord, 'classId' | 'schoolId' | 'grade'>, increments: Record<string, number>) {
  return {
    Update: buildUpdate({
      TableName: TABLE,
      Key: keys.aggregate(campaignId, round, t.classId),
      set: { classId: t.classId, schoolId: t.schoolId, grade: t.grade, entity: 'aggregate' },
      add: { responses: 1, ...Object.fromEntries(Object.entries(increments).map(([k, v]) => [`${COUNTER_PREFIX}${k}`, v])) },
    }),
  };
}

export const tableName = TABLE;

export async function loadCampaign(campaignId: string): Promise<{ campaign: Campaign; forms: FormVersion[]; rounds: StoredRound[] } | undefined> {
  const items = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'pk' },
    ExpressionAttributeValues: { ':pk': keys.campaign(campaignId).pk },
    ConsistentRead: true,
  });
  const meta = items.find((i) => i.entity === 'campaign');
  if (!meta) return undefined;
  const strip = ({ pk: _pk, sk: _sk, entity: _e, ...rest }: Record<string, unknown>) => rest;
  // The campaign's index attributes and its list status are not part of the campaign (its rounds say its status).
  const { activePk: _a, activeSk: _b, listPk: _l, listSk: _m, status: _s, ...campaign } = strip(meta);
  return {
    campaign: campaign as unknown as Campaign,
    forms: items.filter((i) => i.entity === 'form').map((i) => strip(i) as unknown as FormVersion),
    rounds: items.filter((i) => i.entity === 'round').map((i) => strip(i) as unknown as StoredRound),
  };
}

export async function getToken(hash: string): Promise<TokenRecord | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.token(hash), ConsistentRead: true }));
  return out.Item as TokenRecord | undefined;
}

export interface CampaignListEntry {
  campaignId: string;
  title: string;
  status: ListedStatus;
  createdAt: string;
  createdBy: string;
  classCount: number;
}

const LIST_KEY_NAMES = ['pk', 'sk', 'listPk', 'listSk'] as const;

/**
 * One page of the campaign list, newest first (index byCreated), optionally of one status (filtered in
 * the Query: a page may hold fewer than `limit`, the cursor goes on). The cursor is client input: it must
 * decode to a start key of this index, or DynamoDB would refuse the Query.
 */
export async function listCampaigns(q: { status?: ListedStatus; limit: number; cursor?: string }): Promise<{ items: CampaignListEntry[]; cursor?: string }> {
  const start = decodeCursor(q.cursor, LIST_KEY_NAMES, (k) => k.listPk === 'CAMPAIGN' && k.pk.startsWith('CAMPAIGN#') && k.sk === 'CAMPAIGN');
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: 'byCreated',
      KeyConditionExpression: '#lp = :lp',
      ...(q.status ? { FilterExpression: '#status = :status' } : {}),
      ExpressionAttributeNames: { '#lp': 'listPk', ...(q.status ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: { ':lp': 'CAMPAIGN', ...(q.status ? { ':status': q.status } : {}) },
      ScanIndexForward: false,
      Limit: q.limit,
      ExclusiveStartKey: start,
    }),
  );
  const items = (out.Items ?? []).map((i) => ({
    campaignId: String(i.campaignId),
    title: String(i.title),
    status: (i.status as ListedStatus | undefined) ?? 'scheduled',
    createdAt: String(i.createdAt),
    createdBy: String(i.createdBy),
    classCount: Array.isArray(i.classIds) ? i.classIds.length : 0,
  }));
  return { items, ...encodeCursor(out.LastEvaluatedKey) };
}

export async function activeCampaignIds(): Promise<string[]> {
  const items = await queryAll({ TableName: TABLE, IndexName: 'active', KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': 'activePk' }, ExpressionAttributeValues: { ':p': 'ACTIVE' } });
  return items.map((i) => i.campaignId as string);
}

/** The counter items of a round: one per class that has answered (bounded by the audience). */
export async function roundCounters(campaignId: string, round: number, consistent = false): Promise<ClassCounters[]> {
  const items = await queryAll({
    TableName: TABLE,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': 'pk' },
    ExpressionAttributeValues: { ':pk': `AGG#${campaignId}#${round}` },
    ConsistentRead: consistent,
  });
  return items.map((i) => ({
    classId: i.classId as string,
    schoolId: i.schoolId as string,
    grade: Number(i.grade),
    responses: Number(i.responses ?? 0),
    counters: Object.fromEntries(Object.entries(i).filter(([k]) => k.startsWith(COUNTER_PREFIX)).map(([k, v]) => [k.slice(COUNTER_PREFIX.length), Number(v)])),
  }));
}

export async function classCounters(campaignId: string, round: number, classId: string): Promise<ClassCounters | undefined> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: keys.aggregate(campaignId, round, classId), ConsistentRead: true }));
  if (!out.Item) return undefined;
  const i = out.Item;
  return {
    classId,
    schoolId: i.schoolId as string,
    grade: Number(i.grade),
    responses: Number(i.responses ?? 0),
    counters: Object.fromEntries(Object.entries(i).filter(([k]) => k.startsWith(COUNTER_PREFIX)).map(([k, v]) => [k.slice(COUNTER_PREFIX.length), Number(v)])),
  };
}

/** One page of a round's responses, for exports that never hold them all in memory. */
export async function responsePage(campaignId: string, round: number, start?: Record<string, unknown>, limit = 500) {
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: { ':pk': `RESPONSE#${campaignId}#${round}` },
      ExclusiveStartKey: start,
      Limit: limit,
    }),
  );
  return { items: out.Items ?? [], next: out.LastEvaluatedKey };
}
