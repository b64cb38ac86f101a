/** Step Functions task: set the rectification deadline (working days) before the re-inspection. */
import * as z from 'zod';
import { ReceiptNo } from '../domain/complaints/schemas';
import { startRectification } from '../domain/complaints/rectification';

const Input = z.object({
  receiptNo: ReceiptNo,
  state: z.object({
    investigation: z.object({ data: z.object({ rectificationDays: z.number().int().optional() }).partial().optional() }).partial().optional(),
    reinspection: z.object({ decision: z.string().optional(), data: z.object({ rectificationDays: z.number().int().optional() }).partial().optional() }).partial().optional(),
    rectification: z.object({ round: z.number().int().optional() }).partial().optional(),
  }),
});

export const handler = async (event: unknown): Promise<{ reinspectAt: string; round: number }> => {
  const input = Input.parse(event);
  return startRectification(input.receiptNo, input.state);
};
