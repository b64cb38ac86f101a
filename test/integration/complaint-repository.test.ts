/**
 * The complaint repository against the real DynamoDB Local: the guarantees that mocks cannot show.
 */
import type { DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { startTestDatabase } from '../support/local-dynamodb';
import { clock } from '../../lambdas/platform/clock';

/** Fixtures enter the registry as an admin would: through the import. */
const seeder = { username: 'test-fixture', role: 'admin' } as const;

jest.setTimeout(60_000);

let db: DynamodbLocal;
let repo: typeof import('../../lambdas/domain/complaints/complaint-repository');
let contacts: typeof import('../../lambdas/domain/complaints/contact-repository');
let events: typeof import('../../lambdas/domain/complaints/events');
let idempotency: typeof import('../../lambdas/domain/idempotency');
let triage: typeof import('../../lambdas/domain/complaints/triage-complaint');

beforeAll(async () => {
  ({ db } = await startTestDatabase());
  process.env.COMPLAINT_STATE_MACHINE_ARN = 'arn:aws:states:local:000000000000:stateMachine:complaint';
  repo = await import('../../lambdas/domain/complaints/complaint-repository');
  contacts = await import('../../lambdas/domain/complaints/contact-repository');
  events = await import('../../lambdas/domain/complaints/events');
  idempotency = await import('../../lambdas/domain/idempotency');
  triage = await import('../../lambdas/domain/complaints/triage-complaint');
  const seed = await import('../../local/seed/demo-district');
  await (await import('../../lambdas/domain/registry/registry-import')).importDistrict(seeder, { schools: seed.demoSchools, institutions: seed.demoInstitutions, users: seed.demoUsers }, { initialPasswords: false });
});
afterAll(async () => db?.stop());

const newComplaint = (receiptNo: string) => ({
  receiptNo,
  category: 'unlicensed_tutoring' as const,
  description: '周末有人在小区里办补习班。',
  subject: { institutionName: '状元补习班' },
  anonymous: false,
  hasContact: true,
  status: 'received' as const,
  submittedAt: clock.now().toISOString(),
  accessCode: { hash: 'ab'.repeat(32), salt: 'cd'.repeat(16) },
  overdueSteps: [],
});

describe('complaints in DynamoDB Local', () => {
  it('allocates 200 concurrent receipt serials without a collision or a gap', async () => {
    const serials = await Promise.all(Array.from({ length: 200 }, () => repo.allocateReceiptSerial('2031')));
    expect(new Set(serials).size).toBe(200);
    expect(Math.max(...serials) - Math.min(...serials)).toBe(199);
  });

  it('writes a case with its contact and first event all at once, and refuses a second case under the same number', async () => {
    const c = newComplaint('TS-2031-000001');
    const received = events.caseEvent(c.receiptNo, 'received', clock.now(), 'citizen', { publicStatus: 'received' });
    // The repository stores the contact as sealed (ciphertext bytes); sealing is contact-cipher's job.
    const sealed = { phone: Uint8Array.from([1, 2, 3]), name: Uint8Array.from([4, 5]) };
    await repo.insertComplaint(c, sealed, received);
    await expect(repo.insertComplaint(c, undefined, received)).rejects.toMatchObject({ what: 'case' });
    expect((await repo.getComplaint(c.receiptNo))?.category).toBe('unlicensed_tutoring');
    expect(await contacts.getSealedContact(c.receiptNo)).toEqual(sealed);
    expect(await contacts.getSealedContact(c.receiptNo, ['phone'])).toEqual({ phone: sealed.phone });
    expect(await repo.listEvents(c.receiptNo)).toHaveLength(1);
  });

  it('leaves nothing behind when the idempotency record of the same transaction is taken', async () => {
    const claim = idempotency.claimFor('POST /api/complaints', 'same-key-123', { a: 1 });
    const first = newComplaint('TS-2031-000002');
    const ev = (r: string) => events.caseEvent(r, 'received', clock.now(), 'citizen', {});
    await repo.insertComplaint(first, undefined, ev(first.receiptNo), idempotency.idempotencyPut({ claim, statusCode: 201, body: { receiptNo: first.receiptNo }, now: clock.now() }));
    const second = newComplaint('TS-2031-000003');
    await expect(repo.insertComplaint(second, { phone: Uint8Array.from([1]) }, ev(second.receiptNo), idempotency.idempotencyPut({ claim, statusCode: 201, body: {}, now: clock.now() }))).rejects.toMatchObject({ what: 'idempotency' });
    expect(await repo.getComplaint(second.receiptNo)).toBeUndefined();
    expect(await repo.listEvents(second.receiptNo)).toEqual([]);
    expect(await idempotency.priorAnswer(claim, clock.now())).toEqual({ kind: 'replay', statusCode: 201, body: { receiptNo: first.receiptNo } });
  });

  it('lists a case as pending its workflow until the start is confirmed', async () => {
    const c = newComplaint('TS-2031-000004');
    await repo.insertComplaint(c, undefined, events.caseEvent(c.receiptNo, 'received', clock.now(), 'citizen', {}));
    expect(await repo.listPendingWorkflowStarts(100)).toContain(c.receiptNo);
    await repo.markWorkflowStarted(c.receiptNo, 'arn:aws:states:local:000000000000:execution:complaint:TS-2031-000004');
    expect(await repo.listPendingWorkflowStarts(100)).not.toContain(c.receiptNo);
  });

  it('triages a case once, even when the step runs again concurrently', async () => {
    const c = newComplaint('TS-2031-000005');
    await repo.insertComplaint(c, undefined, events.caseEvent(c.receiptNo, 'received', clock.now(), 'citizen', {}));
    const results = await Promise.all([1, 2, 3].map(() => triage.triageComplaint(c.receiptNo)));
    expect(new Set(results.map((r) => r.at)).size).toBe(1);
    expect(results[0]).toMatchObject({ unit: 'group_4', institutionStatus: 'unlicensed' });
    const log = await repo.listEvents(c.receiptNo);
    expect(log.filter((e) => e.type.endsWith('.triaged'))).toHaveLength(1);
  });
});
