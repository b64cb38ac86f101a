/**
 * "An acknowledged submission is never lost, also when the process is killed": complaints answered
 * with 201 while the platform is SIGKILLed mid-stream are all there after a restart, and every one of
 * them gets its workflow (triage shows in its timeline), whether the kill came before or after the start.
 */
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../support/platform-process';

jest.setTimeout(180_000);

interface Receipt {
  receiptNo: string;
  accessCode: string;
}

let platform: PlatformProcess | undefined;
afterAll(async () => {
  if (platform) await stopPlatformProcess(platform);
});

it('keeps every acknowledged complaint and runs its workflow after a SIGKILL mid-stream', async () => {
  platform = await startPlatformProcess();
  const { url, dataDir } = platform;
  const acknowledged: Receipt[] = [];
  let stop = false;
  const client = async (n: number) => {
    for (let i = 0; !stop; i++) {
      try {
        const res = await fetch(`${url}/api/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ category: 'homework_burden', description: `第${n}-${i}号：每天作业超过两个小时，家长还要批改。`, subject: { schoolName: '前进区第三小学' } }),
        });
        if (res.status === 201) acknowledged.push((await res.json()) as Receipt);
      } catch {
        return; // the platform died under us: that request was never acknowledged
      }
    }
  };
  const clients = Array.from({ length: 4 }, (_, n) => client(n));
  // Killed once a few complaints are acknowledged (however busy the machine is), while more are in flight.
  for (const deadline = Date.now() + 60_000; acknowledged.length < 8 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
  await stopPlatformProcess(platform, 'SIGKILL');
  stop = true;
  await Promise.all(clients);
  expect(acknowledged.length).toBeGreaterThan(5);

  platform = await startPlatformProcess({ dataDir });
  const restarted = platform;
  const missing: string[] = [];
  const untriaged: string[] = [];
  for (const r of acknowledged) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await fetch(`${restarted.url}/api/complaints/${r.receiptNo}`, { headers: { 'x-access-code': r.accessCode } });
      if (res.status !== 200) {
        missing.push(r.receiptNo);
        break;
      }
      const view = (await res.json()) as { timeline: unknown[] };
      if (view.timeline.length >= 2) break;
      if (Date.now() > deadline) {
        untriaged.push(r.receiptNo);
        break;
      }
      await new Promise((res2) => setTimeout(res2, 200));
    }
  }
  console.log(`crash test: ${acknowledged.length} complaints acknowledged before SIGKILL, ${missing.length} missing, ${untriaged.length} without workflow after restart`);
  expect(missing).toEqual([]);
  expect(untriaged).toEqual([]);
});
