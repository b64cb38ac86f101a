/**
 * GET /api/health: 200 once the database and the workflow engine answer, else 503; with the platform's
 * time and the warnings an operator must act on (a year with no working-day calendar).
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import { dynamodb } from '../platform/dynamodb';
import { stepFunctions } from '../platform/step-functions';
import { tableNameFor, workflowArnFor } from '../platform/config';
import { ServiceUnavailableError } from '../platform/errors';
import { httpRoute, reply } from '../platform/http';
import { clock } from '../platform/clock';
import { calendarWarnings } from '../domain/calendar/calendar';

const COMPLAINTS_TABLE = tableNameFor('complaints');
const COMPLAINT_WORKFLOW = workflowArnFor('complaint');
// Set only by the one-machine runtime in development mode (API.md: health then reports where local state
// lives, for tests and demos); production mode does not tell the world its internal endpoints.
const LOCAL_DATA_DIR = process.env.HEALTH_REPORTS_LOCAL_STATE === 'true' ? process.env.DATA_DIR : undefined;

export const handler = httpRoute({ auth: 'public' }, async () => {
  const [db, engine] = await Promise.allSettled([
    dynamodb.send(new DescribeTableCommand({ TableName: COMPLAINTS_TABLE })),
    stepFunctions.send(new DescribeStateMachineCommand({ stateMachineArn: COMPLAINT_WORKFLOW })),
  ]);
  if (db.status === 'rejected') throw new ServiceUnavailableError('The database does not answer');
  if (engine.status === 'rejected') throw new ServiceUnavailableError('The workflow engine does not answer');
  const now = clock.now();
  return reply(200, {
    status: 'ok',
    now: now.toISOString(),
    warnings: await calendarWarnings(now),
    ...(LOCAL_DATA_DIR
      ? {
          local: {
            dynamodbEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '',
            sfnEndpoint: process.env.AWS_ENDPOINT_URL_SFN ?? '',
            dataDir: LOCAL_DATA_DIR,
          },
        }
      : {}),
  });
});
