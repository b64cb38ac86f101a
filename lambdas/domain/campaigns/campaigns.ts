/**
 * Questionnaire campaigns: creation (the form validated and versioned), one-time tokens per class,
 * answers (each token once, validated against the round's form version, aggregated atomically), live
 * results from the per-class counters, and thresholds that turn answers into rectification items.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../../platform/clock';
import { cancellationCodes, documents } from '../../platform/dynamodb';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, type FieldIssue } from '../../platform/errors';
import { transactItems } from '../../platform/transact';
import { logger } from '../../platform/logger';
import type { Official } from '../registry/schemas';
import { getClass } from '../registry/registry-repository';
import { openItemOnce } from '../rectification/ledger';
import { counterIncrements, mergeCounters, parseForm, resultsFromCounters, validateAnswers, type QuestionSpec } from './forms';
import {
  aggregateAdd,
  campaignPut,
  campaignUpdate,
  classCounters,
  formPut,
  getToken,
  keys,
  loadCampaign,
  responsePut,
  roundCounters,
  tableName,
  tokenPut,
  tokenUse,
  type Campaign,
  type ClassCounters,
  type FormVersion,
  type StoredRound,
} from './campaign-repository';
import { campaignStatus, nextOpening, validCron } from './schedule';
import type { CampaignRequest, CampaignView, ResponseRequest, Threshold } from './schemas';

const TOKEN_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const TOKEN_LENGTH = 16;
const TOKEN_TTL_DAYS = 180;

export const tokenHash = (token: string) => createHash('sha256').update(token.toUpperCase().replace(/[\s-]/g, '')).digest('hex');
const newToken = () => Array.from({ length: TOKEN_LENGTH }, () => TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)]).join('');
const newCampaignId = () => `CP-${Array.from(randomBytes(10), (b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join('')}`;

function requireSupervisor(official: Official): void {
  if (official.role !== 'supervisor') throw new ForbiddenError('Campaigns are managed by supervisors');
}

const prefixed = (issues: FieldIssue[], prefix: string): FieldIssue[] => issues.map((i) => ({ ...i, field: i.field.startsWith(prefix) ? i.field : `${prefix}.${i.field}`, in: 'body' }));

function thresholdIssues(thresholds: Threshold[], questions: QuestionSpec[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  thresholds.forEach((t, n) => {
    const q = questions.find((x) => x.name === t.question);
    if (!q) return issues.push({ field: `thresholds.${n}.question`, message: `must name a question of the form`, in: 'body' });
    const allowed = q.type === 'boolean' ? ['true', 'false'] : q.type === 'rating' ? (q.rateValues ?? []).map(String) : (q.choices ?? []).map(String);
    if (!allowed.length) return issues.push({ field: `thresholds.${n}.question`, message: 'must be a choice, boolean or rating question', in: 'body' });
    t.values.forEach((v, m) => {
      if (!allowed.includes(v)) issues.push({ field: `thresholds.${n}.values.${m}`, message: `must be one of ${allowed.join(', ')}`, in: 'body' });
    });
    return undefined;
  });
  return issues;
}

export function campaignView(c: Campaign, rounds: StoredRound[], now: Date): CampaignView {
  const sorted = [...rounds].sort((a, b) => a.round - b.round);
  const upcoming = campaignStatus(c.schedule, sorted) === 'scheduled' ? nextOpening(c.schedule, sorted, now) : undefined;
  return {
    campaignId: c.campaignId,
    title: c.title,
    status: campaignStatus(c.schedule, sorted),
    formVersion: c.formVersion,
    audience: { classIds: c.classIds },
    schedule: c.schedule,
    thresholds: c.thresholds,
    rounds: sorted.map((r) => ({ round: r.round, opensAt: r.opensAt, closesAt: r.closesAt, status: r.status, formVersion: r.formVersion, enrolled: r.enrolled })),
    ...(upcoming ? { nextOpensAt: upcoming } : {}),
  };
}

export async function createCampaign(official: Official, req: CampaignRequest): Promise<CampaignView> {
  requireSupervisor(official);
  const form = parseForm(req.form);
  const issues: FieldIssue[] = form.ok ? [] : prefixed(form.issues, 'form');
  if ('cron' in req.schedule && !validCron(req.schedule.cron)) issues.push({ field: 'schedule.cron', message: 'must be a five-field cron expression, e.g. "0 8 1 * *"', in: 'body' });
  const classes = await Promise.all(req.audience.classIds.map(getClass));
  classes.forEach((c, n) => {
    if (!c) issues.push({ field: `audience.classIds.${n}`, message: 'must be a class of the registry', in: 'body' });
  });
  if (form.ok) issues.push(...thresholdIssues(req.thresholds, form.questions));
  if (issues.length || !form.ok) throw new InvalidInputError('The campaign is invalid: see details', issues);
  const now = clock.now();
  const campaign: Campaign = {
    campaignId: newCampaignId(),
    title: req.title,
    formVersion: 1,
    classIds: req.audience.classIds,
    schedule: req.schedule,
    thresholds: req.thresholds,
    reminderHoursBeforeClose: req.reminderHoursBeforeClose,
    createdBy: official.username,
    createdAt: now.toISOString(),
    active: true,
  };
  await transactItems([campaignPut(campaign), formPut(campaign.campaignId, { version: 1, form: req.form, questions: form.questions })]);
  return campaignView(campaign, [], now);
}

/** A new form version: rounds opened from now on use it; an open round keeps the version it opened with. */
export async function newFormVersion(official: Official, campaignId: string, formJson: Record<string, unknown>): Promise<CampaignView> {
  requireSupervisor(official);
  const loaded = await loadCampaign(campaignId);
  if (!loaded) throw new NotFoundError('No such campaign');
  const form = parseForm(formJson);
  if (!form.ok) throw new InvalidInputError('The form is invalid: see details', prefixed(form.issues, 'form'));
  const version = loaded.campaign.formVersion + 1;
  try {
    await transactItems([
      formPut(campaignId, { version, form: formJson, questions: form.questions }),
      campaignUpdate(campaignId, { set: { formVersion: version }, condition: { expression: '#v = :v', names: { '#v': 'formVersion' }, values: { ':v': loaded.campaign.formVersion } } }),
    ]);
  } catch (err) {
    if (cancellationCodes(err)?.includes('ConditionalCheckFailed')) throw new ConflictError('Another form version was stored a moment ago', 'stale_version');
    throw err;
  }
  return campaignView({ ...loaded.campaign, formVersion: version }, loaded.rounds, clock.now());
}

async function schoolOfficialMayRead(official: Official, classIds: string[]): Promise<boolean> {
  if (official.role === 'supervisor' || official.role === 'admin') return true;
  if (official.role !== 'school_admin' || !official.schoolId) return false;
  return classIds.some((id) => id.startsWith(`${official.schoolId}-`)) || (await Promise.all(classIds.map(getClass))).some((c) => c?.schoolId === official.schoolId);
}

export async function campaignForOfficial(official: Official, campaignId: string): Promise<CampaignView> {
  const loaded = await loadCampaign(campaignId);
  if (!loaded) throw new NotFoundError('No such campaign');
  if (!(await schoolOfficialMayRead(official, loaded.campaign.classIds))) throw new ForbiddenError('This campaign does not concern your school');
  return campaignView(loaded.campaign, loaded.rounds, clock.now());
}

/** One-time tokens for a class, for the open round (or the next round when none is open). */
export async function issueTokens(official: Official, campaignId: string, req: { classId: string; count: number }) {
  requireSupervisor(official);
  const loaded = await loadCampaign(campaignId);
  if (!loaded) throw new NotFoundError('No such campaign');
  if (!loaded.campaign.classIds.includes(req.classId)) throw new InvalidInputError('This class is not in the audience', [{ field: 'classId', message: 'must be a class of the campaign’s audience', in: 'body' }]);
  const status = campaignStatus(loaded.campaign.schedule, loaded.rounds);
  if (status === 'closed') throw new ConflictError('This campaign is closed', 'campaign_closed');
  const open = loaded.rounds.find((r) => r.status === 'open');
  const round = open?.round ?? loaded.rounds.length + 1;
  const schoolClass = await getClass(req.classId);
  if (!schoolClass) throw new InvalidInputError('No such class', [{ field: 'classId', message: 'must be a class of the registry', in: 'body' }]);
  const tokens = Array.from({ length: req.count }, newToken);
  const expiresAt = Math.floor(clock.now().getTime() / 1000) + TOKEN_TTL_DAYS * 86_400;
  for (let i = 0; i < tokens.length; i += 25) {
    let batch = tokens.slice(i, i + 25).map((t) => tokenPut(tokenHash(t), { campaignId, round, classId: req.classId, schoolId: schoolClass.schoolId, grade: schoolClass.grade }, expiresAt));
    for (let attempt = 0; batch.length; attempt++) {
      const out = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
      batch = (out.UnprocessedItems?.[tableName] ?? []) as typeof batch;
      if (batch.length) await new Promise((r) => setTimeout(r, 50 * 2 ** Math.min(attempt, 6)));
    }
  }
  return { round, classId: req.classId, tokens };
}

function openRoundOf(rounds: StoredRound[], now: Date): StoredRound | undefined {
  return rounds.find((r) => r.status === 'open' && Date.parse(r.opensAt) <= now.getTime() && now.getTime() < Date.parse(r.closesAt));
}

/** The form of the open round, for respondents (public, while open). */
export async function surveyForm(campaignId: string) {
  const loaded = await loadCampaign(campaignId);
  if (!loaded) throw new NotFoundError('No such survey');
  const round = openRoundOf(loaded.rounds, clock.now());
  if (!round) throw new ConflictError('This survey is not open', 'not_open');
  const form = loaded.forms.find((f) => f.version === round.formVersion) as FormVersion;
  return { campaignId, title: loaded.campaign.title, round: round.round, closesAt: round.closesAt, form: form.form };
}

export async function submitResponse(campaignId: string, req: ResponseRequest): Promise<{ responseId: string; round: number }> {
  const hash = tokenHash(req.token);
  const token = await getToken(hash);
  if (!token || token.campaignId !== campaignId) throw new InvalidInputError('Unknown token', [{ field: 'token', message: 'is not a token of this survey', in: 'body' }]);
  if (token.usedAt) throw new ConflictError('This token has already been used', 'token_used');
  const loaded = await loadCampaign(campaignId);
  if (!loaded) throw new NotFoundError('No such survey');
  const now = clock.now();
  const round = openRoundOf(loaded.rounds, now);
  if (!round || round.round !== token.round) throw new ConflictError('This survey is not open for this token', 'not_open');
  const form = loaded.forms.find((f) => f.version === round.formVersion) as FormVersion;
  const issues = validateAnswers(form.form, form.questions, req.answers);
  if (issues.length) throw new InvalidInputError('The answers do not fit the form: see details', issues);
  const responseId = `${now.toISOString()}#${randomBytes(6).toString('hex')}`;
  try {
    await transactItems([
      tokenUse(hash, now.toISOString()),
      responsePut(campaignId, round.round, responseId, { classId: token.classId, schoolId: token.schoolId, grade: token.grade, formVersion: form.version, answers: req.answers, at: now.toISOString() }),
      aggregateAdd(campaignId, round.round, token, counterIncrements(form.questions, req.answers)),
    ]);
  } catch (err) {
    const codes = cancellationCodes(err);
    if (codes?.[0] === 'ConditionalCheckFailed' || codes?.includes('TransactionConflict')) throw new ConflictError('This token has already been used', 'token_used');
    throw err;
  }
  if (loaded.campaign.thresholds.length) {
    // The answer is stored; a failure here is retried when the round closes.
    try {
      const counters = await classCounters(campaignId, round.round, token.classId);
      if (counters) await raiseThresholdItems(loaded.campaign, round.round, form.questions, counters);
    } catch (err) {
      logger.warn('threshold check deferred to the round close', { campaignId, error: (err as Error).name });
    }
  }
  return { responseId, round: round.round };
}

/** Thresholds over one class's counters: an item in the school's plan, once per class, round and threshold. */
export async function raiseThresholdItems(campaign: Campaign, round: number, questions: QuestionSpec[], c: ClassCounters): Promise<string[]> {
  const raised: string[] = [];
  for (const [n, t] of campaign.thresholds.entries()) {
    if (c.responses < t.minResponses) continue;
    const hits = t.values.reduce((sum, v) => sum + (c.counters[`c|${t.question}|${v}`] ?? 0), 0);
    const rate = hits / c.responses;
    if (rate <= t.moreThan) continue;
    const sourceRef = `${campaign.campaignId}#${round}#${c.classId}#${n}`;
    const suffix = createHash('sha256').update(sourceRef).digest('hex').slice(0, 10);
    const title = questions.find((q) => q.name === t.question)?.title ?? t.question;
    const { itemId, created } = await openItemOnce(
      c.schoolId,
      {
        source: 'survey_signal',
        sourceRef,
        description: `${c.classId}: ${Math.round(rate * 100)}% of ${c.responses} answers to “${title}” were ${t.values.join(' / ')} (threshold ${Math.round(t.moreThan * 100)}%)${t.description ? ` — ${t.description}` : ''}. Campaign “${campaign.title}”, round ${round}.`,
        measure: 'Look into the cause with the class teacher and report the measures taken',
        owner: `${c.classId} 班主任`,
        idSuffix: suffix,
      },
      'system:campaign-thresholds',
    );
    if (created) raised.push(itemId);
  }
  return raised;
}

export async function campaignResults(official: Official, campaignId: string, roundNo?: number) {
  const loaded = await loadCampaign(campaignId);
  if (!loaded) throw new NotFoundError('No such campaign');
  const ownSchool = official.role === 'school_admin' ? official.schoolId : undefined;
  if (!ownSchool && official.role !== 'supervisor' && official.role !== 'admin') throw new ForbiddenError('Results are for supervisors and the schools concerned');
  const rounds = [...loaded.rounds].sort((a, b) => a.round - b.round);
  const round = roundNo ? rounds.find((r) => r.round === roundNo) : rounds[rounds.length - 1];
  if (!round) throw new NotFoundError('This campaign has no such round yet');
  const form = loaded.forms.find((f) => f.version === round.formVersion) as FormVersion;
  let counters = await roundCounters(campaignId, round.round);
  let classIds = Object.keys(round.classes);
  if (ownSchool) {
    // A school administrator sees its own school's classes only.
    counters = counters.filter((c) => c.schoolId === ownSchool);
    classIds = classIds.filter((id) => round.classes[id].schoolId === ownSchool);
    if (!classIds.length) throw new ForbiddenError('This campaign does not concern your school');
  }
  const enrolledOf = (id: string) => round.classes[id]?.enrolled ?? 0;
  const byClass: Record<string, { responses: number; enrolled: number; participationRate: number }> = {};
  for (const id of classIds) {
    const c = counters.find((x) => x.classId === id);
    const enrolled = enrolledOf(id);
    byClass[id] = { responses: c?.responses ?? 0, enrolled, participationRate: enrolled ? round4((c?.responses ?? 0) / enrolled) : 0 };
  }
  const group = (key: (c: ClassCounters) => string) => {
    const out: Record<string, { responses: number; questions: Record<string, unknown> }> = {};
    const merged: Record<string, Record<string, number>> = {};
    const responses: Record<string, number> = {};
    for (const c of counters) {
      const k = key(c);
      merged[k] = mergeCounters(merged[k] ?? {}, c.counters);
      responses[k] = (responses[k] ?? 0) + c.responses;
    }
    for (const k of Object.keys(merged)) out[k] = { responses: responses[k], questions: resultsFromCounters(form.questions, merged[k]) };
    return out;
  };
  const total = counters.reduce((s, c) => s + c.responses, 0);
  const enrolled = classIds.reduce((s, id) => s + enrolledOf(id), 0);
  return {
    campaignId,
    round: round.round,
    status: round.status,
    formVersion: round.formVersion,
    responses: total,
    enrolled,
    participationRate: enrolled ? round4(total / enrolled) : 0,
    questions: resultsFromCounters(form.questions, counters.reduce((m, c) => mergeCounters(m, c.counters), {} as Record<string, number>)),
    byClass,
    bySchool: group((c) => c.schoolId),
    byGrade: group((c) => String(c.grade)),
  };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export { keys as campaignKeys };
