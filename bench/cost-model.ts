/**
 * Cloud cost model (issue 8, point 5): what each business operation would be billed for in AWS, counted
 * on one machine. `npm start` runs with the usage meter (local/meter.ts, POST/GET /_local/meter):
 * DynamoDB request units as DynamoDB Local reports them (ReturnConsumedCapacity added by the fault proxy),
 * Lambda invocations and handler milliseconds, API requests and KMS requests; Step Functions state
 * transitions come from the local engine's GetExecutionHistory (StateEntered events) of each case.
 * Each operation is measured a few times (after a warm-up), the mean is compared with the minimum the
 * operation needs (reasoned below) and priced at public us-east-1 list prices.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetExecutionHistoryCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { functionSpecs, type FunctionName } from '../lib/spec/functions';
import { schedules } from '../lib/spec/schedules';
import type { MeterCounts } from '../local/meter';
import { ApiClient, type Json, type Receipt } from '../test/support/api-client';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../test/support/platform-process';
import { withRatio, type BenchModule, type Measurement } from './lib/report';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Public list prices, us-east-1, as published on aws.amazon.com/<service>/pricing (assumed on 2026-11-28). */
const PRICES = {
  /** DynamoDB on-demand, Standard table class: $ per million write / read request units. */
  wruPerMillion: 0.625,
  rruPerMillion: 0.125,
  /** Step Functions Standard: $0.025 per 1,000 state transitions = $25 per million. */
  transitionPerMillion: 25,
  /** Lambda, arm64: $0.20 per million requests, $0.0000133334 per GB-second. */
  lambdaRequestPerMillion: 0.2,
  lambdaGbSecond: 0.0000133334,
  /** API Gateway HTTP API: $1.00 per million requests (first 300 million a month). */
  apiPerMillion: 1.0,
  /** KMS: $0.03 per 10,000 requests = $3 per million. */
  kmsPerMillion: 3,
};

/** What one operation used (means over the samples). */
interface Usage {
  wru: number;
  rru: number;
  ddbRequests: number;
  transitions: number;
  lambda: number;
  /** GB-seconds: handler milliseconds × the function's memory. */
  gbSeconds: number;
  lambdaMs: number;
  api: number;
  kms: number;
  byFunction: Record<string, number>;
  byTable: Record<string, { wru: number; rru: number }>;
}

const ZERO = (): Usage => ({ wru: 0, rru: 0, ddbRequests: 0, transitions: 0, lambda: 0, gbSeconds: 0, lambdaMs: 0, api: 0, kms: 0, byFunction: {}, byTable: {} });

/** µ$ per operation: prices are $ per million units, so units × price = micro-dollars. */
function microDollars(u: Usage): number {
  return (
    u.wru * PRICES.wruPerMillion +
    u.rru * PRICES.rruPerMillion +
    u.transitions * PRICES.transitionPerMillion +
    u.lambda * PRICES.lambdaRequestPerMillion +
    u.gbSeconds * PRICES.lambdaGbSecond * 1e6 +
    u.api * PRICES.apiPerMillion +
    u.kms * PRICES.kmsPerMillion
  );
}

function fromMeter(m: MeterCounts): Usage {
  const u = ZERO();
  for (const [key, d] of Object.entries(m.dynamodb)) {
    const table = key; // `Operation table`
    u.wru += d.writeUnits;
    u.rru += d.readUnits;
    u.ddbRequests += d.requests;
    const t = (u.byTable[table] ??= { wru: 0, rru: 0 });
    t.wru += d.writeUnits;
    t.rru += d.readUnits;
  }
  for (const [name, l] of Object.entries(m.lambda)) {
    u.lambda += l.invocations;
    u.lambdaMs += l.ms;
    // Lambda bills each invocation's duration rounded up to the millisecond.
    u.gbSeconds += (Math.ceil(l.ms) / 1000) * ((functionSpecs[name as FunctionName]?.memoryMb ?? 256) / 1024);
    u.byFunction[name] = (u.byFunction[name] ?? 0) + l.invocations;
  }
  u.api = Object.values(m.api).reduce((a, b) => a + b, 0);
  u.kms = Object.values(m.kms).reduce((a, b) => a + b, 0);
  return u;
}

function mean(samples: Usage[]): Usage {
  const n = samples.length;
  const out = ZERO();
  for (const s of samples) {
    for (const k of ['wru', 'rru', 'ddbRequests', 'transitions', 'lambda', 'gbSeconds', 'lambdaMs', 'api', 'kms'] as const) out[k] += s[k] / n;
    for (const [f, c] of Object.entries(s.byFunction)) out.byFunction[f] = (out.byFunction[f] ?? 0) + c / n;
    for (const [t, c] of Object.entries(s.byTable)) {
      const o = (out.byTable[t] ??= { wru: 0, rru: 0 });
      o.wru += c.wru / n;
      o.rru += c.rru / n;
    }
  }
  return out;
}

const SCHEDULED = new Set<string>(schedules.map((s) => s.target));

/**
 * The minimum each operation needs, reasoned from what it must do (not from the code): one transaction
 * item costs 2 WRU (≤ 1 KB), a plain write 1 WRU, a GSI entry of a written item as much again; an
 * eventually consistent read of ≤ 4 KB 0.5 RRU.
 */
interface Op {
  key: string;
  title: string;
  minimum: Usage;
  why: string;
}
const min = (u: Partial<Usage>): Usage => ({ ...ZERO(), ...u });

const OPS: Op[] = [
  {
    key: 'file',
    title: 'file a complaint (with contact), up to its first task',
    minimum: min({ wru: 20, rru: 0.5, api: 1, lambda: 3, kms: 2, transitions: 2 }),
    why: 'the request: one transaction of case + contact + first event + receipt counter (4 items × 2 WRU) and one GSI entry of the case (the queue, 2 WRU) = 10 WRU, 1 API request, 1 Lambda, 2 KMS Encrypt (name and phone are encrypted per field so that the SMS sender may decrypt the phone only); then what the workflow does at once: triage (1 Lambda, registry read 0.5 RRU, route + event transaction 4 WRU) and the accept task (1 Lambda, task + event + its inbox GSI entry 6 WRU); 2 transitions (triage, accept task); StartExecution itself is free',
  },
  {
    key: 'closure',
    title: 'run a complaint to closure (unfounded: accept, investigate, close, notify, rating)',
    minimum: min({ wru: 32, rru: 2.5, api: 5, lambda: 7, kms: 0, transitions: 4 }),
    why: 'two human steps, each an inbox read (API + Lambda, 1 Query 0.5 RRU) and a completion (API + Lambda, task read 0.5 RRU, transaction task closed + case + event with 1 GSI update: 8 WRU); the investigate task opened by the workflow (1 Lambda, 6 WRU); the close step (1 Lambda: case + event + SMS outbox, 6 WRU); the citizen rating (API + Lambda, case read 0.5 RRU, rating + event 4 WRU) = 2×8 + 6 + 6 + 4 = 32 WRU, 2.5 RRU, 5 API requests, 7 Lambda; transitions: investigate, the decision choice, close, end = 4',
  },
  {
    key: 'notice',
    title: 'publish a homework notice (within the rules)',
    minimum: min({ wru: 2, rru: 1.5, api: 1, lambda: 1 }),
    why: 'reads: the rule set, the class (grade) and the class’s notices of the week (3 × 0.5 RRU); writes: the notice, conditional on none for that class and day (1 WRU) and its board GSI entry (1 WRU)',
  },
  {
    key: 'answer',
    title: 'accept a survey answer',
    minimum: min({ wru: 6, rru: 0.5, api: 1, lambda: 1 }),
    why: 'read the campaign’s open round and form (0.5 RRU); one transaction: token consumed (conditional), response stored, class counter item incremented (3 × 2 WRU)',
  },
  {
    key: 'results',
    title: 'read campaign results (3 classes)',
    minimum: min({ rru: 2, api: 1, lambda: 1 }),
    why: 'the campaign and its round (0.5 RRU) and one counter item per class of the audience (3 × 0.5 RRU); no write',
  },
];

async function meterStart(api: ApiClient): Promise<void> {
  const res = await api.call('POST', '/_local/meter');
  if (res.status !== 200) throw new Error(`meter: ${res.status}`);
}
async function meterRead(api: ApiClient): Promise<MeterCounts> {
  return (await api.call('GET', '/_local/meter')).body as MeterCounts;
}

export const bench: BenchModule = {
  title: 'Cloud cost model',
  async run(log) {
    const platform: PlatformProcess = await startPlatformProcess({ env: { LOG_LEVEL: 'warn' } });
    const api = new ApiClient(platform.url);
    try {
      const sfnEndpoint = /local Step Functions on (http:\/\/127\.0\.0\.1:\d+)/.exec(platform.output())?.[1];
      if (!sfnEndpoint) throw new Error('no Step Functions endpoint in the platform output');
      const sfn = new SFNClient({ endpoint: sfnEndpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      const history = async (receiptNo: string): Promise<HistoryEvent[]> => {
        const events: HistoryEvent[] = [];
        let nextToken: string | undefined;
        do {
          const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: `arn:aws:states:local:000000000000:execution:complaint:${receiptNo}`, nextToken, maxResults: 1000 }));
          events.push(...(page.events ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
        return events;
      };
      const transitions = (events: HistoryEvent[]) => events.filter((e) => e.type?.endsWith('StateEntered')).length;
      /** Waits (outside the meter: the engine's own endpoint) until a case's workflow stops moving. */
      const settle = async (receiptNo: string): Promise<HistoryEvent[]> => {
        let last = -1;
        for (let i = 0; i < 100; i++) {
          let events: HistoryEvent[] = [];
          try {
            events = await history(receiptNo);
          } catch {
            // not started yet
          }
          const idle = ((await meterRead(api)).lambdaInFlight ?? 0) === 0;
          if (idle && events.length === last && last > 0) return events;
          last = events.length;
          await sleep(400);
        }
        throw new Error(`the workflow of ${receiptNo} did not settle`);
      };
      for (const u of ['supervisor', 'group_4', 'school_admin_p06']) await api.token(u);

      /**
       * Runs `body` with the meter on; a sample during which a schedule fired (every minute) is taken
       * again, so that operations carry no scheduled work.
       */
      const measure = async (body: () => Promise<number /* transitions */ | void>): Promise<Usage> => {
        for (let attempt = 1; ; attempt++) {
          await meterStart(api);
          const t = await body();
          const counts = await meterRead(api);
          const usage = fromMeter(counts);
          usage.transitions = typeof t === 'number' ? t : 0;
          const scheduledRan = Object.keys(counts.lambda).some((f) => SCHEDULED.has(f));
          if (!scheduledRan || attempt >= 3) return usage;
          log(`   (a schedule fired during the sample: taken again)`);
        }
      };

      const samples: Record<string, Usage[]> = {};
      const add = (k: string, u: Usage) => (samples[k] ??= []).push(u);
      const SAMPLES = 3;

      // --- file a complaint, then run it to closure (unfounded path) ---
      const institutions = ['状元补习班', '阳光作业托管', '名师一对一家教', '英才学科辅导', '启航课外辅导'];
      let polls = 0;
      const taskOf = async (username: string, kind: string, receiptNo: string) => {
        for (let i = 0; i < 20; i++) {
          const tasks = (await api.as(username, 'GET', '/api/tasks')).body as Array<{ taskId: string; kind: string; subjectId: string }>;
          const task = tasks.find((t) => t.kind === kind && t.subjectId === receiptNo);
          if (task) return task;
          polls++;
          await sleep(300);
        }
        throw new Error(`no ${kind} task for ${receiptNo}`);
      };
      const t0 = Date.now();
      for (let i = 0; i <= SAMPLES; i++) {
        let receipt: Receipt | undefined;
        // Filing includes what the workflow does at once: triage and the first (accept) task.
        const file = await measure(async () => {
          const res = await api.call('POST', '/api/complaints', {
            body: { category: 'unlicensed_tutoring', description: `${institutions[i % institutions.length]}周末给小学生上数学课，收费很高，还提前教下学期的内容。第${i}次。`, subject: { institutionName: institutions[i % institutions.length] }, contact: { name: '李先生', phone: '13700001111' } },
          });
          if (res.status !== 201) throw new Error(`file: ${res.status} ${JSON.stringify(res.body)}`);
          receipt = res.body as Receipt;
          return transitions(await settle(receipt.receiptNo));
        });
        const r = receipt as Receipt;
        // Outside the meter: which unit handles it (the official knows it from the inbox).
        const officer = ((await api.as('supervisor', 'GET', `/api/cases/${r.receiptNo}`)).body.unit as string | undefined) ?? 'group_4';
        await api.token(officer);
        const closure = await measure(async () => {
          const accept = await taskOf(officer, 'accept_case', r.receiptNo);
          if ((await api.as(officer, 'POST', `/api/tasks/${accept.taskId}/complete`, { decision: 'accept' })).status !== 200) throw new Error('accept failed');
          await settle(r.receiptNo);
          const investigate = await taskOf(officer, 'investigate', r.receiptNo);
          const done = await api.as(officer, 'POST', `/api/tasks/${investigate.taskId}/complete`, {
            decision: 'unfounded',
            data: { findings: '现场检查未发现学科类培训。', publicOutcome: '经现场检查，未发现违规培训行为。' },
          });
          if (done.status !== 200) throw new Error(`investigate failed: ${done.status}`);
          await settle(r.receiptNo);
          const rate = await api.call('POST', `/api/complaints/${r.receiptNo}/rating`, { body: { score: 4 }, headers: { 'x-access-code': r.accessCode } });
          if (rate.status !== 201) throw new Error(`rating failed: ${rate.status}`);
          return transitions(await settle(r.receiptNo)) - file.transitions;
        });
        if (i === 0) continue; // warm-up: handlers loaded, caches filled
        add('file', file);
        add('closure', closure);
        log(`complaint ${r.receiptNo}: filed ${file.wru} WRU ${file.rru} RRU; closure ${closure.wru} WRU ${closure.rru} RRU, ${closure.transitions} transitions (+${file.transitions} while filing)`);
      }
      log(`complaints: ${((Date.now() - t0) / 1000).toFixed(0)} s, ${polls} extra inbox polls`);

      // --- homework notices (within the rules: 40 written minutes in grade 3) ---
      const { now } = (await api.call('GET', '/_local/clock')).body as { now: string };
      const days: string[] = [];
      for (let d = 0; days.length < SAMPLES + 1; d--) {
        const date = new Date(Date.parse(now) + 8 * HOUR + d * DAY).toISOString().slice(0, 10);
        if (new Date(`${date}T00:00:00Z`).getUTCDay() !== 3) days.push(date);
      }
      for (const [i, date] of days.entries()) {
        const u = await measure(async () => {
          const res = await api.as('school_admin_p06', 'POST', '/api/homework/notices', {
            classId: 'p06-g3c2',
            date,
            items: [
              { subject: '数学', content: '练习册第12页', kind: 'written', minutes: 25 },
              { subject: '语文', content: '朗读课文', kind: 'reading', minutes: 15 },
              { subject: '英语', content: '抄写单词一遍', kind: 'written', minutes: 15 },
            ],
          });
          if (res.status !== 201) throw new Error(`notice: ${res.status} ${JSON.stringify(res.body)}`);
          if ((res.body.violations as unknown[]).length) throw new Error('the notice was meant to be within the rules');
        });
        if (i > 0) add('notice', u);
      }

      // --- a campaign: answers and results ---
      const form = JSON.parse(readFileSync(join(__dirname, '../test/unit/campaigns/fixtures/homework-survey.json'), 'utf8')) as Json;
      const at = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace('Z', '+08:00');
      const nowMs = Date.parse(now);
      const created = await api.as('supervisor', 'POST', '/api/campaigns', {
        title: '作业负担家长问卷（成本测量）',
        form,
        audience: { classIds: ['p06-g3c1', 'p06-g3c2', 'p11-g4c1'] },
        schedule: { opensAt: at(nowMs + HOUR), closesAt: at(nowMs + 8 * DAY) },
      });
      if (created.status !== 201) throw new Error(`campaign: ${created.status} ${JSON.stringify(created.body)}`);
      const campaignId = created.body.campaignId as string;
      await api.advanceClock(2 * HOUR);
      await api.runSchedule('campaign-clock');
      const tokens = (await api.as('supervisor', 'POST', `/api/campaigns/${campaignId}/tokens`, { classId: 'p06-g3c1', count: 20 })).body.tokens as string[];
      const minutes = ['lt30', '30to60', '60to90', 'lt30'];
      for (let i = 0; i <= SAMPLES * 2; i++) {
        const u = await measure(async () => {
          const res = await api.call('POST', `/api/surveys/${campaignId}/responses`, {
            body: { token: tokens[i], answers: { homeworkMinutes: minutes[i % minutes.length], parentsAskedToGrade: false, afterSchoolService: true, satisfaction: 4 } },
          });
          if (res.status !== 201) throw new Error(`answer: ${res.status} ${JSON.stringify(res.body)}`);
        });
        if (i > 0) add('answer', u);
      }
      for (let i = 0; i <= SAMPLES; i++) {
        const u = await measure(async () => {
          const res = await api.as('supervisor', 'GET', `/api/campaigns/${campaignId}/results`);
          if (res.status !== 200) throw new Error(`results: ${res.status}`);
        });
        if (i > 0) add('results', u);
      }

      // --- scheduled functions: one firing of each, priced per hour of operation ---
      const perFiring: Record<string, Usage> = {};
      for (const s of schedules) {
        await meterStart(api);
        await api.runSchedule(s.name);
        perFiring[s.name] = fromMeter(await meterRead(api));
      }
      const firingsPerHour = (expr: string) => {
        const m = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expr) as RegExpExecArray;
        return 3600_000 / (Number(m[1]) * { minute: 60_000, hour: HOUR, day: DAY }[m[2] as 'minute' | 'hour' | 'day']);
      };
      const hourly = ZERO();
      for (const s of schedules) {
        const f = firingsPerHour(s.expression);
        const u = perFiring[s.name];
        for (const k of ['wru', 'rru', 'ddbRequests', 'lambda', 'gbSeconds', 'lambdaMs', 'api', 'kms'] as const) hourly[k] += u[k] * f;
      }
      await api.call('DELETE', '/_local/meter');
      sfn.destroy();

      // --- report ---
      const measured: Record<string, Usage> = Object.fromEntries(OPS.map((o) => [o.key, mean(samples[o.key] ?? [])]));
      const fmt = (n: number, d = 1) => (Number.isInteger(n) ? String(n) : n.toFixed(d));
      const measurements: Measurement[] = [];
      for (const op of OPS) {
        const u = measured[op.key];
        const m = op.minimum;
        const row = (metric: string, value: number, baseline: number, unit: string, note: string) =>
          measurements.push(withRatio({ bench: 'cost model', metric: `${op.key}: ${metric}`, value, baseline: baseline || undefined, unit, note }));
        row('DynamoDB WRU', u.wru, m.wru, 'WRU', `mean of ${samples[op.key]?.length ?? 0}; baseline = the reasoned minimum`);
        row('DynamoDB RRU', u.rru, m.rru, 'RRU', 'baseline = the reasoned minimum');
        row('Lambda invocations', u.lambda, m.lambda, 'inv', 'baseline = the reasoned minimum');
        if (op.key === 'closure') row('state transitions', u.transitions, m.transitions, 'trans', 'StateEntered events in the execution history');
        row('cost', microDollars(u), microDollars({ ...m, gbSeconds: u.gbSeconds * (m.lambda / Math.max(u.lambda, 1)) }), 'µ$', 'us-east-1 list prices; the minimum is given the same GB-s per invocation');
      }

      // Totals.
      const smsLambda = min({ lambda: 1, kms: 1, rru: 0.5, wru: 1, gbSeconds: 0.05 * 0.25 }); // estimated, not measured: send-sms per closed case
      const perComplaint = microDollars(measured.file) + microDollars(measured.closure) + microDollars(smsLambda);
      const perComplaintMin = microDollars(OPS[0].minimum) + microDollars(OPS[1].minimum);
      const perAnswer = microDollars(measured.answer) + microDollars(measured.results) / 100;
      const perAnswerMin = microDollars(OPS[3].minimum) + microDollars(OPS[4].minimum) / 100;
      const perNotice = microDollars(measured.notice);
      const hourlyCost = microDollars(hourly);
      const usd = (micro: number) => `$${(micro / 1e6).toFixed(micro < 1e5 ? 4 : 2)}`;
      measurements.push(withRatio({ bench: 'cost model', metric: 'per 10,000 complaints filed and closed', value: perComplaint * 1e4 / 1e6, baseline: perComplaintMin * 1e4 / 1e6, unit: 'USD', note: 'us-east-1 list prices, SMS and storage excluded' }));
      measurements.push(withRatio({ bench: 'cost model', metric: 'per 100,000 survey answers (+1 results read per 100)', value: perAnswer * 1e5 / 1e6, baseline: perAnswerMin * 1e5 / 1e6, unit: 'USD', note: 'us-east-1 list prices, storage excluded' }));
      measurements.push(withRatio({ bench: 'cost model', metric: 'scheduled functions, per 30-day month', value: hourlyCost * 24 * 30 / 1e6, unit: 'USD', note: 'whatever the load; EventBridge Scheduler excluded (free tier 14 M/month)' }));

      const opRow = (title: string, u: Usage, m?: Usage) => {
        const r = (a: number, b?: number) => (b === undefined ? fmt(a, 2) : `${fmt(a, 2)} / ${fmt(b, 2)}${b ? ` (×${(a / b).toFixed(1)})` : ''}`);
        return `| ${title} | ${r(u.wru, m?.wru)} | ${r(u.rru, m?.rru)} | ${r(u.transitions, m?.transitions)} | ${r(u.lambda, m?.lambda)} | ${fmt(u.lambdaMs, 0)} ms | ${r(u.api, m?.api)} | ${r(u.kms, m?.kms)} | ${fmt(microDollars(u), 1)} |`;
      };
      const details = [
        '**Method.** `npm start` with the usage meter on (`POST /_local/meter`, local/meter.ts, one-machine only): the fault proxy asks DynamoDB Local for `ReturnConsumedCapacity: TOTAL` and counts what it answers, per operation and table (GSI writes included); Lambda invocations and handler milliseconds are counted in local/functions.ts, API requests in the gateway, KMS requests in the local KMS. Two corrections where DynamoDB Local does not report what AWS bills: TransactWriteItems (Local reports 4 units for a 1 KB transactional Put where AWS bills 2, and 0 for an Update that creates its item) is computed from the request: 2 WRU per KB of each Put’s item, 2 per Update/Delete/ConditionCheck (item ≤ 1 KB assumed), plus the GSI entries it writes (a Put whose item carries an index’s keys; an Update whose expression names an index key; a Delete’s index entries are not counted), so transactional figures are a close floor; a Query that finds nothing is billed 0.5 RRU (Local reports 0). Step Functions state transitions are the StateEntered events of the case’s execution history (`GetExecutionHistory` on the local engine). Each operation ran once to warm up, then ' +
          `${SAMPLES} times (answers ${SAMPLES * 2}), the mean is shown; a sample during which a schedule fired was taken again. Failed conditional writes (billed in AWS) would not be in the units: none happen in these samples.`,
        '',
        '**Per operation: measured / minimum (ratio).**',
        '',
        '| operation | WRU | RRU | state transitions | Lambda invocations | handler time | API requests | KMS requests | µ$ (list price) |',
        '|---|---|---|---|---|---|---|---|---|',
        ...OPS.map((o) => opRow(o.title, measured[o.key], o.minimum)),
        opRow('scheduled functions, per hour (4 every minute, 1 daily)', hourly),
        '',
        '**Where the units go** (mean per operation; DynamoDB operation and table: WRU/RRU): ' +
          OPS.map((o) => `${o.key}: ${Object.entries(measured[o.key].byTable).map(([t, c]) => `${t} ${fmt(c.wru, 1)} WRU/${fmt(c.rru, 1)} RRU`).join(', ')}; functions ${Object.entries(measured[o.key].byFunction).filter(([, c]) => c > 0).map(([f, c]) => `${f}×${fmt(c, 1)}`).join(', ')}`).join('. ') +
          '.',
        '',
        '**Where the money goes** (share of each operation’s list price): ' +
          OPS.map((o) => {
            const u = measured[o.key];
            const total = microDollars(u) || 1;
            const part = (x: number) => `${((100 * x) / total).toFixed(0)}%`;
            return `${o.key}: DynamoDB ${part(u.wru * PRICES.wruPerMillion + u.rru * PRICES.rruPerMillion)}, Step Functions ${part(u.transitions * PRICES.transitionPerMillion)}, Lambda ${part(u.lambda * PRICES.lambdaRequestPerMillion + u.gbSeconds * PRICES.lambdaGbSecond * 1e6)}, API ${part(u.api * PRICES.apiPerMillion)}, KMS ${part(u.kms * PRICES.kmsPerMillion)}`;
          }).join('; ') +
          '.',
        '',
        '**Scheduled functions, one firing each:** ' +
          schedules.map((s) => `${s.name} (${s.expression}): ${fmt(perFiring[s.name].wru, 1)} WRU, ${fmt(perFiring[s.name].rru, 1)} RRU, ${fmt(perFiring[s.name].lambdaMs, 0)} ms`).join('; ') +
          '. Their reads grow with the open work they scan, so this is the figure at the data of this run (a few dozen cases).',
        '',
        '**Minimums, reasoned** (a transactional item ≤ 1 KB = 2 WRU, a plain write 1 WRU, a GSI entry as much again, an eventually consistent read ≤ 4 KB = 0.5 RRU):',
        '',
        ...OPS.map((o) => `- *${o.title}*: ${o.why}.`),
        '',
        '**Prices** (public list prices, region us-east-1 (N. Virginia), assumed as of 2026-11-28; no free tier, no savings plans): DynamoDB on-demand (Standard table class) $0.625 per million write request units and $0.125 per million read request units; Step Functions Standard $0.025 per 1,000 state transitions; Lambda arm64 $0.20 per million requests and $0.0000133334 per GB-second (256 MB functions, 512 MB for the exports; duration = the handler time measured here, rounded up per invocation, on a shared 2-core machine with DynamoDB Local: an estimate, AWS durations will differ); API Gateway HTTP API $1.00 per million requests; KMS $0.03 per 10,000 requests (plus $1 per key-month, excluded).',
        '',
        `**Totals.** Per complaint filed and run to closure (unfounded path, plus an estimated send-sms invocation per closed case: 1 Lambda, 1 KMS Decrypt, 0.5 RRU, 1 WRU): ${fmt(perComplaint, 1)} µ$ → **${usd(perComplaint * 1e4)} per 10,000 complaints** (minimum ${usd(perComplaintMin * 1e4)}). ` +
          `Per survey answer with one results read per 100 answers: ${fmt(perAnswer, 2)} µ$ → **${usd(perAnswer * 1e5)} per 100,000 answers** (minimum ${usd(perAnswerMin * 1e5)}). ` +
          `A homework notice: ${fmt(perNotice, 2)} µ$ (${usd(perNotice * 1e4)} per 10,000). Scheduled functions: ${usd(hourlyCost)} per hour, **${usd(hourlyCost * 24 * 30)} per 30-day month** whatever the load (EventBridge Scheduler invocations, $1.00 per million after 14 million free a month, excluded).`,
        '',
        '**Excluded or estimated separately.** SMS: one per closed case through SNS, priced per message by destination country (not looked up here; at even one cent per message it would be $100 per 10,000 complaints and dominate everything above; in China a domestic SMS provider would likely be used). Storage: DynamoDB $0.25 per GB-month (a case with its events is a few KB), PITR $0.20 per GB-month, S3 evidence files, CloudWatch Logs ingestion ($0.50 per GB) — not measured. The complaint mix: only the unfounded path was measured; a violation with department sign-offs and re-inspection adds about one human step (open task + completion) and its transitions per sign-off and per re-inspection. Retries, faults and `RetryLater` waits cost more transitions and are not in these figures.',
        '',
        '**AWS China (Beijing, cn-north-1; operated by Sinnet).** The bureau would deploy there; prices are in CNY, published separately on amazonaws.cn, and differ from the us-east-1 USD prices above (not a fixed exchange-rate conversion; some services such as HTTP APIs, Step Functions or KMS may differ in availability or features). The unit counts above are what carries over: re-price them with the Beijing price list before budgeting.',
      ].join('\n');
      return { measurements, details };
    } finally {
      await stopPlatformProcess(platform);
    }
  },
};
