/**
 * The local Step Functions journal (local/stepfunctions/journal.ts) keeps a closed execution 90 days
 * after it stopped, as Step Functions does, and drops it when it compacts after that; a running one is
 * never dropped. The journal's clock is injected (`now`); each case writes a real file in a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Journal } from '../../../local/stepfunctions/journal';
import { DAY_MS, utcMidnight } from './reference';

const RETENTION_MS = 90 * DAY_MS;
const MACHINE = 'arn:aws:states:cn-north-1:123456789012:stateMachine:complaint';
const arn = (name: string) => `arn:aws:states:cn-north-1:123456789012:execution:complaint:${name}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'journal-retention-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes one execution that stopped at `stopMs` and one still running, then reopens the journal at `reopenMs`. */
async function namesAfterReopen(file: string, startMs: number, stopMs: number, reopenMs: number): Promise<string[]> {
  const first = await Journal.open(file, { now: () => startMs });
  for (const name of ['TS-2026-000001', 'TS-2026-000002']) {
    await first.createExecution(
      { executionArn: arn(name), stateMachineArn: MACHINE, name, status: 'RUNNING', input: '{}', startMs },
      { id: 1, type: 'ExecutionStarted', timestampMs: startMs },
    );
  }
  await first.closeExecution(arn('TS-2026-000001'), { status: 'SUCCEEDED', stopMs, output: '{}' }, { id: 2, type: 'ExecutionSucceeded', timestampMs: stopMs });
  await first.close();
  const again = await Journal.open(file, { now: () => reopenMs });
  try {
    return (await again.listExecutions(MACHINE)).map((e) => e.name).sort();
  } finally {
    await again.close();
  }
}

describe('the local Step Functions journal keeps closed executions 90 days after they stopped', () => {
  const stop = Date.parse('2026-12-31T15:59:59.999Z');
  const start = stop - DAY_MS;

  it('still lists an execution 90 days after it stopped, to the millisecond', async () => {
    expect(await namesAfterReopen(join(dir, 'a.jsonl'), start, stop, stop + RETENTION_MS)).toEqual(['TS-2026-000001', 'TS-2026-000002']);
  });

  it('drops it one millisecond later, and keeps the execution that is still running', async () => {
    expect(await namesAfterReopen(join(dir, 'b.jsonl'), start, stop, stop + RETENTION_MS + 1)).toEqual(['TS-2026-000002']);
  });

  it('keeps or drops a closed execution by how long ago it stopped, for any stop time and any later reopening', async () => {
    const scenario = fc.record({
      stop: fc.integer({ min: utcMidnight(2020, 1, 1), max: utcMidnight(2030, 12, 31) }),
      ran: fc.integer({ min: 0, max: 200 * DAY_MS }),
      after: fc.oneof(fc.integer({ min: RETENTION_MS - 3, max: RETENTION_MS + 3 }), fc.integer({ min: 0, max: 2 * RETENTION_MS })),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ stop: s, ran, after }) => {
        const names = await namesAfterReopen(join(dir, `p${n++}.jsonl`), s - ran, s, s + after);
        expect(names).toEqual(after <= RETENTION_MS ? ['TS-2026-000001', 'TS-2026-000002'] : ['TS-2026-000002']);
      }),
      { numRuns: 40 },
    );
  });
});
