/**
 * The district's homework rule set, versioned, kept in the registry table (pk CONFIG#homework-rules):
 * the current version, plus every earlier version under its own sort key so a violation's
 * "national-default@1" can always be looked up. Without a stored set, the national defaults apply.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../platform/dynamodb';
import { tableNameFor } from '../../platform/config';
import { transactItems } from '../../platform/transact';
import { cancellationCodes } from '../../platform/dynamodb';
import { ConflictError } from '../../platform/errors';
import { nationalDefaultRules, RuleSetSchema, type RuleSet } from './rules';

const TABLE = tableNameFor('registry');
const CURRENT = { pk: 'CONFIG#homework-rules', sk: 'CURRENT' };
const VERSION = (version: number) => ({ pk: 'CONFIG#homework-rules', sk: `VERSION#${String(version).padStart(6, '0')}` });

export async function currentRuleSet(): Promise<RuleSet> {
  const out = await documents.send(new GetCommand({ TableName: TABLE, Key: CURRENT }));
  return out.Item ? RuleSetSchema.parse(out.Item.ruleSet) : nationalDefaultRules;
}

/** Stores a new version; it must be newer than the current one (concurrent updates: one wins). */
export async function replaceRuleSet(ruleSet: RuleSet, by: string, at: Date): Promise<RuleSet> {
  const current = await currentRuleSet();
  if (ruleSet.version <= current.version) throw new ConflictError(`The version must be greater than the current ${current.version}`, 'stale_version');
  try {
    await transactItems([
      {
        Put: {
          TableName: TABLE,
          Item: { ...CURRENT, ruleSet, updatedBy: by, updatedAt: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(#pk) OR #rs.#version < :version',
          ExpressionAttributeNames: { '#pk': 'pk', '#rs': 'ruleSet', '#version': 'version' },
          ExpressionAttributeValues: { ':version': ruleSet.version },
        },
      },
      { Put: { TableName: TABLE, Item: { ...VERSION(ruleSet.version), ruleSet, updatedBy: by, updatedAt: at.toISOString() } } },
    ]);
  } catch (err) {
    if (cancellationCodes(err)?.[0] === 'ConditionalCheckFailed') throw new ConflictError('Another version was stored a moment ago', 'stale_version');
    throw err;
  }
  return ruleSet;
}
