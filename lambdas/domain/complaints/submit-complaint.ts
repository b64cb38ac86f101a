/** Complaint intake: validate (done at the edge), number, store atomically, start the workflow. */
import { ConflictError } from '../../platform/errors';
import { clock } from '../../platform/clock';
import { districtDate } from '../../platform/dates';
import { logger } from '../../platform/logger';
import { sealContact } from '../../platform/contact-cipher';
import { claimFor, idempotencyPut, priorAnswer, type IdempotencyClaim } from '../idempotency';
import { newAccessCode, hashAccessCode } from './access-code';
import { allocateReceiptSerial, DuplicateWriteError, insertComplaint } from './complaint-repository';
import { caseEvent } from './events';
import { publicNotes } from './public-notes';
import type { Complaint } from './model';
import type { ComplaintReceipt, ComplaintSubmission } from './schemas';
import { startComplaintWorkflow } from './workflow-start';

export const receiptNoOf = (year: string, serial: number) => `TS-${year}-${String(serial).padStart(6, '0')}`;

export interface SubmitResult {
  statusCode: 201;
  receipt: ComplaintReceipt;
  replayed: boolean;
}

export async function submitComplaint(input: ComplaintSubmission, idempotencyKey?: string): Promise<SubmitResult> {
  const now = clock.now();
  const claim: IdempotencyClaim | undefined = idempotencyKey ? claimFor('POST /api/complaints', idempotencyKey, input) : undefined;
  if (claim) {
    const prior = await replayOrReject(claim, now);
    if (prior) return prior;
  }

  const year = districtDate(now).slice(0, 4);
  const receiptNo = receiptNoOf(year, await allocateReceiptSerial(year));
  const accessCode = newAccessCode();
  const contact = input.anonymous || !input.contact || (!input.contact.name && !input.contact.phone) ? undefined : input.contact;
  const complaint: Complaint = {
    receiptNo,
    category: input.category,
    description: input.description,
    subject: input.subject,
    occurredOn: input.occurredOn,
    anonymous: input.anonymous ?? false,
    hasContact: contact !== undefined,
    status: 'received',
    submittedAt: now.toISOString(),
    accessCode: hashAccessCode(accessCode),
    overdueSteps: [],
  };
  const receipt: ComplaintReceipt = { receiptNo, accessCode, status: 'received' };
  const received = caseEvent(receiptNo, 'received', now, 'citizen', {
    publicStatus: 'received',
    publicNote: publicNotes.received,
    category: input.category,
  });

  // Only ciphertext is stored: each field is encrypted under this case's receipt number (contact-cipher.ts).
  const sealed = contact && (await sealContact(receiptNo, contact));
  try {
    await insertComplaint(complaint, sealed, received, claim && idempotencyPut({ claim, statusCode: 201, body: receipt, now }));
  } catch (err) {
    // Another request with the same key won the race: answer what it answered.
    if (claim && err instanceof DuplicateWriteError && err.what === 'idempotency') {
      const prior = await replayOrReject(claim, now);
      if (prior) return prior;
    }
    throw err;
  }

  // The case is durable from here on. If the start fails, the pending-workflow schedule retries it.
  try {
    await startComplaintWorkflow(receiptNo);
  } catch (err) {
    logger.warn('complaint workflow start deferred to the recovery schedule', { receiptNo, error: (err as Error).name });
  }
  logger.info('complaint received', { receiptNo, category: input.category });
  return { statusCode: 201, receipt, replayed: false };
}

async function replayOrReject(claim: IdempotencyClaim, now: Date): Promise<SubmitResult | undefined> {
  const prior = await priorAnswer(claim, now);
  if (prior.kind === 'mismatch') {
    throw new ConflictError('This Idempotency-Key was already used with a different request body', 'idempotency_key_reused');
  }
  if (prior.kind === 'replay') return { statusCode: 201, receipt: prior.body as ComplaintReceipt, replayed: true };
  return undefined;
}
