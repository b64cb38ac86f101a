/**
 * Answering a survey (public, with a one-time token): each token once, validated against the round's
 * form version, aggregated atomically; thresholds over a class's counters open rectification items.
 */
import { createHash, randomBytes } from 'node:crypto';
import { clock } from '../../platform/clock';
import { cancellationCodes } from '../../platform/dynamodb';
import { ConflictError, InvalidInputError, NotFoundError } from '../../platform/errors';
import { transactItems } from '../../platform/transact';
import { logger } from '../../platform/logger';
import { openItemOnce } from '../rectification/open-items';
import { counterIncrements, validateAnswers, type QuestionSpec } from './forms';
import { aggregateAdd, classCounters, getToken, loadCampaign, responsePut, tokenUse, type Campaign, type ClassCounters, type FormVersion } from './campaign-repository';
import type { ResponseRequest } from './schemas';
import { openRoundOf, tokenHash } from './campaigns';

export async function submitResponse(campaignId: string, req: ResponseRequest): Promise<{ responseId: string; round: number }> {
  const hash = tokenHash(req.token);
  // The token and the campaign are read at the same time (one round trip instead of two); the checks and
  // their answers keep their order: an unknown or used token is refused whatever the campaign read says.
  const loading = loadCampaign(campaignId);
  loading.catch(() => undefined); // awaited below unless the token is refused first
  const token = await getToken(hash);
  if (!token || token.campaignId !== campaignId) throw new InvalidInputError('Unknown token', [{ field: 'token', message: 'is not a token of this survey', in: 'body' }]);
  if (token.usedAt) throw new ConflictError('This token has already been used', 'token_used');
  const loaded = await loading;
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

