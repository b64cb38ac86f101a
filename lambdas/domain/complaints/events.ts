/** Builders for the audit events of a case (CloudEvents 1.0). Public notes are what the citizen reads. */
import { randomUUID } from 'node:crypto';
import type { CaseEvent } from './model';
import type { PublicStatus } from './schemas';

export const EVENT_SOURCE = '/double-reduction/complaints';

export function caseEvent(receiptNo: string, type: string, at: Date, actor: string, data: CaseEvent['data']): CaseEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: EVENT_SOURCE,
    type: `gov.double-reduction.complaint.${type}`,
    subject: receiptNo,
    time: at.toISOString(),
    datacontenttype: 'application/json',
    actor,
    data,
  };
}

export interface PublicTimelineEntry {
  at: string;
  status: PublicStatus;
  note?: string;
}

/** The citizen's timeline: only events that carry a public status; no actor, no internal note. */
export function publicTimeline(events: CaseEvent[], toLocal: (d: Date) => string): PublicTimelineEntry[] {
  return events
    .filter((e) => e.data.publicStatus)
    .sort((a, b) => a.time.localeCompare(b.time))
    .map((e) => ({
      at: toLocal(new Date(e.time)),
      status: e.data.publicStatus as PublicStatus,
      ...(e.data.publicNote ? { note: e.data.publicNote } : {}),
    }));
}
