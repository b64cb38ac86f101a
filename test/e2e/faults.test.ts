/**
 * Faults of the application's database (issue 7, point 5), against `npm start` with its fault-injection
 * proxy in front of DynamoDB Local (POST /_local/faults): a throttled request is a clean 503 that stores
 * nothing; a step whose retries run out waits and runs again instead of failing its case; and cases run
 * through the whole workflow while 30% of the database requests are throttled, each reaching its end
 * with every side effect exactly once.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json, Receipt } from '../support/api-client';
import { usePlatform } from '../support/platform-process';
import { faults as faultControls, platformState, taskFailures, type PlatformState } from '../support/platform-state';

jest.setTimeout(900_000);

const { api, current } = usePlatform();
const faults = faultControls(api);
const DAY = 24 * 3600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const run = Date.now().toString(36).slice(-5);

let state: PlatformState;
beforeAll(() => {
  state = platformState(current());
});
afterAll(() => {
  state?.close();
  // The platform's own log, to read when a figure looks wrong.
  const dir = join(__dirname, '../../test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'e2e-faults-platform.log'), current().output());
});

const rawPost = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${current().url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: (text ? JSON.parse(text) : undefined) as Json };
};

const complaintCount = async () => (await state.scan('complaints')).filter((i) => i.entity === 'complaint').length;
const idempotencyCount = async () => (await state.scan('idempotency')).length;

describe('a request whose database writes are throttled', () => {
  const complaint = { category: 'unlicensed_tutoring', description: '小区里每个周末都有人办数学补习班，收费很高。', subject: { institutionName: `限流测试补习班${run}` }, contact: { name: '王女士', phone: '13912345678' } };

  it('answers 503 with Retry-After in the error envelope, stores nothing, and the same Idempotency-Key answers 201 once afterwards', async () => {
    const before = { complaints: await complaintCount(), idempotency: await idempotencyCount() };
    const key = `faults-${run}-0001`;

    // Every request to the complaints table throttled (the SDK retries, then gives up).
    await faults.set({ error: 'ProvisionedThroughputExceededException', rate: 1, tables: ['complaints'] });
    const throttled = await rawPost('/api/complaints', complaint, { 'idempotency-key': key });
    const allCounts = await faults.counts();
    expect(throttled.status).toBe(503);
    expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(throttled.body).toEqual({ error: { code: 'service_unavailable', message: expect.any(String) } });
    expect(throttled.text).not.toMatch(/Exception|throughput|complaints|at .*\.ts:\d+/i);

    // DynamoDB's own 500 (InternalServerError), after the SDK's retries: a 503 as well, never a 500.
    await faults.set({ error: 'InternalServerError', rate: 1, tables: ['complaints'] });
    const failing = await rawPost('/api/complaints', complaint, { 'idempotency-key': key });
    expect(failing.status).toBe(503);
    expect(failing.body.error.code).toBe('service_unavailable');

    // Only the transaction throttled: the receipt serial was allocated, the case write fails whole.
    await faults.set({ error: 'ThrottlingException', rate: 1, tables: ['complaints'], operations: ['TransactWriteItems'] });
    const half = await rawPost('/api/complaints', complaint, { 'idempotency-key': key });
    const txCounts = await faults.clear();
    expect(half.status).toBe(503);
    expect(half.body.error.code).toBe('service_unavailable');
    expect({ complaints: await complaintCount(), idempotency: await idempotencyCount() }).toEqual(before);

    const first = await rawPost('/api/complaints', complaint, { 'idempotency-key': key });
    const again = await rawPost('/api/complaints', complaint, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.receiptNo).toBe(first.body.receiptNo);
    expect({ complaints: await complaintCount(), idempotency: await idempotencyCount() }).toEqual({ complaints: before.complaints + 1, idempotency: before.idempotency + 1 });
    console.log(
      `faults, intake: 100% throttling of the complaints table → 503 after ${allCounts.injected.total} injected faults (${allCounts.sdkRetries} SDK retries); ` +
        `throttled transaction only → 503 after ${txCounts.injected.total} faults (${txCounts.sdkRetries} SDK retries); nothing stored; then 201 ${first.body.receiptNo} once, replayed once`,
    );
  });

  it('completing a task while the task table’s transactions are throttled answers 503 and leaves the task open; the same completion then succeeds once', async () => {
    const receipt = await api.file({ ...complaint, subject: { institutionName: `限流任务补习班${run}` } });
    const unit = await unitOf(receipt);
    const task = await api.taskFor(unit, 'accept_case', receipt.receiptNo, 30_000);
    await faults.set({ error: 'ProvisionedThroughputExceededException', rate: 1, tables: ['tasks'], operations: ['TransactWriteItems'] });
    const throttled = await api.complete(unit, task.taskId, { decision: 'accept' });
    await faults.clear();
    expect(throttled.status).toBe(503);
    expect(throttled.body.error.code).toBe('service_unavailable');
    expect((await api.tasks(unit)).find((t) => t.taskId === task.taskId)?.status).toBe('open');
    expect((await api.complete(unit, task.taskId, { decision: 'accept' })).status).toBe(200);
    expect((await api.complete(unit, task.taskId, { decision: 'accept' })).status).toBe(409);
    await api.taskFor(unit, 'investigate', receipt.receiptNo, 30_000);
  });
});

describe('a workflow step that still fails when its retries are exhausted', () => {
  it('waits in its RetryLater state instead of failing the execution, and runs again once the database is back', async () => {
    // Triage reads the registry: with every registry request throttled, its Retry runs out. (Filing a
    // complaint does not read the registry.)
    await faults.set({ error: 'ProvisionedThroughputExceededException', rate: 1, tables: ['registry'] });
    const started = Date.now();
    let receipt: Receipt;
    try {
      receipt = await api.file({ category: 'other', description: `重试演练${run}：学校周边有人散发补课传单。`, subject: { address: `前进区演练路${run}号` } });
    } catch (err) {
      await faults.clear();
      throw err;
    }
    let execution: Awaited<ReturnType<PlatformState['executions']>>[number] | undefined;
    try {
      for (;;) {
        execution = (await state.executions()).find((e) => e.name === receipt.receiptNo);
        if (execution?.events.some((e) => e.type === 'WaitStateEntered' && e.stateEnteredEventDetails?.name === 'TriageRetryLater')) break;
        if (Date.now() - started > 240_000) throw new Error(`no TriageRetryLater within 240 s: ${JSON.stringify(execution?.events.map((e) => e.type))}`);
        await sleep(1000);
      }
    } finally {
      await faults.clear();
    }
    const caught = (Date.now() - started) / 1000;
    const failures = taskFailures(execution ? [execution] : []);
    expect(execution?.status).toBe('RUNNING');
    expect(Object.keys(failures)).toEqual(['ProvisionedThroughputExceededException']);
    expect((await api.as('admin', 'GET', `/api/cases/${receipt.receiptNo}`)).body.triage).toBeUndefined();

    await api.advanceClock(11 * 60_000); // the RetryLater wait (10 minutes) is over
    const unit = await unitOf(receipt);
    await api.taskFor(unit, 'accept_case', receipt.receiptNo, 30_000);
    console.log(
      `faults, retries exhausted: triage failed ${failures.ProvisionedThroughputExceededException} times (the SDK's own retries inside each) and was caught after ${caught.toFixed(0)} s; ` +
        `the execution stayed RUNNING in TriageRetryLater and triaged the case to ${unit} once the wait was over`,
    );
  });
});

// ---- cases through the workflow under throttling ----

const answers = { total: 0, unavailable: 0, failures: [] as string[] };

/** A client that does what the API asks on a 503: try the same request again a moment later. */
async function patiently(what: string, call: () => Promise<{ status: number; body: Json }>): Promise<{ status: number; body: Json }> {
  for (let attempt = 1; ; attempt++) {
    const res = await call();
    answers.total++;
    if (res.status !== 503) {
      if (res.status >= 500) answers.failures.push(`${what}: ${res.status} ${JSON.stringify(res.body)}${serverErrorsLogged()}`);
      return res;
    }
    answers.unavailable++;
    if (res.body?.error?.code !== 'service_unavailable') answers.failures.push(`${what}: 503 without the envelope`);
    if (attempt > 400) throw new Error(`${what}: still 503 after ${attempt} attempts`);
    await sleep(200);
  }
}

/** What the platform logged about its unhandled errors: the cause of a 500, in the failure message itself. */
const serverErrorsLogged = (): string => {
  const lines = current()
    .output()
    .split('\n')
    .filter((l) => l.includes('unhandled error'));
  return lines.length ? `\n  platform log: ${lines.slice(-3).join('\n  ')}` : '';
};

/** Times the platform clock was moved to end RetryLater waits (a task whose retries all ran out). */
const retryLaterReleases = { count: 0, last: 0 };

/**
 * On a loaded machine the one SDK retry quota of the local runtime can run dry, so a workflow task may
 * exhaust its retries and wait 10 minutes of platform time in its RetryLater state, as designed. A wait
 * loop calls this each turn: after a minute without progress it ends such waits by moving the clock 11
 * minutes, at most once a minute across all loops (far from any working-day SLA of the cases).
 */
function retryLaterReleaser(): () => Promise<void> {
  const since = Date.now();
  return async () => {
    const now = Date.now();
    if (now - since < 60_000 || now - retryLaterReleases.last < 60_000) return;
    retryLaterReleases.last = now;
    retryLaterReleases.count++;
    await api.advanceClock(11 * 60_000);
  };
}

async function unitOf(receipt: Receipt): Promise<string> {
  // The admin reads a case without its contact (no audit write), once triage has routed it.
  const deadline = Date.now() + 120_000;
  const release = retryLaterReleaser();
  for (;;) {
    await release();
    const res = await patiently('case', () => api.as('admin', 'GET', `/api/cases/${receipt.receiptNo}`));
    if (res.status === 200 && res.body.unit && res.body.triage) return res.body.unit as string;
    if (Date.now() > deadline) throw new Error(`${receipt.receiptNo} was not triaged: ${JSON.stringify(res.body).slice(0, 300)}`);
    await sleep(250);
  }
}

async function decide(user: string, kind: string, receipt: Receipt, decision: Json): Promise<void> {
  const deadline = Date.now() + 180_000;
  const release = retryLaterReleaser();
  for (;;) {
    await release();
    const inbox = await patiently(`${user} inbox`, () => api.as(user, 'GET', '/api/tasks'));
    const task = inbox.status === 200 ? (inbox.body as unknown as Array<{ taskId: string; kind: string; subjectId: string }>).find((t) => t.kind === kind && t.subjectId === receipt.receiptNo) : undefined;
    if (task) {
      // One key for every retry of this decision: a 503 can follow a committed completion (the handler's
      // deadline under throttling), and the retry then gets the first answer again, never a 409.
      const key = randomUUID();
      const res = await patiently(`${kind} ${receipt.receiptNo}`, () => api.complete(user, task.taskId, decision, key));
      if (res.status !== 200) throw new Error(`${user} ${kind} ${receipt.receiptNo}: ${res.status} ${JSON.stringify(res.body)}`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`${user} got no ${kind} task for ${receipt.receiptNo}`);
    await sleep(300);
  }
}

async function reaches(receipt: Receipt, status: string): Promise<void> {
  const deadline = Date.now() + 240_000;
  const release = retryLaterReleaser();
  for (;;) {
    await release();
    const res = await patiently('track', () => api.call('GET', `/api/complaints/${receipt.receiptNo}`, { headers: { 'x-access-code': receipt.accessCode } }));
    if (res.status === 200 && res.body.status === status) return;
    if (Date.now() > deadline) throw new Error(`${receipt.receiptNo} did not reach ${status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    await sleep(400);
  }
}

async function file(complaint: Json, key: string): Promise<Receipt> {
  const res = await patiently('file', () => api.call('POST', '/api/complaints', { body: complaint, headers: { 'idempotency-key': key } }));
  if (res.status !== 201) throw new Error(`file: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Receipt;
}

interface Case {
  name: string;
  complaint: Json;
  /** What the case must show at the end. */
  expect: { steps: Record<string, number>; notifications: number; ledgerItems: number; outcome: string };
  receipt?: Receipt;
  unit?: string;
}

const tutoring = (n: number, contact = true): Json => ({
  category: 'unlicensed_tutoring',
  description: `第${n}家无证机构周末给小学生上数学课，收费很高。`,
  subject: { institutionName: `故障演练培训${run}-${n}号` },
  ...(contact ? { contact: { name: '李先生', phone: '13700001111' } } : { anonymous: true }),
});
const homework = (school: string, contact = true): Json => ({
  category: 'homework_burden',
  description: '三年级每天书面作业超过两个小时，还要求家长批改签字。',
  subject: { schoolName: school },
  ...(contact ? { contact: { name: '张女士', phone: '13800002222' } } : { anonymous: true }),
});

/**
 * 30% of every database request of the handlers. (Much more, sustained, drains the SDK's retry quota:
 * 500 tokens per client, 5 per retry, and one client serves every handler of the one-machine runtime. The
 * SDK then stops retrying and the state machine's own retries, then its RetryLater states, carry on.)
 */
const RATE = 0.3;

describe('cases running through the workflow while 30% of the database requests are throttled', () => {
  const departments = ['public_security', 'market_regulation'];
  const homeworkSchools = ['前进区第十六小学', '前进区第三小学', '前进区第九小学', '前进区第十一小学教育集团'];
  const cases: Case[] = [0, 1].flatMap((k): Case[] => [
    { name: `unfounded ${k}`, complaint: tutoring(10 * k + 1), expect: { steps: { accept_case: 1, investigate: 1 }, notifications: 1, ledgerItems: 0, outcome: 'unfounded' } },
    { name: `unfounded, anonymous ${k}`, complaint: tutoring(10 * k + 2, false), expect: { steps: { accept_case: 1, investigate: 1 }, notifications: 0, ledgerItems: 0, outcome: 'unfounded' } },
    { name: `transferred ${k}`, complaint: tutoring(10 * k + 3), expect: { steps: { accept_case: 2, investigate: 1 }, notifications: 1, ledgerItems: 0, outcome: 'unfounded' } },
    { name: `homework ${k}`, complaint: homework(homeworkSchools[2 * k]), expect: { steps: { accept_case: 1, investigate: 1, reinspect: 1 }, notifications: 1, ledgerItems: 1, outcome: 'rectified' } },
    { name: `homework, anonymous ${k}`, complaint: homework(homeworkSchools[2 * k + 1], false), expect: { steps: { accept_case: 1, investigate: 1, reinspect: 1 }, notifications: 0, ledgerItems: 1, outcome: 'rectified' } },
    { name: `joint enforcement ${k}`, complaint: tutoring(10 * k + 4), expect: { steps: { accept_case: 1, investigate: 1, department_signoff: departments.length, reinspect: 1 }, notifications: 1, ledgerItems: 0, outcome: 'rectified' } },
  ]);
  const injected = { total: 0, sdkRetries: 0, recoveredBySdk: 0, byError: {} as Record<string, number> };
  const collect = (counts: Json) => {
    injected.total += counts.injected.total;
    injected.sdkRetries += counts.sdkRetries;
    injected.recoveredBySdk += counts.recoveredBySdk;
    for (const [k, v] of Object.entries(counts.injected.byError as Record<string, number>)) injected.byError[k] = (injected.byError[k] ?? 0) + v;
  };
  let started = 0;

  beforeAll(async () => {
    started = Date.now();
    // Sign everyone in before the faults: the tests exercise the workflow, not the login.
    for (const u of ['admin', 'supervisor', 'group_1', 'group_2', 'group_3', 'group_4', 'school_supervision', ...departments.map((d) => `dept_${d}`)]) await api.token(u);
  });

  it('files, triages, accepts, investigates and signs off every case while throttled', async () => {
    await faults.set({ error: 'ProvisionedThroughputExceededException', rate: RATE });
    try {
      await Promise.all(
      cases.map(async (c, i) => {
        c.receipt = await file(c.complaint, `faults-${run}-case-${i}`);
        c.unit = await unitOf(c.receipt);
        const r = c.receipt;
        if (c.name.startsWith('transferred')) {
          const other = c.unit === 'group_2' ? 'group_3' : 'group_2';
          await decide(c.unit, 'accept_case', r, { decision: 'transfer', data: { unit: other } });
          c.unit = other;
        }
        await decide(c.unit, 'accept_case', r, { decision: 'accept' });
        if (c.expect.outcome === 'unfounded') {
          await decide(c.unit, 'investigate', r, { decision: 'unfounded', data: { findings: '现场检查未发现学科类培训。', publicOutcome: '经现场检查，未发现违规培训行为。' } });
          await reaches(r, 'closed');
          return;
        }
        const joint = c.name.startsWith('joint enforcement');
        await decide(c.unit, 'investigate', r, {
          decision: 'violation_confirmed',
          data: { findings: '书面作业超时，且要求家长批改。', departments: joint ? departments : [], rectificationDays: 2 },
        });
        if (joint) await Promise.all(departments.map((d) => decide(`dept_${d}`, 'department_signoff', r, { decision: 'signed', data: { action: `${d} 已依法处置` } })));
        await reaches(r, 'rectifying');
      }),
      );
    } finally {
      collect(await faults.clear());
    }
  });

  it('re-inspects after the deadline and closes every rectified case while throttled by another error', async () => {
    await api.advanceClock(5 * DAY); // past a 2-working-day deadline, whatever the weekday
    await faults.set({ error: 'ThrottlingException', rate: RATE });
    try {
      await Promise.all(
        cases
          .filter((c) => c.expect.outcome === 'rectified')
          .map(async (c) => {
            await decide(c.unit as string, 'reinspect', c.receipt as Receipt, { decision: 'rectified' });
            await reaches(c.receipt as Receipt, 'closed');
          }),
      );
    } finally {
      collect(await faults.clear());
    }
  });

  it('has every side effect exactly once, and the workflow retried what the SDK gave up on', async () => {
    // A decision whose delivery was recorded late (a throttled write after SendTaskSuccess) is settled by
    // the schedule that runs every minute: run it now rather than wait.
    const redelivered = (await api.runSchedule('redeliver-decisions')) as { delivered: number; pending: number };
    const reopened = (current().output().match(/step opened again by a retried task/g) ?? []).length;
    const byCase = new Map(cases.map((c) => [c.receipt?.receiptNo as string, c]));
    const outbox = (await api.call('GET', '/api/dev/outbox')).body as Array<{ receiptNo: string }>;
    const complaints = await state.scan('complaints');
    const taskItems = await state.scan('tasks');
    const ledger = await state.scan('rectification');
    // A case reads "closed" once CloseCase has committed; its execution ends a transition later.
    let executions = (await state.executions()).filter((e) => byCase.has(e.name));
    for (const until = Date.now() + 60_000; executions.some((e) => e.status === 'RUNNING') && Date.now() < until; ) {
      await sleep(250);
      executions = (await state.executions()).filter((e) => byCase.has(e.name));
    }

    const found = [];
    for (const [receiptNo, c] of byCase) {
      const view = (await api.as('admin', 'GET', `/api/cases/${receiptNo}`)).body;
      const trail = view.auditTrail as Array<{ type: string; data: { kind?: string; outcome?: string } }>;
      const count = (type: string) => trail.filter((e) => e.type.endsWith(`.${type}`)).length;
      const opened: Record<string, number> = {};
      for (const e of trail.filter((t) => t.type.endsWith('.task.opened'))) opened[e.data.kind as string] = (opened[e.data.kind as string] ?? 0) + 1;
      const steps = taskItems.filter((i) => i.entity === 'step' && i.receiptNo === receiptNo);
      const tasks = taskItems.filter((i) => i.entity === 'task' && i.receiptNo === receiptNo);
      found.push({
        case: c.name,
        status: view.status,
        outcome: trail.find((e) => e.type.endsWith('.closed'))?.data.outcome,
        steps: opened,
        stepRecords: steps.length,
        tasks: tasks.length - count('task.escalated'),
        openTasks: tasks.filter((t) => t.status === 'open').length,
        undelivered: steps.filter((s) => s.status !== 'delivered').length,
        closedEvents: count('closed'),
        notifications: outbox.filter((n) => n.receiptNo === receiptNo).length,
        notificationRecords: complaints.filter((i) => i.entity === 'notification' && i.receiptNo === receiptNo).length,
        ledgerItems: ledger.filter((i) => i.entity === 'item' && i.sourceRef === receiptNo).length,
        ledgerEvents: count('rectification-ledger.item-opened'),
        execution: executions.find((e) => e.name === receiptNo)?.status,
      });
    }
    const expected = cases.map((c) => {
      const steps = Object.values(c.expect.steps).reduce((a, b) => a + b, 0);
      return {
        case: c.name,
        status: 'closed',
        outcome: c.expect.outcome,
        steps: c.expect.steps,
        stepRecords: steps,
        tasks: steps,
        openTasks: 0,
        undelivered: 0,
        closedEvents: 1,
        notifications: c.expect.notifications,
        notificationRecords: c.expect.notifications,
        ledgerItems: c.expect.ledgerItems,
        ledgerEvents: c.expect.ledgerItems,
        execution: 'SUCCEEDED',
      };
    });
    // Counters equal to a recount: each plan's itemCount and closedCount against its items.
    const plans = ledger.filter((i) => i.entity === 'plan');
    const planCounters = plans.map((p) => {
      const items = ledger.filter((i) => i.entity === 'item' && i.planId === p.planId);
      return { planId: p.planId, itemCount: p.itemCount, closedCount: p.closedCount, items: items.length, closed: items.filter((i) => i.status === 'closed').length };
    });
    const workflowRetries = taskFailures(executions);
    console.log(
      `faults, workflow: ${cases.length} cases in ${((Date.now() - started) / 1000).toFixed(0)} s under ${RATE * 100}% throttling; ` +
        `${injected.total} faults injected (${JSON.stringify(injected.byError)}), ${injected.sdkRetries} SDK retries, ${injected.recoveredBySdk} calls recovered by the SDK; ` +
        `${answers.unavailable} of ${answers.total} API answers were 503 (retried by the client), ${answers.failures.length} were 5xx other than 503; ` +
        `workflow task retries after the SDK gave up: ${JSON.stringify(workflowRetries)}; ${reopened} human steps opened again by a retried task (same task kept); ` +
        `${redelivered.delivered} deliveries recorded late by the schedule; the clock moved ${retryLaterReleases.count} times to end RetryLater waits`,
    );
    console.log(`faults, exactly once: ${JSON.stringify(found.map((f) => ({ case: f.case, steps: f.stepRecords, tasks: f.tasks, sms: f.notifications, ledger: f.ledgerItems, closed: f.closedEvents })))}`);
    expect(found).toEqual(expected);
    expect(planCounters.map((p) => [p.itemCount, p.closedCount])).toEqual(planCounters.map((p) => [p.items, p.closed]));
    expect(answers.failures).toEqual([]);
    expect(injected.total).toBeGreaterThan(50);
  });
});
