/**
 * SMS on one machine through an HTTP SMS gateway (SMS_PROVIDER=http), against a local stub: the complaints
 * table's stream reaches the same SMS sender as in AWS; a closed case's notification goes out once, with
 * the gateway's token, after the gateway failed once (retried from the stream); a restart does not send
 * it again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Receipt } from '../support/api-client';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

interface Received {
  authorization?: string;
  body: { to: string; message: string; reference: string };
  answered: number;
}
const received: Received[] = [];
let failNext = 1;
let gateway: Server;
const env: Record<string, string> = { SMS_PROVIDER: 'http', SMS_GATEWAY_TOKEN: 'gateway-secret' };

beforeAll(async () => {
  gateway = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const answered = failNext-- > 0 ? 503 : 200;
      received.push({ authorization: req.headers.authorization, body: JSON.parse(text) as Received['body'], answered });
      res.writeHead(answered, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', () => r()));
  env.SMS_GATEWAY_URL = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms/send`;
});
afterAll(() => new Promise<void>((r) => gateway.close(() => r())));

const { api, restart } = usePlatform({ env });

async function closeUnfounded(r: Receipt): Promise<void> {
  const accept = await api.taskFor('group_4', 'accept_case', r.receiptNo);
  await api.complete('group_4', accept.taskId, { decision: 'accept' });
  const investigate = await api.taskFor('group_4', 'investigate', r.receiptNo);
  await api.complete('group_4', investigate.taskId, { decision: 'unfounded', data: { findings: '未发现违规。', publicOutcome: '经核查，未发现违规培训。' } });
  await api.until(() => api.track(r), (v) => v.status === 'closed');
}

const accepted = () => received.filter((m) => m.answered === 200);

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  for (const deadline = Date.now() + ms; !check(); ) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${JSON.stringify(received)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('sends a closed case’s SMS through the gateway once, retrying after the gateway failed', async () => {
  const r = await api.file({ category: 'unlicensed_tutoring', description: '状元补习班周末给小学生上数学课，收费很高。', subject: { institutionName: '状元补习班' }, contact: { name: '赵女士', phone: '13700002222' } });
  await closeUnfounded(r);
  await until(() => accepted().length === 1);
  expect(received[0].answered).toBe(503);
  expect(accepted()[0]).toMatchObject({ authorization: 'Bearer gateway-secret', body: { to: '+8613700002222' } });
  expect(accepted()[0].body.message).toContain(r.receiptNo);
  const outbox = (await api.call('GET', '/api/dev/outbox')).body as Array<{ receiptNo: string; sentAt?: string }>;
  expect(outbox.find((n) => n.receiptNo === r.receiptNo)?.sentAt).toBeTruthy();
});

it('sends nothing again after a restart: the stream is read on from where it was', async () => {
  const before = received.length;
  await restart('SIGTERM');
  await api.call('GET', '/api/health');
  await new Promise((done) => setTimeout(done, 3000));
  expect(received.length).toBe(before);
});
