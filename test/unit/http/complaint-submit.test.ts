import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handler } from '../../../lambdas/http/complaint-submit';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const kms = mockClient(KMSClient);
/** What the mocked KMS answers for a plaintext: not the plaintext, and different for each field and case. */
const fakeCiphertext = (input: { Plaintext?: Uint8Array; EncryptionContext?: Record<string, string> }) =>
  Buffer.from(`sealed:${JSON.stringify(input.EncryptionContext)}:${Buffer.from(input.Plaintext ?? []).toString('hex')}`);

const valid = {
  category: 'unlicensed_tutoring',
  description: '小区里每个周末都有人办数学补习班，收费很高。',
  subject: { institutionName: '状元补习班', address: '永安小区5号楼' },
  contact: { name: '王女士', phone: '13912345678' },
};

function event(body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /api/complaints',
    rawPath: '/api/complaints',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {} as APIGatewayProxyEventV2['requestContext'],
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

interface Answer {
  receiptNo: string;
  accessCode: string;
  status: string;
  error: { code: string; details: Array<{ field: string }> };
}

async function call(e: APIGatewayProxyEventV2) {
  const res = (await handler(e, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode, body: JSON.parse(String(res.body)) as Answer };
}

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  kms.reset();
  kms.on(EncryptCommand).callsFake((input: { Plaintext?: Uint8Array; EncryptionContext?: Record<string, string> }) => ({ CiphertextBlob: fakeCiphertext(input) }));
  ddb.on(UpdateCommand, { Key: { pk: 'COUNTER#receipt#2026', sk: 'COUNTER' } }).resolves({ Attributes: { seq: 123 } });
  ddb.on(UpdateCommand, { Key: { pk: 'COUNTER#receipt#2027', sk: 'COUNTER' } }).resolves({ Attributes: { seq: 123 } });
  ddb.on(TransactWriteCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:cn-north-1:123456789012:execution:complaint:TS-2026-000123', startDate: new Date() });
});

describe('POST /api/complaints', () => {
  it('answers 201 with a receipt number and an access code, and never echoes the phone number', async () => {
    const { status, body } = await call(event(valid));
    expect(status).toBe(201);
    expect(body.receiptNo).toMatch(/^TS-20\d\d-000123$/);
    expect(body.accessCode).toMatch(/^[0-9A-Z]{12}$/);
    expect(body.status).toBe('received');
    expect(JSON.stringify(body)).not.toContain('13912345678');
  });

  it('writes case, contact and the received event in one transaction, then starts the workflow named after the receipt', async () => {
    const { body } = await call(event(valid));
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems ?? [];
    const sks = items.map((i) => String(i.Put?.Item?.sk));
    expect(sks).toEqual(expect.arrayContaining(['CASE', 'CONTACT']));
    expect(sks.some((s) => s.startsWith('EVENT#'))).toBe(true);
    const caseItem = items.find((i) => i.Put?.Item?.sk === 'CASE')?.Put?.Item ?? {};
    expect(caseItem.pendingWorkflowPk).toBe('WORKFLOW_START');
    expect(JSON.stringify(caseItem)).not.toContain(body.accessCode);
    expect(JSON.stringify(caseItem)).not.toContain('13912345678');
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: body.receiptNo, input: JSON.stringify({ receiptNo: body.receiptNo }) });
    // The outbox marker is cleared once the start is confirmed.
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { Key: { pk: `CASE#${body.receiptNo}`, sk: 'CASE' } });
  });

  it('still answers 201 when the workflow engine is down, leaving the start to the recovery schedule', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('connect ECONNREFUSED'));
    const { status } = await call(event(valid));
    expect(status).toBe(201);
    expect(ddb).not.toHaveReceivedCommandWith(UpdateCommand, { UpdateExpression: expect.stringContaining('REMOVE') });
  });

  it('stores the contact only as KMS ciphertexts, one per field, each bound to its case and field', async () => {
    const { body } = await call(event(valid));
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems ?? [];
    const contact = items.find((i) => i.Put?.Item?.sk === 'CONTACT')?.Put?.Item ?? {};
    expect(Object.keys(contact).sort()).toEqual(['entity', 'nameCiphertext', 'phoneCiphertext', 'pk', 'sk']);
    expect(JSON.stringify(items)).not.toContain('13912345678');
    expect(JSON.stringify(items)).not.toContain('王女士');
    expect(kms).toHaveReceivedCommandTimes(EncryptCommand, 2);
    expect(kms).toHaveReceivedCommandWith(EncryptCommand, {
      KeyId: process.env.CONTACT_KEY_ID,
      EncryptionContext: { purpose: 'complaint-contact', receiptNo: body.receiptNo, field: 'phone' },
    });
    const phoneCall = kms.commandCalls(EncryptCommand).find((c) => c.args[0].input.EncryptionContext?.field === 'phone');
    expect(Buffer.from(phoneCall!.args[0].input.Plaintext!).toString('utf8')).toBe('13912345678');
    expect(Buffer.from(contact.phoneCiphertext as Uint8Array)).toEqual(fakeCiphertext(phoneCall!.args[0].input));
  });

  it('answers 500 and stores nothing when KMS refuses to encrypt the contact', async () => {
    kms.on(EncryptCommand).rejects(Object.assign(new Error('not authorized to perform kms:Encrypt'), { name: 'AccessDeniedException' }));
    const res = await call(event(valid));
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/kms|authorized/i);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('stores no contact at all for an anonymous report', async () => {
    await call(event({ ...valid, contact: undefined, anonymous: true }));
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems ?? [];
    expect(items.map((i) => i.Put?.Item?.sk)).not.toContain('CONTACT');
  });

  it.each([
    ['a description shorter than 10 characters', { ...valid, description: '太多了' }, 'description'],
    ['an unknown category', { ...valid, category: 'noise' }, 'category'],
    ['a phone that is not a mainland mobile', { ...valid, contact: { phone: '12345' } }, 'contact.phone'],
    ['a date that is not YYYY-MM-DD', { ...valid, occurredOn: '28/11/2026' }, 'occurredOn'],
    ['a missing subject', { ...valid, subject: undefined }, 'subject'],
    ['an unknown field', { ...valid, extra: 1 }, '(body)'],
    ['a contact on an anonymous report', { ...valid, anonymous: true }, 'contact'],
  ])('rejects %s with a 400 naming the field, and writes nothing', async (_what, body, field) => {
    const res = await call(event(body));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.details.map((d) => d.field)).toContain(field);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
    // Only the client's rate-limit counter moved: no receipt number was allocated.
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.TableName)).toEqual(['limits-test']);
  });

  it('answers 429 with Retry-After once the client has sent too many, before reading the body', async () => {
    ddb.on(UpdateCommand, { TableName: 'limits-test' }).rejects(new ConditionalCheckFailedException({ message: 'limit', $metadata: {} }));
    const res = await call(event(valid));
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('too_many_requests');
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('rejects a body that is not JSON with a 400 and one above 64 KB with a 413', async () => {
    expect((await call(event('{"category":'))).status).toBe(400);
    expect((await call(event({ ...valid, description: 'x'.repeat(70_000) }))).status).toBe(413);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 0);
  });

  it('replays the first answer for the same Idempotency-Key and body, creating nothing new', async () => {
    ddb.on(GetCommand).resolves({});
    const first = await call(event(valid, { 'idempotency-key': 'key-0001-abcdef' }));
    const put = (ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems ?? []).find((i) => String(i.Put?.Item?.pk).startsWith('IDEMPOTENCY#'));
    expect(put).toBeDefined();
    expect(JSON.stringify(put)).not.toContain(first.body.accessCode); // the stored answer is sealed
    ddb.on(GetCommand).resolves({ Item: put?.Put?.Item });
    const second = await call(event({ ...valid, subject: { address: valid.subject.address, institutionName: valid.subject.institutionName } }, { 'idempotency-key': 'key-0001-abcdef' }));
    expect(second).toEqual(first);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('answers 409 when an Idempotency-Key is reused with a different body', async () => {
    ddb.on(GetCommand).resolves({});
    await call(event(valid, { 'idempotency-key': 'key-0002-abcdef' }));
    const put = (ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems ?? []).find((i) => String(i.Put?.Item?.pk).startsWith('IDEMPOTENCY#'));
    ddb.on(GetCommand).resolves({ Item: put?.Put?.Item });
    const res = await call(event({ ...valid, description: '另一件事情，另一个描述，完全不同。' }, { 'idempotency-key': 'key-0002-abcdef' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('idempotency_key_reused');
  });

  it('hides internals when DynamoDB fails: a 500 with no SDK message', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded on table complaints-test'));
    const res = await call(event(valid));
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/Provisioned|complaints-test/);
  });
});
