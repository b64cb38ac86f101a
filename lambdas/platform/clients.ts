/**
 * One SDK client per service, at module scope, reused across invocations. Endpoints come from the
 * standard AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SFN variables on one machine; in AWS they are unset.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';

export const dynamodb = new DynamoDBClient({});
export const documents = DynamoDBDocumentClient.from(dynamodb, {
  marshallOptions: { removeUndefinedValues: true },
});
export const stepFunctions = new SFNClient({});
