/**
 * Handing a recorded decision to the workflow engine. The decision is durable before this runs (the step
 * is "decided" and listed in the pendingDelivery index); SendTaskSuccess is then tried at once, and the
 * redeliver-decisions schedule retries whatever a crash or an engine outage left undelivered.
 */
import { InvalidToken, SendTaskSuccessCommand, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { stepFunctions } from '../../platform/step-functions';
import { documents } from '../../platform/dynamodb';
import { logger } from '../../platform/logger';
import { clock } from '../../platform/clock';
import { stepUpdate, undeliveredSteps, type Step } from './task-repository';
import type { StepOutcome } from './schemas';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';

export async function deliverDecision(step: Pick<Step, 'stepId' | 'token' | 'receiptNo'>, outcome: StepOutcome): Promise<'delivered' | 'gone' | 'pending'> {
  let result: 'delivered' | 'gone';
  try {
    await stepFunctions.send(new SendTaskSuccessCommand({ taskToken: step.token, output: JSON.stringify(outcome) }));
    result = 'delivered';
  } catch (err) {
    // The execution no longer waits for this token (stopped, timed out, or delivered before a crash).
    if (err instanceof TaskTimedOut || err instanceof TaskDoesNotExist || err instanceof InvalidToken) result = 'gone';
    else {
      logger.warn('decision not delivered yet; the schedule retries it', { receiptNo: step.receiptNo, error: (err as Error).name });
      return 'pending';
    }
  }
  try {
    await documents.send(
      new UpdateCommand(stepUpdate(step.stepId, { set: { status: 'delivered', deliveredAt: clock.now().toISOString(), deliveryResult: result }, remove: ['deliveryPk', 'deliverySk'] }).Update),
    );
  } catch (err) {
    // The decision is recorded and the engine has it: only this bookkeeping failed (e.g. throttled). The
    // step stays in the pendingDelivery index; the schedule finds its token no longer awaited and records it.
    logger.warn('decision delivered; recording the delivery is left to the schedule', { receiptNo: step.receiptNo, error: (err as Error).name });
  }
  return result;
}

export async function redeliverDecisions(limit = 100): Promise<{ delivered: number; pending: number }> {
  let delivered = 0;
  let pending = 0;
  for (const step of await undeliveredSteps(limit)) {
    if (!step.outcome) continue;
    if ((await deliverDecision(step, step.outcome)) === 'pending') pending++;
    else delivered++;
  }
  return { delivered, pending };
}
