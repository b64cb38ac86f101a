/**
 * Starting the complaint workflow, durably. The case is written first with a pending-workflow marker
 * (a sparse index); the start uses the receipt number as execution name, so repeating it is harmless
 * (Step Functions answers the same execution for the same name and input, ExecutionAlreadyExists once it
 * has ended). The submit handler tries at once; the start-pending-workflows schedule retries whatever a
 * crash or an engine outage left behind.
 */
import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../../platform/step-functions';
import { workflowArnFor } from '../../platform/config';
import { listPendingWorkflowStarts, markWorkflowStarted } from './complaint-repository';

const STATE_MACHINE_ARN = workflowArnFor('complaint');

export async function startComplaintWorkflow(receiptNo: string): Promise<string> {
  let executionArn: string;
  try {
    const out = await stepFunctions.send(
      new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name: receiptNo, input: JSON.stringify({ receiptNo }) }),
    );
    executionArn = out.executionArn as string;
  } catch (err) {
    if (!(err instanceof ExecutionAlreadyExists)) throw err;
    // Started before (and already ended): the execution ARN follows from the name.
    executionArn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${receiptNo}`;
  }
  await markWorkflowStarted(receiptNo, executionArn);
  return executionArn;
}

export async function startPendingWorkflows(limit = 100): Promise<{ started: number; failed: number }> {
  let started = 0;
  let failed = 0;
  for (const receiptNo of await listPendingWorkflowStarts(limit)) {
    try {
      await startComplaintWorkflow(receiptNo);
      started++;
    } catch {
      failed++; // left pending: the next run of the schedule tries again
    }
  }
  return { started, failed };
}
