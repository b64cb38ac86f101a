/** Step Functions task: close the case with its outcome, notify the complainant, close linked duplicates. */
import * as z from 'zod';
import { ReceiptNo } from '../domain/complaints/schemas';
import { closeCase, type CaseOutcome } from '../domain/complaints/close-case';

const Input = z.object({
  receiptNo: ReceiptNo,
  outcome: z.enum(['unfounded', 'rectified']),
  decision: z.object({ data: z.object({ publicOutcome: z.string().optional() }).partial().optional() }).partial().optional(),
});

export const handler = async (event: unknown): Promise<CaseOutcome> => {
  const input = Input.parse(event);
  return closeCase(input.receiptNo, input.outcome, input.decision?.data?.publicOutcome);
};
