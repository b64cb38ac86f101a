/**
 * Once per data dir made before the campaign list (GET /api/campaigns): campaign items get the byCreated
 * index attributes and their list status. A Scan at start-up, never on a request path; campaigns written
 * since carry the attributes from the start, so later starts find nothing to do.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { campaignStatus } from '../../lambdas/domain/campaigns/schedule';
import type { Round, Schedule } from '../../lambdas/domain/campaigns/schemas';

export async function backfillCampaignList(client: DynamoDBClient, table = 'campaigns'): Promise<number> {
  const documents = DynamoDBDocumentClient.from(client);
  let done = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: '#e = :campaign AND attribute_not_exists(#lp)',
        ExpressionAttributeNames: { '#e': 'entity', '#lp': 'listPk' },
        ExpressionAttributeValues: { ':campaign': 'campaign' },
        ExclusiveStartKey: start,
      }),
    );
    for (const c of page.Items ?? []) {
      const rounds = await documents.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :round)',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':pk': c.pk, ':round': 'ROUND#' },
          ConsistentRead: true,
        }),
      );
      await documents.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: c.pk, sk: c.sk },
          UpdateExpression: 'SET #lp = :lp, #ls = :ls, #status = :status',
          ExpressionAttributeNames: { '#lp': 'listPk', '#ls': 'listSk', '#status': 'status' },
          ExpressionAttributeValues: { ':lp': 'CAMPAIGN', ':ls': `${String(c.createdAt)}#${String(c.campaignId)}`, ':status': campaignStatus(c.schedule as Schedule, (rounds.Items ?? []) as Round[]) },
        }),
      );
      done++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return done;
}
