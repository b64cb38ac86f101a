/**
 * Questionnaire campaigns end to end over HTTP against `npm start`: a supervisor schedules a SurveyJS
 * form for some classes, rounds open and close on the platform's clock with nobody clicking, parents
 * answer once per token, results come from live counters, and a threshold opens a rectification item.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../support/api-client';
import { startPlatformProcess, stopPlatformProcess, usePlatform } from '../support/platform-process';

jest.setTimeout(180_000);

const { api } = usePlatform();
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const form = JSON.parse(readFileSync(join(__dirname, '../unit/campaigns/fixtures/homework-survey.json'), 'utf8')) as Json;

async function platformNow(): Promise<number> {
  return Date.parse(((await api.call('GET', '/_local/clock')).body as { now: string }).now);
}
const at = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace('Z', '+08:00');

const answer = (minutes: string, satisfaction = 4): Json => ({
  homeworkMinutes: minutes,
  parentsAskedToGrade: false,
  afterSchoolService: true,
  satisfaction,
  ...(satisfaction <= 2 ? { comments: '作业太多' } : {}),
});

let campaignId: string;
let tokens: string[];

const respond = (token: string, answers: Json) => api.call('POST', `/api/surveys/${campaignId}/responses`, { body: { token, answers } });

describe('a one-off campaign', () => {
  it('refuses a form that breaks the rules, naming where', async () => {
    const now = await platformNow();
    const base = { title: 'x', audience: { classIds: ['p06-g3c1'] }, schedule: { opensAt: at(now + HOUR), closesAt: at(now + 8 * DAY) } };
    const bad = await api.as('supervisor', 'POST', '/api/campaigns', { ...base, form: { elements: [{ type: 'matrix', name: 'm' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toMatch(/^form\./);
    const badThreshold = await api.as('supervisor', 'POST', '/api/campaigns', { ...base, form, thresholds: [{ question: 'homeworkMinutes', values: ['forever'], moreThan: 0.2 }] });
    expect(badThreshold.body.error.details.map((d: { field: string }) => d.field)).toContain('thresholds.0.values.0');
    const badClass = await api.as('supervisor', 'POST', '/api/campaigns', { ...base, form, audience: { classIds: ['p06-g9c9'] } });
    expect(badClass.body.error.details.map((d: { field: string }) => d.field)).toContain('audience.classIds.0');
    expect((await api.as('school_admin_p06', 'POST', '/api/campaigns', { ...base, form })).status).toBe(403);
  });

  it('is scheduled, hands out tokens, and accepts nothing before it opens', async () => {
    const now = await platformNow();
    const created = await api.as('supervisor', 'POST', '/api/campaigns', {
      title: '作业负担家长问卷（2026年冬）',
      form,
      audience: { classIds: ['p06-g3c1', 'p06-g3c2', 'p11-g4c1'] },
      schedule: { opensAt: at(now + HOUR), closesAt: at(now + 8 * DAY) },
      thresholds: [{ question: 'homeworkMinutes', values: ['60to90', 'gt90'], moreThan: 0.2, minResponses: 5, description: '书面作业超时' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('scheduled');
    campaignId = created.body.campaignId;
    const issued = await api.as('supervisor', 'POST', `/api/campaigns/${campaignId}/tokens`, { classId: 'p06-g3c1', count: 30 });
    expect(issued.status).toBe(201);
    tokens = issued.body.tokens;
    expect(new Set(tokens).size).toBe(30);
    expect((await api.as('supervisor', 'POST', `/api/campaigns/${campaignId}/tokens`, { classId: 'p16-g1c1', count: 3 })).status).toBe(400);
    expect((await api.call('GET', `/api/surveys/${campaignId}`)).status).toBe(409);
    expect((await respond(tokens[0], answer('lt30'))).status).toBe(409);
  });

  it('opens on time with nobody clicking', async () => {
    await api.advanceClock(2 * HOUR);
    await api.runSchedule('campaign-clock');
    expect((await api.as('supervisor', 'GET', `/api/campaigns/${campaignId}`)).body).toMatchObject({ status: 'open', rounds: [{ round: 1, status: 'open', formVersion: 1 }] });
    const survey = await api.call('GET', `/api/surveys/${campaignId}`);
    expect(survey.status).toBe(200);
    expect(survey.body.form.pages[0].elements[0].name).toBe('homeworkMinutes');
  });

  it('takes one answer per token, also when the same token races', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => respond(tokens[0], answer('lt30'))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect((await respond('NOTATOKEN2345678', answer('lt30'))).status).toBe(400);
  });

  it.each([
    ['an unknown question', { ...answer('lt30'), favouriteColour: 'blue' }, 'answers.favouriteColour'],
    ['a missing required answer', { homeworkMinutes: 'lt30', parentsAskedToGrade: false, afterSchoolService: true }, 'answers.satisfaction'],
    ['a value outside the choices', answer('all night'), 'answers.homeworkMinutes'],
    ['a rating out of range', answer('lt30', 9), 'answers.satisfaction'],
    ['an answer to a question not asked', { ...answer('lt30', 5), comments: '?' }, 'answers.comments'],
  ])('refuses %s with a 400 naming the question, and keeps the token', async (_what, answers, field) => {
    const res = await respond(tokens[1], answers);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('counts a burst of concurrent answers exactly, and a threshold opens one item in the school’s plan', async () => {
    // 1 answer so far (lt30); 20 more: 8 of them 60 minutes or more → 8/21 = 38% > 20%.
    const minutes = [...Array(8).fill('60to90'), ...Array(8).fill('30to60'), ...Array(4).fill('lt30')];
    const satisfaction = minutes.map((_, i) => (i % 5) + 1);
    const res = await Promise.all(minutes.map((m, i) => respond(tokens[i + 1], answer(m, satisfaction[i]))));
    expect(res.every((r) => r.status === 201)).toBe(true);
    const results = (await api.as('supervisor', 'GET', `/api/campaigns/${campaignId}/results`)).body;
    expect(results.responses).toBe(21);
    expect(results.byClass['p06-g3c1'].responses).toBe(21);
    expect(results.participationRate).toBeCloseTo(21 / results.enrolled, 4);
    expect(results.questions.homeworkMinutes.counts).toEqual({ lt30: 5, '30to60': 8, '60to90': 8, gt90: 0 });
    expect(results.questions.satisfaction.answered).toBe(21);
    expect(results.questions.satisfaction.mean).toBeCloseTo((4 + satisfaction.reduce((a, b) => a + b, 0)) / 21, 2);
    const plans = (await api.as('supervisor', 'GET', '/api/rectification/plans?schoolId=p06')).body as Array<{ items: Array<{ source: string; sourceRef: string }> }>;
    const signals = plans.flatMap((p) => p.items).filter((i) => i.source === 'survey_signal' && i.sourceRef.startsWith(campaignId));
    expect(signals).toHaveLength(1);
    expect(signals[0].sourceRef).toContain('p06-g3c1');
  });

  it('shows a school administrator its own school’s results only', async () => {
    const p06 = await api.as('school_admin_p06', 'GET', `/api/campaigns/${campaignId}/results`);
    expect(Object.keys(p06.body.byClass).sort()).toEqual(['p06-g3c1', 'p06-g3c2']);
    const p11 = await api.as('school_admin_p11', 'GET', `/api/campaigns/${campaignId}/results`);
    expect(p11.body.responses).toBe(0);
    expect(Object.keys(p11.body.byClass)).toEqual(['p11-g4c1']);
    expect((await api.as('school_admin_p16', 'GET', `/api/campaigns/${campaignId}/results`)).status).toBe(403);
    expect((await api.as('group_1', 'GET', `/api/campaigns/${campaignId}/results`)).status).toBe(403);
  });

  it('reminds the schools before closing, then closes on time and accepts nothing more', async () => {
    await api.advanceClock(7 * DAY + 1 * HOUR);
    await api.runSchedule('campaign-clock');
    const notes = (await api.as('school_admin_p11', 'GET', '/api/notifications')).body as Array<{ message: string }>;
    expect(notes.some((n) => n.message.includes('作业负担家长问卷'))).toBe(true);
    await api.advanceClock(DAY);
    await api.runSchedule('campaign-clock');
    expect((await api.as('supervisor', 'GET', `/api/campaigns/${campaignId}`)).body.status).toBe('closed');
    expect((await respond(tokens[25], answer('lt30'))).status).toBe(409);
    expect((await api.call('GET', `/api/surveys/${campaignId}`)).status).toBe(409);
  });
});

describe('exports', () => {
  it('stream every response into a CSV or XLSX file that a client following the redirect downloads', async () => {
    const token = await api.token('supervisor');
    const csv = await fetch(`${api.url}/api/campaigns/${campaignId}/export?format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.status).toBe(200);
    expect(csv.redirected).toBe(true);
    const lines = (await csv.text()).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(22);
    expect(lines[0]).toContain('(homeworkMinutes)');
    const xlsx = await fetch(`${api.url}/api/campaigns/${campaignId}/export?format=xlsx`, { headers: { authorization: `Bearer ${token}` } });
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    expect((await api.as('school_admin_p06', 'GET', `/api/campaigns/${campaignId}/export?format=csv`)).status).toBe(403);
  });
});

describe('a recurring campaign', () => {
  it('opens a round at each cron occurrence for its days, each round with its own results', async () => {
    const created = await api.as('supervisor', 'POST', '/api/campaigns', {
      title: '每月课后服务满意度',
      form,
      audience: { classIds: ['p16-g2c1'] },
      schedule: { cron: '0 8 1 * *', openForDays: 7 },
    });
    expect(created.status).toBe(201);
    const id = created.body.campaignId;
    expect(created.body.nextOpensAt).toMatch(/-01T00:00:00\.000Z$/); // 08:00 district time
    const badCron = await api.as('supervisor', 'POST', '/api/campaigns', { title: 'x', form, audience: { classIds: ['p16-g2c1'] }, schedule: { cron: 'every month', openForDays: 7 } });
    expect(badCron.status).toBe(400);
    expect(badCron.body.error.details.map((d: { field: string }) => d.field)).toContain('schedule.cron');
    const next = Date.parse(created.body.nextOpensAt);
    await api.advanceClock(next - (await platformNow()) + HOUR);
    await api.runSchedule('campaign-clock');
    const open = (await api.as('supervisor', 'GET', `/api/campaigns/${id}`)).body;
    expect(open.rounds).toEqual([expect.objectContaining({ round: 1, status: 'open' })]);
    const { tokens: round1 } = (await api.as('supervisor', 'POST', `/api/campaigns/${id}/tokens`, { classId: 'p16-g2c1', count: 2 })).body;
    // A new form version while round 1 is open: round 1 keeps the version it opened with.
    const v2 = JSON.parse(JSON.stringify(form)) as Json;
    v2.pages[1].elements.push({ type: 'text', name: 'grade', title: '孩子所在年级' });
    expect((await api.as('supervisor', 'PUT', `/api/campaigns/${id}/form`, { elements: [{ type: 'matrix', name: 'm' }] })).status).toBe(400);
    expect((await api.as('supervisor', 'PUT', `/api/campaigns/${id}/form`, v2)).body.formVersion).toBe(2);
    expect((await api.call('GET', `/api/surveys/${id}`)).body.form.pages[1].elements.some((e: { name: string }) => e.name === 'grade')).toBe(false);
    expect((await api.call('POST', `/api/surveys/${id}/responses`, { body: { token: round1[0], answers: answer('lt30', 5) } })).status).toBe(201);
    await api.advanceClock(8 * DAY);
    await api.runSchedule('campaign-clock');
    const between = (await api.as('supervisor', 'GET', `/api/campaigns/${id}`)).body;
    expect(between.status).toBe('scheduled');
    expect(between.rounds[0].status).toBe('closed');
    // A token of a closed round answers nothing in the next one.
    await api.advanceClock(Date.parse(between.nextOpensAt) - (await platformNow()) + HOUR);
    await api.runSchedule('campaign-clock');
    const two = (await api.as('supervisor', 'GET', `/api/campaigns/${id}`)).body;
    expect(two.rounds.map((r: { status: string; formVersion: number }) => [r.status, r.formVersion])).toEqual([['closed', 1], ['open', 2]]);
    expect((await api.call('POST', `/api/surveys/${id}/responses`, { body: { token: round1[1], answers: answer('lt30') } })).status).toBe(409);
    expect((await api.as('supervisor', 'GET', `/api/campaigns/${id}/results?round=1`)).body.responses).toBe(1);
    expect((await api.as('supervisor', 'GET', `/api/campaigns/${id}/results?round=2`)).body.responses).toBe(0);
  });
});

describe('the campaign list', () => {
  it('lists every campaign newest first, a page at a time, each with the status its rounds give it', async () => {
    const now = await platformNow();
    const titles = ['列表一', '列表二', '列表三'];
    for (const title of titles) {
      const res = await api.as('supervisor', 'POST', '/api/campaigns', { title, form, audience: { classIds: ['p03-g1c1'] }, schedule: { opensAt: at(now + DAY), closesAt: at(now + 2 * DAY) } });
      expect(res.status).toBe(201);
      await new Promise((r) => setTimeout(r, 5)); // distinct creation times
    }
    const first = await api.as('supervisor', 'GET', '/api/campaigns?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: Json) => c.title)).toEqual(['列表三', '列表二']);
    expect(first.body.cursor).toEqual(expect.any(String));
    const all: Json[] = [...first.body.items];
    for (let cursor = first.body.cursor as string | undefined; cursor; ) {
      const page = await api.as('supervisor', 'GET', `/api/campaigns?limit=2&cursor=${encodeURIComponent(cursor)}`);
      all.push(...page.body.items);
      cursor = page.body.cursor;
    }
    expect(all.map((c) => c.title).slice(0, 3)).toEqual(['列表三', '列表二', '列表一']);
    expect(new Set(all.map((c) => c.campaignId)).size).toBe(all.length);
    const createdAts = all.map((c) => c.createdAt as string);
    expect([...createdAts].sort().reverse()).toEqual(createdAts);
    // The list's status is the campaign's own.
    for (const c of all) expect(c.status).toBe((await api.as('supervisor', 'GET', `/api/campaigns/${c.campaignId}`)).body.status);
    expect(all.find((c) => c.campaignId === campaignId)).toMatchObject({ createdBy: 'supervisor', classCount: 3 });
  });

  it('filters by status, and moves a campaign from scheduled to open to closed with its round', async () => {
    const now = await platformNow();
    const created = await api.as('supervisor', 'POST', '/api/campaigns', { title: '列表状态', form, audience: { classIds: ['p03-g1c1'] }, schedule: { opensAt: at(now + HOUR), closesAt: at(now + 3 * HOUR) } });
    const id = created.body.campaignId as string;
    const statusInList = async (status: string) =>
      ((await api.as('supervisor', 'GET', `/api/campaigns?status=${status}&limit=100`)).body.items as Json[]).some((c) => c.campaignId === id);
    expect(await statusInList('scheduled')).toBe(true);
    await api.advanceClock(2 * HOUR);
    await api.runSchedule('campaign-clock');
    expect(await statusInList('open')).toBe(true);
    expect(await statusInList('scheduled')).toBe(false);
    await api.advanceClock(2 * HOUR);
    await api.runSchedule('campaign-clock');
    expect(await statusInList('closed')).toBe(true);
    expect(await statusInList('open')).toBe(false);
  });

  it('is for supervisors, and refuses a cursor it never handed out', async () => {
    expect((await api.as('school_admin_p06', 'GET', '/api/campaigns')).status).toBe(403);
    const bad = await api.as('supervisor', 'GET', `/api/campaigns?cursor=${Buffer.from(JSON.stringify({ pk: 'TOKEN#x', sk: 'TOKEN', listPk: 'CAMPAIGN', listSk: 'x' })).toString('base64url')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('cursor');
    expect((await api.as('supervisor', 'GET', '/api/campaigns?status=finished')).status).toBe(400);
  });
});

describe('across a restart', () => {
  it('opens a round whose time came while the platform was down, when it comes back', async () => {
    const own = await startPlatformProcess();
    try {
      const login = await fetch(`${own.url}/api/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor' }) });
      const { token } = (await login.json()) as { token: string };
      // The platform's clock (pinned by PLATFORM_NOW), which runs at the real rate across the restart.
      const platformNow = Date.parse(((await (await fetch(`${own.url}/_local/clock`)).json()) as { now: string }).now);
      const skew = platformNow - Date.now();
      const now = platformNow;
      const created = await fetch(`${own.url}/api/campaigns`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ title: 'restart', form, audience: { classIds: ['p03-g1c1'] }, schedule: { opensAt: at(now + 4000), closesAt: at(now + DAY) } }),
      });
      const { campaignId: id } = (await created.json()) as { campaignId: string };
      const stopped = await stopPlatformProcess(own);
      expect(stopped.clean).toBe(true);
      await new Promise((r) => setTimeout(r, Math.max(0, now + 5000 - (Date.now() + skew))));
      const again = await startPlatformProcess({ dataDir: own.dataDir });
      try {
        let status = '';
        for (let i = 0; i < 50 && status !== 'open'; i++) {
          const res = await fetch(`${again.url}/api/surveys/${id}`);
          status = res.status === 200 ? 'open' : 'not yet';
          if (status !== 'open') await new Promise((r) => setTimeout(r, 200));
        }
        expect(status).toBe('open');
      } finally {
        await stopPlatformProcess(again);
      }
    } finally {
      await stopPlatformProcess(own);
    }
  });
});
