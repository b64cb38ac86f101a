/** Step Functions task (waitForTaskToken): open a human step and its task in the officials' inbox. */
import * as z from 'zod';
import { ReceiptNo } from '../domain/complaints/schemas';
import { Department, Unit } from '../domain/registry/schemas';
import { TaskKind } from '../domain/tasks/schemas';
import { openStep } from '../domain/tasks/open-step';

const OpenTaskInput = z.object({
  kind: TaskKind,
  receiptNo: ReceiptNo,
  taskToken: z.string().min(1),
  unit: Unit.optional(),
  department: Department.optional(),
  executionId: z.string().optional(),
});

export const handler = async (event: unknown): Promise<{ stepId: string; taskId: string }> => openStep(OpenTaskInput.parse(event));
