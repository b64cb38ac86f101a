/**
 * The DynamoDB client, one per container, at module scope. Its endpoint comes from the standard
 * AWS_ENDPOINT_URL_DYNAMODB on one machine; in AWS it is unset. Kept apart from the Step Functions
 * client so that a function bundles only the SDK clients it uses.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export const dynamodb = new DynamoDBClient({});
export const documents = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});

/** Every item of a Query, following LastEvaluatedKey (for partitions known to stay small). */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await documents.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export interface UpdateSpec {
  TableName: string;
  Key: Record<string, unknown>;
  set?: Record<string, unknown>;
  remove?: string[];
  /** ADD: numbers are added, sets are unioned. */
  add?: Record<string, unknown>;
  /** DELETE: elements removed from sets. */
  delete?: Record<string, unknown>;
  /** A condition over placeholders #name / :name that the caller also supplies. */
  condition?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
}

/**
 * An UpdateItem (or the Update of a transaction) from plain maps: every attribute name and value goes
 * through a placeholder, so reserved words and odd characters never break an expression.
 */
export function buildUpdate(u: UpdateSpec) {
  const names: Record<string, string> = { ...u.condition?.names };
  const values: Record<string, unknown> = { ...u.condition?.values };
  let names_ = 0;
  let values_ = 0;
  const name = (attr: string) => {
    const key = `#u${names_++}`;
    names[key] = attr;
    return key;
  };
  const value = (v: unknown) => {
    const key = `:u${values_++}`;
    values[key] = v;
    return key;
  };
  const clauses: string[] = [];
  const set = Object.entries(u.set ?? {}).filter(([, v]) => v !== undefined);
  if (set.length) clauses.push(`SET ${set.map(([k, v]) => `${name(k)} = ${value(v)}`).join(', ')}`);
  if (u.remove?.length) clauses.push(`REMOVE ${u.remove.map(name).join(', ')}`);
  const add = Object.entries(u.add ?? {});
  if (add.length) clauses.push(`ADD ${add.map(([k, v]) => `${name(k)} ${value(v)}`).join(', ')}`);
  const del = Object.entries(u.delete ?? {});
  if (del.length) clauses.push(`DELETE ${del.map(([k, v]) => `${name(k)} ${value(v)}`).join(', ')}`);
  return {
    TableName: u.TableName,
    Key: u.Key,
    UpdateExpression: clauses.join(' '),
    ...(u.condition ? { ConditionExpression: u.condition.expression } : {}),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  };
}

/** Cancellation reasons of a failed transaction, by item index ('None' where that item was fine). */
export function cancellationCodes(err: unknown): string[] | undefined {
  if (err instanceof TransactionCanceledException) return (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  return undefined;
}
