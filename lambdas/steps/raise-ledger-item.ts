/** Step Functions task: a confirmed homework-burden complaint opens an item in the school's rectification plan. */
import * as z from 'zod';
import { ReceiptNo } from '../domain/complaints/schemas';
import { raiseLedgerItem } from '../domain/complaints/raise-ledger-item';

const Input = z.object({ receiptNo: ReceiptNo, investigation: z.object({ data: z.object({ findings: z.string() }) }) });

export const handler = async (event: unknown): Promise<{ itemId: string | null }> => {
  const input = Input.parse(event);
  return raiseLedgerItem(input.receiptNo, input.investigation.data.findings);
};
