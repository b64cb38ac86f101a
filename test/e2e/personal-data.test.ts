/**
 * Personal data end to end against `npm start` (debug logging on): complaints filed with several distinct
 * phone numbers, one driven to closure so that its SMS notification is produced, contacts read by the
 * officials who may, the outbox read; the platform stopped, started again on the same data (the contact
 * key persists) and stopped. Then every log line of both runs and every byte DynamoDB Local wrote are
 * searched for the phone numbers in the forms people write them: none may be there.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ApiClient, type Receipt } from '../support/api-client';
import { newDataDir, startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../support/platform-process';

jest.setTimeout(240_000);

const PHONES = ['13800138000', '13912340001', '15011112222', '18622223333', '17733334444'];
/** ASCII names, so that a plaintext name would be found by a byte search whatever encoding a file uses for CJK. */
const NAMES = ['Ouyang Xiaomei', 'Situ Jianguo', 'Zhuge Lingyun', 'Huangfu Qiuyu', undefined];
/** A marker in the (plaintext) descriptions: proves the byte search finds what the platform does store. */
const MARKER = `PDCHECK${randomBytes(4).toString('hex').toUpperCase()}`;

/** The forms a mainland mobile number is written in: bare, +86, 86, dashed and spaced (3-4-4). */
function formsOf(phone: string): string[] {
  const [a, b, c] = [phone.slice(0, 3), phone.slice(3, 7), phone.slice(7)];
  return [phone, `+86${phone}`, `86${phone}`, `+86 ${phone}`, `${a}-${b}-${c}`, `${a} ${b} ${c}`, `+86 ${a} ${b} ${c}`];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

const complaint = (i: number, extra: Record<string, unknown> = {}) => ({
  category: 'unlicensed_tutoring',
  description: `${MARKER} 第${i}号举报：小区里周末有人给小学生办数学补习班，收费很高。`,
  subject: { institutionName: i === 0 ? '状元补习班' : `个人信息测试补习班${i}` },
  contact: { ...(NAMES[i] ? { name: NAMES[i] } : {}), phone: PHONES[i] },
  ...extra,
});

describe('personal data of complainants', () => {
  const dataDir = newDataDir();
  const api = new ApiClient('http://127.0.0.1:0');
  const outputs: string[] = [];
  let platform: PlatformProcess | undefined;
  const receipts: Receipt[] = [];
  const savedLogLevel = process.env.E2E_LOG_LEVEL;

  async function start(): Promise<void> {
    platform = await startPlatformProcess({ dataDir });
    api.moveTo(platform.url);
  }
  async function stop(): Promise<void> {
    if (!platform) return;
    const stopped = await stopPlatformProcess(platform);
    outputs.push(platform.output());
    platform = undefined;
    expect(stopped.clean).toBe(true);
  }

  beforeAll(async () => {
    // startPlatformProcess passes E2E_LOG_LEVEL to the platform as LOG_LEVEL: everything the logger has.
    process.env.E2E_LOG_LEVEL = 'debug';
    await start();
  });
  afterAll(async () => {
    if (platform) await stopPlatformProcess(platform);
    if (savedLogLevel === undefined) delete process.env.E2E_LOG_LEVEL;
    else process.env.E2E_LOG_LEVEL = savedLogLevel;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('files complaints with five distinct phone numbers, one of them twice under the same Idempotency-Key, and refuses phones in other forms', async () => {
    for (let i = 0; i < PHONES.length; i++) receipts.push(await api.file(complaint(i)));
    const replay = await api.call('POST', '/api/complaints', { body: complaint(1), headers: { 'idempotency-key': `pd-${MARKER}` } });
    const again = await api.call('POST', '/api/complaints', { body: complaint(1), headers: { 'idempotency-key': `pd-${MARKER}` } });
    expect(replay.status).toBe(201);
    expect(again.body).toEqual(replay.body);
    await api.file({ ...complaint(2), contact: undefined, anonymous: true });
    for (const phone of ['+8613800138000', '138-0013-8000', '138 0013 8000']) {
      const refused = await api.call('POST', '/api/complaints', { body: { ...complaint(0), contact: { phone } } });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).not.toContain(phone);
    }
  });

  it('closes one case, which produces its SMS notification in the outbox without the phone number', async () => {
    const [first] = receipts;
    const accept = await api.taskFor('group_4', 'accept_case', first.receiptNo);
    expect((await api.complete('group_4', accept.taskId, { decision: 'accept' })).status).toBe(200);
    const investigate = await api.taskFor('group_4', 'investigate', first.receiptNo);
    const done = await api.complete('group_4', investigate.taskId, {
      decision: 'unfounded',
      data: { findings: '现场检查未发现学科类培训。', publicOutcome: '经现场检查，未发现违规培训行为。' },
    });
    expect(done.status).toBe(200);
    await api.until(() => api.track(first), (v) => v.status === 'closed');

    const outbox = await api.call('GET', '/api/dev/outbox');
    expect(outbox.status).toBe(200);
    const sms = outbox.body.filter((n: { receiptNo: string }) => n.receiptNo === first.receiptNo);
    expect(sms).toHaveLength(1);
    expect(sms[0].channel).toBe('sms');
    for (const phone of PHONES) expect(JSON.stringify(outbox.body)).not.toContain(phone);
  });

  it('shows each complainant’s contact, decrypted, to a supervisor and to the handling unit, and to no one else', async () => {
    for (const [i, r] of receipts.entries()) {
      const view = await api.as('supervisor', 'GET', `/api/cases/${r.receiptNo}`);
      expect(view.status).toBe(200);
      expect(view.body.contact).toEqual({ ...(NAMES[i] ? { name: NAMES[i] } : {}), phone: PHONES[i] });
    }
    expect((await api.as('group_4', 'GET', `/api/cases/${receipts[0].receiptNo}`)).body.contact).toEqual({ name: NAMES[0], phone: PHONES[0] });
    const admin = await api.as('admin', 'GET', `/api/cases/${receipts[1].receiptNo}`);
    expect(admin.status).toBe(200);
    expect(admin.body.contact).toBeUndefined();
    expect(JSON.stringify(admin.body)).not.toContain(PHONES[1]);
    // The citizen's own view never shows a contact either.
    expect(JSON.stringify(await api.track(receipts[2]))).not.toContain(PHONES[2]);
  });

  it('still shows the right phone numbers after a restart on the same data (the local key is kept in the data dir)', async () => {
    await stop();
    await start();
    for (const [i, r] of receipts.entries()) {
      expect((await api.as('supervisor', 'GET', `/api/cases/${r.receiptNo}`)).body.contact?.phone).toBe(PHONES[i]);
    }
    await stop();
  });

  it('wrote none of the phone numbers, in any common form, to any log line of either run', () => {
    const lines = outputs.join('\n').split('\n');
    const forms = PHONES.flatMap(formsOf);
    const leaks = lines.filter((line) => forms.some((f) => line.includes(f)) || NAMES.some((n) => n && line.includes(n)));
    console.log(`personal data in logs: ${lines.length} lines scanned (LOG_LEVEL=debug), ${PHONES.length} phones in ${forms.length} forms checked, ${leaks.length} leaks`);
    // The logs are not empty or off: they name the cases they handled.
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((l) => l.includes(receipts[0].receiptNo))).toBe(true);
    expect(leaks).toEqual([]);
  });

  it('left none of the phone numbers or names in the bytes of DynamoDB Local’s files, nor anywhere in the data dir', () => {
    const dynamodbFiles = filesUnder(join(dataDir, 'dynamodb'));
    const allFiles = filesUnder(dataDir);
    const needles = [...PHONES.flatMap(formsOf), ...NAMES.filter((n): n is string => n !== undefined)].map((s) => Buffer.from(s, 'utf8'));
    const found: string[] = [];
    let dynamodbBytes = 0;
    let allBytes = 0;
    let markerFound = false;
    for (const file of allFiles) {
      const bytes = readFileSync(file);
      allBytes += bytes.length;
      if (dynamodbFiles.includes(file)) {
        dynamodbBytes += bytes.length;
        markerFound ||= bytes.includes(Buffer.from(MARKER));
      }
      for (const needle of needles) if (bytes.includes(needle)) found.push(`${file}: ${needle.toString('utf8')}`);
    }
    console.log(
      `personal data at rest: ${dynamodbFiles.length} DynamoDB Local files, ${dynamodbBytes} bytes; ${allFiles.length} files, ${allBytes} bytes in the data dir; ` +
        `${PHONES.length} phones (${needles.length} byte patterns with names) checked, ${found.length} found`,
    );
    // The search does see what is stored: the descriptions (kept in plaintext) are in the database files.
    expect(dynamodbBytes).toBeGreaterThan(0);
    expect(markerFound).toBe(true);
    expect(statSync(join(dataDir, 'kms', 'keys.json')).mode & 0o777).toBe(0o600);
    expect(found).toEqual([]);
  });
});
