/** The complaint case as the domain sees it, and its audit events (CloudEvents 1.0 shape). */
import type { ComplaintCategory, ComplaintSubmission, PublicStatus } from './schemas';
import type { InstitutionStatus, Unit } from '../registry/schemas';

export interface Complaint {
  receiptNo: string;
  category: ComplaintCategory;
  description: string;
  subject: ComplaintSubmission['subject'];
  occurredOn?: string;
  anonymous: boolean;
  hasContact: boolean;
  status: PublicStatus;
  submittedAt: string;
  accessCode: { hash: string; salt: string };
  /** Set once the complaint workflow has been started (StartExecution confirmed). */
  executionArn?: string;
  triage?: Triage;
  /** The unit handling the case now (triage's choice, or where it was transferred). */
  unit?: Unit;
  /** The open case this one duplicates: it follows that case to its outcome. */
  duplicateOf?: string;
  /** Steps past their SLA and escalated, still open. */
  overdueSteps: string[];
  outcome?: { kind: 'unfounded' | 'rectified' | 'linked'; publicText: string; at: string };
  rating?: { score: number; comment?: string; at: string };
  rectification?: { round: number; deadline: string; workingDays: number };
}

export interface Triage {
  unit: Unit;
  institution: { institutionId: string; name: string; status: InstitutionStatus } | null;
  /** 'unregistered' when an institution was named but is not in the registry: itself a signal of a black class. */
  institutionStatus: InstitutionStatus | 'unregistered' | 'not_named';
  /** The registry school the complaint names, when it names one we know. */
  schoolId: string | null;
  reason: string;
  at: string;
}

export interface Contact {
  name?: string;
  phone?: string;
}

/** A contact as stored: each field a KMS ciphertext bound to its case and field (lambdas/platform/contact-cipher.ts). */
export type SealedContact = { [F in keyof Contact]?: Uint8Array };

/** An append-only audit event, CloudEvents 1.0 (id, source, type, subject = receipt number, time, data) plus actor. */
export interface CaseEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  actor: string;
  data: {
    /** The public status after this event; events without one stay off the citizen's timeline. */
    publicStatus?: PublicStatus;
    /** What the citizen may read. */
    publicNote?: string;
    /** Officials only. */
    internalNote?: string;
    [key: string]: unknown;
  };
}
