/**
 * Working-day calendars an admin entered, in the registry table: the one in force per year
 * (pk CONFIG#calendar, sk YEAR#<yyyy>) and every earlier entry kept beside it
 * (sk YEAR#<yyyy>#AT#<ISO time>), so a deadline computed last month can be explained.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import { transactItems } from '../../platform/transact';
import type { YearCalendar } from './working-days';

const TABLE = tableNameFor('registry');
const PK = 'CONFIG#calendar';

export const keys = {
  current: (year: number) => ({ pk: PK, sk: `YEAR#${year}` }),
  history: (year: number, at: string) => ({ pk: PK, sk: `YEAR#${year}#AT#${at}` }),
};

export interface AdminCalendar extends YearCalendar {
  source: 'admin';
  updatedBy: string;
  updatedAt: string;
}

const fromItem = (i: Record<string, unknown>): AdminCalendar => ({
  year: Number(i.year),
  source: 'admin',
  holidays: (i.holidays as string[] | undefined) ?? [],
  workdays: (i.workdays as string[] | undefined) ?? [],
  updatedBy: String(i.updatedBy),
  updatedAt: String(i.updatedAt),
});

/** Every year's calendar in force that an admin entered (a handful of items: one Query, no history). */
export async function adminCalendars(): Promise<AdminCalendar[]> {
  const out = await documents.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: '#entity = :current',
      ExpressionAttributeNames: { '#pk': 'pk', '#entity': 'entity' },
      ExpressionAttributeValues: { ':pk': PK, ':current': 'calendar' },
    }),
  );
  // A page holds 1 MB: decades of calendars; more would mean something else went wrong.
  if (out.LastEvaluatedKey) throw new Error('more calendar items than one page: check pk CONFIG#calendar');
  return (out.Items ?? []).map(fromItem);
}

/** The year's calendar in force, and its history entry, in one transaction (a later write simply wins). */
export async function putAdminCalendar(cal: AdminCalendar): Promise<void> {
  const item = { year: cal.year, holidays: [...cal.holidays], workdays: [...cal.workdays], updatedBy: cal.updatedBy, updatedAt: cal.updatedAt };
  await transactItems([
    { Put: { TableName: TABLE, Item: { ...keys.current(cal.year), entity: 'calendar', ...item } } },
    { Put: { TableName: TABLE, Item: { ...keys.history(cal.year, cal.updatedAt), entity: 'calendar_history', ...item } } },
  ]);
}
