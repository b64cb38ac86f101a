/**
 * `npm run backup` while complaints keep coming, then `npm run restore` into a fresh DATA_DIR and
 * `npm start` on it: every complaint acknowledged before the backup began is there, each with its workflow
 * still waiting for its human step (which an official then completes), the contact decrypts with the
 * restored key, the evidence file downloads byte for byte; no request during the backup was refused;
 * a damaged backup and a data dir that holds data are refused.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type Json, type Receipt } from '../support/api-client';
import { newDataDir, startPlatformProcess, stopPlatformProcess, usePlatform, type PlatformProcess } from '../support/platform-process';

jest.setTimeout(240_000);

const { api, current } = usePlatform();
let restored: PlatformProcess | undefined;
afterAll(async () => {
  if (restored) await stopPlatformProcess(restored);
});

const PHONE = '13900007777';
const npm = (...args: string[]) => spawnSync('npm', ['run', '--silent', ...args], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
const complaint = (n: string) => ({ category: 'unlicensed_tutoring', description: `${n}：小区里有人无证办学科类补习班，每晚上课到九点。`, subject: { institutionName: '状元补习班' }, contact: { name: '刘女士', phone: PHONE } });

async function districtToday(a: ApiClient): Promise<string> {
  const { now } = (await a.call('GET', '/_local/clock')).body as { now: string };
  return new Date(Date.parse(now) + 8 * 3600_000).toISOString().slice(0, 10);
}

it('backs up under load, restores into a fresh data dir, and the restored platform has every case, execution, file and contact', async () => {
  // Before the backup: a case with a contact, and a rectification item with an evidence file.
  const before: Receipt[] = [];
  for (let i = 0; i < 3; i++) before.push(await api.file(complaint(`备份前第${i}件`)));
  // 状元补习班 lies in the fourth working group's area: the first case's accept_case task is theirs (the
  // others about it are linked to it as duplicates).
  await api.taskFor('group_4', 'accept_case', before[0].receiptNo);
  const today = await districtToday(api);
  const notice = await api.as('school_admin_p06', 'POST', '/api/homework/notices', { classId: 'p06-g3c1', date: today, items: [{ subject: '数学', content: '练习册三页', kind: 'written', minutes: 90 }] });
  const itemId = (notice.body.rectificationItemIds as string[])[0];
  const evidence = Buffer.from('%PDF-1.4 整改报告 before the backup\n');
  const slot = await api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemId}/evidence`, { fileName: '整改报告.pdf', contentType: 'application/pdf', size: evidence.length });
  expect((await fetch(slot.body.upload.url, { method: 'PUT', headers: slot.body.upload.headers, body: evidence })).status).toBe(200);
  expect((await api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemId}/submit`, { note: '已整改', evidence: [slot.body.fileId] })).status).toBe(200);

  // Complaints keep coming while the backup is taken.
  const during: Receipt[] = [];
  const refused: number[] = [];
  let stop = false;
  const client = async (n: number) => {
    for (let i = 0; !stop; i++) {
      const res = await fetch(`${current().url}/api/complaints`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(complaint(`备份中第${n}-${i}件`)) });
      if (res.status === 201) during.push((await res.json()) as Receipt);
      else refused.push(res.status);
    }
  };
  const load = [client(0), client(1), client(2)];
  for (const deadline = Date.now() + 30_000; during.length < 3 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
  const dir = join(mkdtempSync(join(tmpdir(), 'dr-backup-')), 'backup');
  const backup = npm('backup', '--', dir, '--data-dir', current().dataDir);
  stop = true;
  await Promise.all(load);
  expect(backup.stderr).toBe('');
  expect(backup.status).toBe(0);
  expect(backup.stdout).toMatch(/complaints: \d+ items/);
  expect(refused).toEqual([]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string }> };
  expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['files/stepfunctions/journal.jsonl', 'files/local-jwt-signing-key.json', expect.stringMatching(/^files\/kms\//), expect.stringMatching(/^files\/s3\//)]));

  // Restore refuses a data dir that holds data, then goes into a fresh one.
  const intoUsed = npm('restore', '--', dir, '--data-dir', current().dataDir);
  expect(intoUsed.status).toBe(1);
  expect(intoUsed.stderr).toMatch(/not empty/);
  const fresh = newDataDir();
  const restore = npm('restore', '--', dir, '--data-dir', fresh);
  expect(restore.stderr).toBe('');
  expect(restore.status).toBe(0);

  restored = await startPlatformProcess({ dataDir: fresh });
  const api2 = new ApiClient(restored.url);
  // Every case acknowledged before the backup, with its contact decrypted by the restored key.
  for (const r of before) {
    expect((await api2.track(r)).receiptNo).toBe(r.receiptNo);
    const view = (await api2.as('supervisor', 'GET', `/api/cases/${r.receiptNo}`)).body;
    expect(view.contact).toEqual({ name: '刘女士', phone: PHONE });
  }
  // The execution still waits for its human step, and goes on when it is done.
  const task = await api2.taskFor('group_4', 'accept_case', before[0].receiptNo);
  expect((await api2.complete('group_4', task.taskId, { decision: 'accept' })).status).toBe(200);
  await api2.taskFor('group_4', 'investigate', before[0].receiptNo);
  // A case filed during the backup is either wholly in it (tracked, and its workflow runs: triaged) or not at all.
  let inBackup = 0;
  for (const r of during) {
    for (const deadline = Date.now() + 20_000; ; ) {
      const res = await api2.call('GET', `/api/complaints/${r.receiptNo}`, { headers: { 'x-access-code': r.accessCode } });
      expect([200, 404]).toContain(res.status);
      if (res.status === 404) break;
      if ((res.body.timeline as unknown[]).length >= 2) {
        inBackup++;
        break;
      }
      if (Date.now() > deadline) throw new Error(`${r.receiptNo} was restored without its workflow`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  expect(inBackup).toBeGreaterThanOrEqual(3);
  // The evidence file, byte for byte.
  const plans = (await api2.as('school_admin_p06', 'GET', '/api/rectification/plans?schoolId=p06')).body as Array<{ items: Json[] }>;
  const item = plans.flatMap((p) => p.items).find((i) => i.itemId === itemId) as Json;
  const download = await fetch(item.evidence[0].downloadUrl as string);
  expect(Buffer.from(await download.arrayBuffer())).toEqual(evidence);
});

it('refuses to restore a damaged backup, naming the file', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'dr-backup-')), 'backup');
  expect(npm('backup', '--', dir, '--data-dir', current().dataDir).status).toBe(0);
  appendFileSync(join(dir, 'tables', 'complaints.jsonl'), '{"pk":{"S":"CASE#forged"}}\n');
  const res = npm('restore', '--', dir, '--data-dir', newDataDir());
  expect(res.status).toBe(1);
  expect(res.stderr).toMatch(/tables\/complaints\.jsonl differs from the manifest/);
});

it('says so when no platform runs on the data dir', () => {
  const res = npm('backup', '--', join(tmpdir(), 'nowhere'), '--data-dir', newDataDir());
  expect(res.status).toBe(1);
  expect(res.stderr).toMatch(/No platform runs on/);
});
