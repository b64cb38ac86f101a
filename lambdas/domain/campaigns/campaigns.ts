/**
 * Questionnaire campaigns, for supervisors: form versions and live results from the per-class counters,
 * and what the other campaign modules share. Split by what each function may touch: the audience (the
 * registry's classes) is in campaign-audience.ts, answers and thresholds (the rectification ledger) in
 * survey-answers.ts (the public survey form stays here: it needs neither), so a handler loads only the configuration its function is given.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { clock } from '../../platform/clock';
import { cancellationCodes } from '../../platform/dynamodb';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, type FieldIssue } from '../../platform/errors';
import { transactItems } from '../../platform/transact';
import type { Official } from '../registry/schemas';
import { mergeCounters, parseForm, resultsFromCounters, type QuestionSpec } from './forms';
import { campaignUpdate, formPut, keys, listCampaigns, loadCampaign, roundCounters, type Campaign, type ClassCounters, type FormVersion, type StoredRound } from './campaign-repository';
import { campaignStatus, nextOpening } from './schedule';
import type { CampaignListQuery, CampaignView, Threshold } from './schemas';

const TOKEN_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const TOKEN_LENGTH = 16;
export const tokenHash = (token: string) => createHash('sha256').update(token.toUpperCase().replace(/[\s-]/g, '')).digest('hex');
export const newToken = () => Array.from({ length: TOKEN_LENGTH }, () => TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)]).join('');
export const newCampaignId = () => `CP-${Array.from(randomBytes(10), (b) => TOKEN_ALPHABET[b % TOKEN_ALPHABET.length]).join('')}`;

export function requireSupervisor(official: Official): void {
  if (official.role !== 'supervisor') throw new ForbiddenError('Campaigns are managed by supervisors');
}

/** GET /api/campaigns: the district's campaigns, newest first, a page at a time. */
export async function campaignList(official: Official, q: CampaignListQuery) {
  requireSupervisor(official);
  return listCampaigns(q);
}

export const prefixed = (issues: FieldIssue[], prefix: string): FieldIssue[] => issues.map((i) => ({ ...i, field: i.field.startsWith(prefix) ? i.field : `${prefix}.${i.field}`, in: 'body' }));

export function thresholdIssues(thresholds: Threshold[], questions: QuestionSpec[]): FieldIssue[] {
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

export function openRoundOf(rounds: StoredRound[], now: Date): StoredRound | undefined {
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
