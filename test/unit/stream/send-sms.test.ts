import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DecryptCommand, InvalidCiphertextException, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, DynamoDBStreamHandler } from 'aws-lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const kms = mockClient(KMSClient);

const PHONE = '13912345678';
const MESSAGE = '您的投诉 TS-2026-000123 已受理，承办单位：第一工作组。';
/** The stored phone: a KMS ciphertext (what the table holds), opaque to everyone but KMS. */
const PHONE_CIPHERTEXT = Uint8Array.from([0x01, 0x9a, 0x33, 0x7e, 0x42]);
const PHONE_CONTEXT = { purpose: 'complaint-contact', receiptNo: 'TS-2026-000123', field: 'phone' };

let handler: DynamoDBStreamHandler;
beforeAll(async () => {
  // The logger reads LOG_LEVEL once, when it loads: load the handler (and it) with logging on, to read the logs.
  process.env.LOG_LEVEL = 'info';
  ({ handler } = await import('../../../lambdas/stream/send-sms'));
});
afterAll(() => {
  process.env.LOG_LEVEL = 'silent';
});

function notification(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const createdAt = '2026-03-02T09:15:00.000Z';
  return {
    pk: 'CASE#TS-2026-000123',
    sk: `NOTIFICATION#${createdAt}#${id}`,
    entity: 'notification',
    notificationId: id,
    receiptNo: 'TS-2026-000123',
    channel: 'sms',
    message: MESSAGE,
    createdAt,
    outboxPk: 'NOTIFICATION',
    outboxSk: `${createdAt}#${id}`,
    ...overrides,
  };
}

let sequence = 100;
function record(item: Record<string, unknown> | undefined, eventName: DynamoDBRecord['eventName'] = 'INSERT'): DynamoDBRecord {
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: 'CASE#TS-2026-000123', sk: 'x' }) as Record<string, AttributeValue>,
      ...(item ? { NewImage: marshall(item) as Record<string, AttributeValue> } : {}),
      SequenceNumber: String(sequence),
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** Runs the handler on one batch and returns its answer with everything it wrote to stdout and stderr. */
async function run(...records: DynamoDBRecord[]): Promise<{ failures: string[]; logs: string }> {
  const lines: string[] = [];
  const capture = (s: string | Uint8Array): boolean => (lines.push(String(s)), true);
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    const event: DynamoDBStreamEvent = { Records: records };
    const answer = (await handler(event, {} as Context, () => undefined)) as DynamoDBBatchResponse;
    return { failures: answer.batchItemFailures.map((f) => f.itemIdentifier), logs: lines.join('') };
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const claimWrites = () => ddb.commandCalls(UpdateCommand).filter((c) => c.args[0].input.UpdateExpression === 'SET sentAt = :sentAt');

beforeEach(() => {
  ddb.reset();
  sns.reset();
  ddb.on(UpdateCommand).resolves({});
  kms.reset();
  ddb.on(GetCommand, { Key: { pk: 'CASE#TS-2026-000123', sk: 'CONTACT' } }).resolves({ Item: { phoneCiphertext: PHONE_CIPHERTEXT } });
  kms.on(DecryptCommand, { CiphertextBlob: PHONE_CIPHERTEXT, EncryptionContext: PHONE_CONTEXT }).resolves({ Plaintext: Buffer.from(PHONE) });
  sns.on(PublishCommand).resolves({ MessageId: 'message-1' });
});

describe('the SMS sender', () => {
  it('sends one transactional SMS to the +86 number of the case for a new notification', async () => {
    const { failures } = await run(record(notification('n1')));

    expect(failures).toEqual([]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      PhoneNumber: `+86${PHONE}`,
      Message: MESSAGE,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    });
    // Claimed before sending, only if nobody did, on the notification item itself.
    expect(claimWrites()).toHaveLength(1);
    expect(claimWrites()[0].args[0].input).toMatchObject({
      TableName: 'complaints-test',
      Key: { pk: 'CASE#TS-2026-000123', sk: 'NOTIFICATION#2026-03-02T09:15:00.000Z#n1' },
      ConditionExpression: expect.stringContaining('attribute_not_exists(sentAt)'),
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'complaints-test',
      Key: { pk: 'CASE#TS-2026-000123', sk: 'CONTACT' },
      ConsistentRead: true,
    });
  });

  it('reads only the phone ciphertext and decrypts it with the contact key, bound to the case and the phone field', async () => {
    await run(record(notification('n1')));

    const get = ddb.commandCalls(GetCommand)[0].args[0].input;
    expect(Object.values(get.ExpressionAttributeNames ?? {})).toEqual(['phoneCiphertext']);
    expect(kms).toHaveReceivedCommandTimes(DecryptCommand, 1);
    expect(kms).toHaveReceivedCommandWith(DecryptCommand, { KeyId: process.env.CONTACT_KEY_ID, EncryptionContext: PHONE_CONTEXT });
  });

  it('marks the notification contact_unreadable, and sends nothing, when the phone ciphertext does not decrypt', async () => {
    kms.on(DecryptCommand).rejects(new InvalidCiphertextException({ message: '', $metadata: {} }));

    const { failures } = await run(record(notification('n1')));

    expect(failures).toEqual([]);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: expect.stringContaining('skipped = :skipped'),
      ExpressionAttributeValues: expect.objectContaining({ ':skipped': 'contact_unreadable' }),
    });
  });

  it('releases the claim and reports the item failure when KMS cannot be reached, so the retry sends it', async () => {
    kms.on(DecryptCommand).rejects(Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' }));
    const failing = record(notification('n1'));

    const { failures } = await run(failing);

    expect(failures).toEqual([failing.dynamodb!.SequenceNumber]);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { UpdateExpression: 'REMOVE sentAt', ConditionExpression: 'sentAt = :sentAt' });
  });

  it('sends nothing for a record whose notification is already claimed', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());

    const { failures } = await run(record(notification('n1')));

    expect(failures).toEqual([]);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('marks the notification no_phone, and sends nothing, when the case has no phone', async () => {
    ddb.on(GetCommand).resolves({});

    const { failures } = await run(record(notification('n1')));

    expect(failures).toEqual([]);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'CASE#TS-2026-000123', sk: 'NOTIFICATION#2026-03-02T09:15:00.000Z#n1' },
      UpdateExpression: expect.stringContaining('skipped = :skipped'),
      ExpressionAttributeValues: expect.objectContaining({ ':skipped': 'no_phone' }),
    });
  });

  it('releases the claim and reports the item failure when publishing fails, and still sends the rest of the batch', async () => {
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' })).resolves({ MessageId: 'm2' });
    const failing = record(notification('n1'));
    const next = record(notification('n2'));

    const { failures } = await run(failing, next);

    expect(failures).toEqual([failing.dynamodb!.SequenceNumber]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    const claimedAt = claimWrites()[0].args[0].input.ExpressionAttributeValues![':sentAt'];
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'CASE#TS-2026-000123', sk: 'NOTIFICATION#2026-03-02T09:15:00.000Z#n1' },
      UpdateExpression: 'REMOVE sentAt',
      // Only our own claim: a concurrent delivery that claimed after us keeps its claim.
      ConditionExpression: 'sentAt = :sentAt',
      ExpressionAttributeValues: { ':sentAt': claimedAt },
    });
  });

  it('ignores records that are not new notifications', async () => {
    const { failures } = await run(
      record({ pk: 'CASE#TS-2026-000123', sk: 'CASE', entity: 'complaint', receiptNo: 'TS-2026-000123' }),
      record({ pk: 'CASE#TS-2026-000123', sk: 'CONTACT', phone: PHONE }),
      record(notification('n1', { sentAt: '2026-03-02T09:15:01.000Z' }), 'MODIFY'),
      record(undefined, 'REMOVE'),
    );

    expect(failures).toEqual([]);
    expect(ddb.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
  });

  it('never writes the phone number or the message text to the logs', async () => {
    // An SDK error message may quote the request; only the error's name may reach the logs.
    sns.on(PublishCommand).rejectsOnce(new Error(`Invalid parameter: PhoneNumber +86${PHONE}`)).resolves({ MessageId: 'm2' });

    const failed = await run(record(notification('n1')));
    const sent = await run(record(notification('n2')));
    ddb.on(GetCommand).resolves({});
    const skipped = await run(record(notification('n3')));

    const logs = failed.logs + sent.logs + skipped.logs;
    expect(logs).toContain('TS-2026-000123');
    expect(logs).toMatch(/"outcome":"sent"/);
    expect(logs).toMatch(/"outcome":"no_phone"/);
    expect(logs).not.toContain(PHONE);
    expect(logs).not.toContain(PHONE.slice(3));
    expect(logs).not.toContain(MESSAGE);
    expect(logs).not.toContain('已受理');
  });
});
