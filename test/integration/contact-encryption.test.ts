/**
 * Contact encryption through the real pieces: the contact cipher against the local KMS endpoint, the
 * repositories against DynamoDB Local, the official contact read and the SMS sender (SNS mocked: the
 * only thing that would leave the machine). What the table holds is read back raw.
 */
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvalidCiphertextException } from '@aws-sdk/client-kms';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { contactKey } from '../../lib/spec/keys';
import type { DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { startLocalKms, type LocalKms } from '../../local/kms';
import { startTestDatabase } from '../support/local-dynamodb';
import { clock } from '../../lambdas/platform/clock';

jest.setTimeout(60_000);

const sns = mockClient(SNSClient);

let db: DynamodbLocal;
let raw: DynamoDBClient;
let kmsLocal: LocalKms;
let root: string;
let cipher: typeof import('../../lambdas/platform/contact-cipher');
let repo: typeof import('../../lambdas/domain/complaints/complaint-repository');
let contacts: typeof import('../../lambdas/domain/complaints/contact-repository');
let events: typeof import('../../lambdas/domain/complaints/events');
let access: typeof import('../../lambdas/domain/complaints/official-access');
let smsHandler: typeof import('../../lambdas/stream/send-sms').handler;
let documents: typeof import('../../lambdas/platform/dynamodb').documents;

beforeAll(async () => {
  ({ db, client: raw } = await startTestDatabase());
  root = mkdtempSync(join(tmpdir(), 'contact-kms-'));
  kmsLocal = await startLocalKms({ dataDir: root, aliases: [contactKey.localAlias], region: 'local', account: '000000000000' });
  // What the local runtime sets for the handlers (local/platform.ts), before any of them loads.
  Object.assign(process.env, { AWS_ENDPOINT_URL_KMS: kmsLocal.endpoint, [contactKey.envVar]: kmsLocal.keyArn(contactKey.localAlias) });
  cipher = await import('../../lambdas/platform/contact-cipher');
  repo = await import('../../lambdas/domain/complaints/complaint-repository');
  contacts = await import('../../lambdas/domain/complaints/contact-repository');
  events = await import('../../lambdas/domain/complaints/events');
  access = await import('../../lambdas/domain/complaints/official-access');
  ({ handler: smsHandler } = await import('../../lambdas/stream/send-sms'));
  ({ documents } = await import('../../lambdas/platform/dynamodb'));
});
afterAll(async () => {
  await kmsLocal?.stop();
  await db?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const supervisor = { username: 'supervisor', role: 'supervisor' as const };

async function fileCase(receiptNo: string, contact: { name?: string; phone?: string }): Promise<void> {
  const now = clock.now();
  await repo.insertComplaint(
    {
      receiptNo,
      category: 'unlicensed_tutoring',
      description: '周末有人在小区里办补习班。',
      subject: { institutionName: '状元补习班' },
      anonymous: false,
      hasContact: true,
      status: 'received',
      submittedAt: now.toISOString(),
      accessCode: { hash: 'ab'.repeat(32), salt: 'cd'.repeat(16) },
      overdueSteps: [],
    },
    await cipher.sealContact(receiptNo, contact),
    events.caseEvent(receiptNo, 'received', now, 'citizen', { publicStatus: 'received' }),
  );
}

/** A notification as close-case writes it, and the stream record DynamoDB would deliver for it. */
async function notificationRecord(receiptNo: string, id: string): Promise<DynamoDBRecord> {
  const put = repo.notificationPut({ notificationId: id, receiptNo, channel: 'sms', message: `您的投诉举报 ${receiptNo} 已办结。`, createdAt: clock.now().toISOString() });
  await documents.send(new PutCommand(put));
  return {
    eventID: id,
    eventName: 'INSERT',
    dynamodb: { NewImage: marshall(put.Item, { removeUndefinedValues: true }) as Record<string, AttributeValue>, SequenceNumber: id, StreamViewType: 'NEW_IMAGE' },
  };
}

async function notificationItem(receiptNo: string): Promise<Record<string, unknown>> {
  const out = await raw.send(new ScanCommand({ TableName: 'complaints', FilterExpression: 'pk = :pk AND entity = :n', ExpressionAttributeValues: { ':pk': { S: `CASE#${receiptNo}` }, ':n': { S: 'notification' } } }));
  return out.Items![0];
}

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('contact data encrypted with KMS', () => {
  it('stores only ciphertext: the contact item holds binary nameCiphertext and phoneCiphertext and no plaintext anywhere in the table', async () => {
    await fileCase('TS-2031-000101', { name: 'Wang Fang', phone: '13800138000' });

    const item = (await raw.send(new GetItemCommand({ TableName: 'complaints', Key: marshall({ pk: 'CASE#TS-2031-000101', sk: 'CONTACT' }) }))).Item!;
    expect(Object.keys(item).sort()).toEqual(['entity', 'nameCiphertext', 'phoneCiphertext', 'pk', 'sk']);
    expect(item.phoneCiphertext.B).toBeInstanceOf(Uint8Array);
    const table = JSON.stringify((await raw.send(new ScanCommand({ TableName: 'complaints' }))).Items, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(table).toContain('TS-2031-000101');
    expect(table).not.toContain('13800138000');
    expect(table).not.toContain('Wang Fang');
  });

  it('shows the contact to an official who may read it, decrypted, and records the read', async () => {
    await fileCase('TS-2031-000102', { name: 'Li Lei', phone: '13912340001' });

    const view = await access.caseForOfficial(supervisor, 'TS-2031-000102', cipher.openContact);

    expect(view.contact).toEqual({ name: 'Li Lei', phone: '13912340001' });
    const trail = await repo.listEvents('TS-2031-000102');
    expect(trail.filter((e) => e.type.endsWith('contact.viewed')).map((e) => e.actor)).toEqual(['official:supervisor']);
  });

  it('refuses a contact whose ciphertexts were copied from another case, and the official sees no contact', async () => {
    await fileCase('TS-2031-000103', { name: 'Zhao Min', phone: '15011112222' });
    await fileCase('TS-2031-000104', { name: 'Qian Jun', phone: '18622223333' });
    const stolen = await contacts.getSealedContact('TS-2031-000103');
    await documents.send(new PutCommand(contacts.contactPut('TS-2031-000104', stolen!)));

    await expect(access.caseForOfficial(supervisor, 'TS-2031-000104', cipher.openContact)).rejects.toBeInstanceOf(InvalidCiphertextException);
    expect((await repo.listEvents('TS-2031-000104')).filter((e) => e.type.endsWith('contact.viewed'))).toEqual([]);
    // Only the original case opens it.
    expect(await cipher.openContact('TS-2031-000103', stolen!)).toEqual({ name: 'Zhao Min', phone: '15011112222' });
  });

  it('sends the SMS to the decrypted +86 number, and marks a notification whose phone does not decrypt contact_unreadable', async () => {
    await fileCase('TS-2031-000105', { name: 'Sun Li', phone: '17733334444' });
    const sent = await smsHandler({ Records: [await notificationRecord('TS-2031-000105', 'n-105')] }, {} as Context, () => undefined);

    expect((sent as DynamoDBBatchResponse).batchItemFailures).toEqual([]);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, { PhoneNumber: '+8617733334444' });
    expect((await notificationItem('TS-2031-000105')).sentAt).toBeDefined();

    // TS-2031-000104 holds ciphertexts copied from another case (test above).
    sns.reset();
    const skipped = await smsHandler({ Records: [await notificationRecord('TS-2031-000104', 'n-104')] }, {} as Context, () => undefined);
    expect((skipped as DynamoDBBatchResponse).batchItemFailures).toEqual([]);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect((await notificationItem('TS-2031-000104')).skipped).toEqual({ S: 'contact_unreadable' });
  });
});
