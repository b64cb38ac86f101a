/**
 * Abuse limits on one machine, with the shipped defaults (lib/spec/rate-limits.ts), exactly as in AWS:
 * anonymous writes per client address and minute, wrong access codes per receipt number.
 */
import { request } from 'node:http';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../support/platform-process';
import { clientLimits, failureCaps } from '../../lib/spec/rate-limits';

jest.setTimeout(180_000);

let platform: PlatformProcess;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { receiptNo?: string; accessCode?: string; error?: { code: string; message: string } };
}

/** One request from a given local address: 127.0.0.1 and 127.0.0.2 are two clients to the gateway. */
function send(method: string, path: string, opts: { from?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(path, platform.url);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        localAddress: opts.from ?? '127.0.0.1',
        headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Answer['body']) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const complaint = {
  category: 'unlicensed_tutoring',
  description: '永安小区5号楼每个周末都有数学补习班，一次收费三百元。',
  subject: { institutionName: '状元补习班', address: '前进区永安小区5号楼' },
};

async function now(): Promise<number> {
  return Date.parse(((await send('GET', '/_local/clock')).body as unknown as { now: string }).now);
}
/** Moves the platform's clock to just after the next multiple of `ms` (the start of a limit window). */
async function toStartOfWindow(ms: number): Promise<void> {
  const t = await now();
  await send('POST', '/_local/clock', { body: { advanceMs: ms - (t % ms) + 200 } });
}
const advance = (ms: number) => send('POST', '/_local/clock', { body: { advanceMs: ms } });

beforeAll(async () => {
  // The shipped defaults: undefined removes the lifted test limits of startPlatformProcess.
  platform = await startPlatformProcess({ env: { PUBLIC_WRITES_PER_MINUTE: undefined, ACCESS_CODE_CHECKS_PER_MINUTE: undefined } });
});

afterAll(async () => {
  if (platform) await stopPlatformProcess(platform);
});

describe('anonymous writes per client', () => {
  const limit = clientLimits.publicWrites.perWindow;

  it(`accepts ${limit} complaints a minute from one address, then answers 429 with Retry-After and stores nothing`, async () => {
    await toStartOfWindow(60_000);
    const accepted = [];
    for (let i = 0; i < limit; i++) accepted.push(await send('POST', '/api/complaints', { body: complaint }));
    expect(accepted.map((a) => a.status)).toEqual(Array(limit).fill(201));

    const refused = await send('POST', '/api/complaints', { body: complaint });
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('too_many_requests');
    expect(refused.body.receiptNo).toBeUndefined();
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    process.stdout.write(`abuse limits: ${limit} complaints accepted from 127.0.0.1, the next refused with Retry-After ${retryAfter} s\n`);
  });

  it('counts malformed bodies too, and a claimed CloudFront-Viewer-Address does not buy a fresh allowance', async () => {
    const invalid = await send('POST', '/api/complaints', { body: { category: 'nonsense' } });
    expect(invalid.status).toBe(429);
    const spoofed = await send('POST', '/api/complaints', { body: complaint, headers: { 'cloudfront-viewer-address': '198.51.100.77:4242', 'x-forwarded-for': '198.51.100.77' } });
    expect(spoofed.status).toBe(429);
  });

  it('keeps the limit per client: another address files at once, and survey answers share the same allowance', async () => {
    expect((await send('POST', '/api/complaints', { from: '127.0.0.2', body: complaint })).status).toBe(201);
    expect((await send('POST', '/api/surveys/no-such-campaign/responses', { body: { token: 'x', answers: {} } })).status).toBe(429);
  });

  it('lets the client file again once the window has passed', async () => {
    await advance(60_000);
    expect((await send('POST', '/api/complaints', { body: complaint })).status).toBe(201);
  });
});

describe('guessing access codes', () => {
  const [quarter, day] = failureCaps.accessCode.windows;
  let target: Answer['body'];
  let other: Answer['body'];
  const track = (r: Answer['body'], code: string, from = '127.0.0.1') => send('GET', `/api/complaints/${r.receiptNo}`, { from, headers: { 'x-access-code': code } });
  const wrong = (i: number) => `WRONGCODE${String(i).padStart(3, '2')}`.slice(0, 12);

  beforeAll(async () => {
    // Start at the beginning of a UTC day, so the day window is not cut by the moves of the clock below.
    await toStartOfWindow(24 * 3600_000);
    target = (await send('POST', '/api/complaints', { body: complaint, from: '127.0.0.3' })).body;
    other = (await send('POST', '/api/complaints', { body: complaint, from: '127.0.0.3' })).body;
  });

  it(`answers 404 to the first ${quarter.failures} wrong codes, then 429 even for the right code, from any address`, async () => {
    for (let i = 0; i < quarter.failures; i++) expect((await track(target, wrong(i), i % 2 ? '127.0.0.1' : '127.0.0.4')).status).toBe(404);
    const locked = await track(target, target.accessCode!, '127.0.0.5');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(quarter.windowSeconds);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(quarter.windowSeconds - 120);
  });

  it('leaves other receipt numbers alone', async () => {
    expect((await track(other, other.accessCode!)).status).toBe(200);
  });

  it('does not count right codes, so the owner reading their case never locks it', async () => {
    for (let i = 0; i < quarter.failures + 3; i++) expect((await track(other, other.accessCode!)).status).toBe(200);
  });

  it(`opens again after the quarter hour, and caps a receipt at ${day.failures} wrong codes a day`, async () => {
    let failures = quarter.failures;
    let tried = 0;
    while (failures < day.failures) {
      await advance(quarter.windowSeconds * 1000);
      expect((await track(target, target.accessCode!)).status).toBe(200);
      for (let i = 0; i < quarter.failures && failures < day.failures; i++, failures++, tried++) expect((await track(target, wrong(100 + tried))).status).toBe(404);
    }
    await advance(quarter.windowSeconds * 1000);
    const locked = await track(target, target.accessCode!);
    expect(locked.status).toBe(429);
    // Until the end of the day window, not of the quarter hour.
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(quarter.windowSeconds);
    process.stdout.write(`abuse limits: receipt locked after ${failures} wrong codes in a day, Retry-After ${locked.headers['retry-after']} s\n`);
  });
});
