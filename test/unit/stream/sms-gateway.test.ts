/** The HTTP SMS gateway adapter (lambdas/platform/sms.ts, SMS_PROVIDER=http) against a local server. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

let server: Server;
const seen: Array<{ auth?: string; type?: string; body: unknown }> = [];
let status = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      seen.push({ auth: req.headers.authorization, type: req.headers['content-type'], body: JSON.parse(text) });
      res.writeHead(status).end(status === 200 ? '{"id":"gw-1"}' : '{"error":"rejected 13700003333"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  Object.assign(process.env, { SMS_PROVIDER: 'http', SMS_GATEWAY_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`, SMS_GATEWAY_TOKEN: 't0ken' });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

// Loaded once the gateway's address is in the environment: the adapter reads its configuration at load.
const load = () => require('../../../lambdas/platform/sms') as typeof import('../../../lambdas/platform/sms');

it('posts the number with +86, the message and the reference as JSON with the bearer token', async () => {
  const { sendSms } = load();
  await sendSms({ phone: '13700003333', message: '您的举报已办结', reference: 'N-1' });
  expect(seen).toEqual([{ auth: 'Bearer t0ken', type: 'application/json', body: { to: '+8613700003333', message: '您的举报已办结', reference: 'N-1' } }]);
});

it('fails on anything but a 2xx, saying the status and never the number or the message', async () => {
  const { sendSms, SmsGatewayError } = load();
  status = 502;
  const err = await sendSms({ phone: '13700003333', message: '您的举报已办结', reference: 'N-2' }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SmsGatewayError);
  expect(err).toMatchObject({ httpStatusCode: 502 });
  expect(String((err as Error).message)).not.toMatch(/1370000|举报/);
});
