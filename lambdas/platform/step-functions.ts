/** The Step Functions client, one per container (AWS_ENDPOINT_URL_SFN points it at the local engine). */
import { SFNClient } from '@aws-sdk/client-sfn';

export const stepFunctions = new SFNClient({});
