/** Step Functions task: Triage (lib/workflows/complaint.asl.json). */
import * as z from 'zod';
import { ReceiptNo } from '../domain/complaints/schemas';
import { triageComplaint } from '../domain/complaints/triage-complaint';

const TriageInput = z.object({ receiptNo: ReceiptNo, executionId: z.string().optional() });

export const handler = async (event: unknown): Promise<{ unit: string; institutionStatus: string; duplicateOf: string | null; category: string }> => {
  const { receiptNo } = TriageInput.parse(event);
  const result = await triageComplaint(receiptNo);
  return { unit: result.unit, institutionStatus: result.institutionStatus, duplicateOf: result.duplicateOf, category: result.category };
};
