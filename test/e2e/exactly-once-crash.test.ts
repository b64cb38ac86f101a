/**
 * Exactly once across a crash of the whole platform (issue 7, point 5): the platform is SIGKILLed right
 * after an official completes the last human step of a case (so closing it and notifying the complainant
 * is in flight) and, at the same moment, the step that confirms a homework-burden violation (so raising
 * the school's ledger item and starting rectification are in flight). After a restart on the same data
 * each execution finishes once: one closure notification, one ledger item, one audit event each, and the
 * plan's counters equal a recount. Kill points: at once, 50, 150 and 400 ms later; 400 ms later with 60%
 * of the database requests throttled (the steps are retrying); and at the worst moment, made to last: the
 * close step's transaction (case closed + notification) has committed, but the step has not returned
 * (its next read is throttled), so the engine runs the step again after the restart.
 *
 * (crash-recovery.test.ts covers complaints filed during a kill; complaint-governance.test.ts a case
 * waiting for a person across a restart; local-stepfunctions-durability.test.ts the engine's replay.)
 */
import type { Receipt } from '../support/api-client';
import { usePlatform } from '../support/platform-process';
import { faults as faultControls, platformState } from '../support/platform-state';

jest.setTimeout(900_000);

const { api, current, restart } = usePlatform();
const faults = faultControls(api);
type KillPoint = { when: 'timed'; killAfterMs: number } | { when: 'throttled'; killAfterMs: number } | { when: 'after-commit' };
const KILL_POINTS: KillPoint[] = [
  { when: 'timed', killAfterMs: 0 },
  { when: 'timed', killAfterMs: 50 },
  { when: 'timed', killAfterMs: 150 },
  { when: 'timed', killAfterMs: 400 },
  { when: 'throttled', killAfterMs: 400 },
  { when: 'after-commit' },
];
const label = (p: KillPoint) =>
  p.when === 'timed' ? `${p.killAfterMs} ms after the deciding steps` : p.when === 'throttled' ? `${p.killAfterMs} ms after the deciding steps, 60% of the database requests throttled` : 'once the close step has committed, before it returns';
const SCHOOLS = ['前进区第十六小学', '前进区第三小学', '前进区第九小学', '前进区第十一小学教育集团', '前进区第四中学', '前进区第六小学教育集团'];
const run = Date.now().toString(36).slice(-5);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Round {
  point: KillPoint;
  closing: Receipt & { unit: string };
  raising: Receipt & { unit: string };
  figures?: string;
}

async function unitOf(receipt: Receipt): Promise<string> {
  const view = await api.until(() => api.as('admin', 'GET', `/api/cases/${receipt.receiptNo}`), (r) => r.status === 200 && Boolean(r.body.triage), 30_000);
  return view.body.unit as string;
}

const rounds: Round[] = [];

beforeAll(async () => {
  // Every pair waits at its investigation before the kills begin.
  for (const [i, point] of KILL_POINTS.entries()) {
    const closing = await api.file({
      category: 'unlicensed_tutoring',
      description: `崩溃演练${i}号：无证机构周末给小学生上数学课。`,
      subject: { institutionName: `崩溃演练培训${run}-${i}` },
      contact: { name: '李先生', phone: '13700001111' },
    });
    const raising = await api.file({
      category: 'homework_burden',
      description: '三年级每天书面作业超过两个小时，还要求家长批改签字。',
      subject: { schoolName: SCHOOLS[i % SCHOOLS.length] },
      contact: { name: '张女士', phone: '13800002222' },
    });
    const round: Round = { point, closing: { ...closing, unit: await unitOf(closing) }, raising: { ...raising, unit: await unitOf(raising) } };
    for (const c of [round.closing, round.raising]) {
      const accept = await api.taskFor(c.unit, 'accept_case', c.receiptNo);
      expect((await api.complete(c.unit, accept.taskId, { decision: 'accept' })).status).toBe(200);
      await api.taskFor(c.unit, 'investigate', c.receiptNo);
    }
    rounds.push(round);
  }
});

async function statusOf(r: Receipt): Promise<string> {
  return (await api.track(r)).status;
}

/** Completes a task, trying again on a 503 (which stored nothing). */
async function complete(user: string, taskId: string, body: unknown) {
  for (let attempt = 1; ; attempt++) {
    const res = await api.complete(user, taskId, body);
    if (res.status !== 503 || attempt > 100) return res;
    await sleep(100);
  }
}

describe.each(KILL_POINTS.map((p, i) => [label(p), i] as const))('SIGKILL %s', (_label, index) => {
  it('finishes the close and the ledger step once after the restart', async () => {
    const round = rounds[index];
    const { point } = round;
    const [closeTask, raiseTask] = await Promise.all([api.taskFor(round.closing.unit, 'investigate', round.closing.receiptNo), api.taskFor(round.raising.unit, 'investigate', round.raising.receiptNo)]);
    // Throttled: the steps after the decisions are retrying (the SDK's retries, then the workflow's).
    if (point.when === 'throttled') await faults.set({ error: 'ProvisionedThroughputExceededException', rate: 0.6, tables: ['complaints', 'rectification'] });
    // After the commit: closing commits, then its next read (the linked duplicates, a Query) is throttled.
    if (point.when === 'after-commit') await faults.set({ error: 'ProvisionedThroughputExceededException', rate: 1, tables: ['complaints'], operations: ['Query'] });
    const decidedAt = Date.now();
    const decided = await Promise.all([
      complete(round.closing.unit, closeTask.taskId, { decision: 'unfounded', data: { findings: '现场检查未发现学科类培训。', publicOutcome: '经现场检查，未发现违规培训行为。' } }),
      complete(round.raising.unit, raiseTask.taskId, { decision: 'violation_confirmed', data: { findings: '书面作业超时，且要求家长批改。', departments: [] } }),
    ]);
    expect(decided.map((d) => d.status)).toEqual([200, 200]);
    let before = '';
    if (point.when === 'after-commit') {
      const state = platformState(current());
      try {
        const notified = async () => (await state.scan('complaints')).some((i) => i.entity === 'notification' && i.receiptNo === round.closing.receiptNo);
        while (!(await notified())) {
          if (Date.now() - decidedAt > 30_000) throw new Error('the close step did not commit within 30 s');
          await sleep(20);
        }
        const closing = (await state.executions()).find((e) => e.name === round.closing.receiptNo);
        expect(closing?.status).toBe('RUNNING'); // the step committed but has not returned
        const failed = closing?.events.filter((e) => e.type === 'TaskFailed').length ?? 0;
        before = ` (notification committed ${Date.now() - decidedAt} ms after the decision; the close step had not returned, ${failed} failed attempts so far)`;
      } finally {
        state.close();
      }
    } else {
      if (point.killAfterMs) await sleep(point.killAfterMs);
      if (point.when === 'throttled') before = ` (${(await faults.counts()).injected.total as number} faults injected before the kill)`;
    }
    await restart('SIGKILL');
    const restartedAt = Date.now();
    const resumed = /(\d+) executions resumed/.exec(current().output())?.[1] ?? '?';
    const atRestart = { closing: await statusOf(round.closing), raising: await statusOf(round.raising) };
    // Decisions are durable before the 200; anything the kill left undelivered goes out with the schedule.
    await api.runSchedule('redeliver-decisions');
    await api.until(() => statusOf(round.closing), (s) => s === 'closed', 60_000);
    await api.until(() => statusOf(round.raising), (s) => s === 'rectifying', 60_000);
    round.figures =
      `kill ${label(point)}${before}: ${resumed} executions resumed; at restart the closing case was ${atRestart.closing}, the ledger case ${atRestart.raising}; ` +
      `both done ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart`;
  });
});

describe('after every kill', () => {
  it('has exactly one closure notification, one ledger item and one of each audit event per case, and counters equal to a recount', async () => {
    // The ledger step's transaction and the case's later steps settle a moment after the status shows.
    await sleep(1000);
    const state = platformState(current());
    try {
      const outbox = (await api.call('GET', '/api/dev/outbox')).body as Array<{ receiptNo: string }>;
      const ledger = await state.scan('rectification');
      const taskItems = await state.scan('tasks');
      const executions = await state.executions();
      const found = [];
      const expected = [];
      for (const round of rounds) {
        for (const [role, c] of [['closing', round.closing], ['raising', round.raising]] as const) {
          const trail = (await api.as('admin', 'GET', `/api/cases/${c.receiptNo}`)).body.auditTrail as Array<{ type: string }>;
          const count = (type: string) => trail.filter((e) => e.type.endsWith(`.${type}`)).length;
          found.push({
            kill: label(round.point),
            role,
            notifications: outbox.filter((n) => n.receiptNo === c.receiptNo).length,
            closedEvents: count('closed'),
            ledgerItems: ledger.filter((i) => i.entity === 'item' && i.sourceRef === c.receiptNo).length,
            ledgerEvents: count('rectification-ledger.item-opened'),
            rectificationRounds: count('rectification.started'),
            steps: taskItems.filter((i) => i.entity === 'step' && i.receiptNo === c.receiptNo).length,
            tasks: taskItems.filter((i) => i.entity === 'task' && i.receiptNo === c.receiptNo).length,
            taskOpenedEvents: count('task.opened'),
            execution: executions.find((e) => e.name === c.receiptNo)?.status,
          });
          expected.push({
            kill: label(round.point),
            role,
            notifications: role === 'closing' ? 1 : 0,
            closedEvents: role === 'closing' ? 1 : 0,
            ledgerItems: role === 'raising' ? 1 : 0,
            ledgerEvents: role === 'raising' ? 1 : 0,
            rectificationRounds: role === 'raising' ? 1 : 0,
            steps: 2,
            tasks: 2,
            taskOpenedEvents: 2,
            // The ledger case now waits for its rectification deadline.
            execution: role === 'closing' ? 'SUCCEEDED' : 'RUNNING',
          });
        }
      }
      const plans = ledger.filter((i) => i.entity === 'plan');
      const counters = plans.map((p) => ({ planId: p.planId, itemCount: p.itemCount, closedCount: p.closedCount }));
      const recount = plans.map((p) => {
        const items = ledger.filter((i) => i.entity === 'item' && i.planId === p.planId);
        return { planId: p.planId, itemCount: items.length, closedCount: items.filter((i) => i.status === 'closed').length };
      });
      for (const r of rounds) console.log(`exactly once under SIGKILL, ${r.figures ?? 'round did not finish'}`);
      console.log(
        `exactly once under SIGKILL: ${rounds.length} kills; closure notifications per closed case ${JSON.stringify(found.filter((f) => f.role === 'closing').map((f) => f.notifications))}, ` +
          `ledger items per confirmed homework case ${JSON.stringify(found.filter((f) => f.role === 'raising').map((f) => f.ledgerItems))}, plan counters ${JSON.stringify(counters)} vs recount ${JSON.stringify(recount)}`,
      );
      expect(found).toEqual(expected);
      expect(counters).toEqual(recount);
    } finally {
      state.close();
    }
  });
});
