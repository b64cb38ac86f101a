/**
 * The campaign clock (schedule campaign-clock, every minute; EventBridge Scheduler in AWS, the local
 * scheduler on one machine): opens and closes rounds on time with nobody clicking, sends reminders
 * before closing, and re-checks thresholds when a round closes. It compares stored state with the clock,
 * so what was missed while the platform was down happens at the next tick.
 */
import { randomUUID } from 'node:crypto';
import { clock } from '../../platform/clock';
import { cancellationCodes } from '../../platform/dynamodb';
import { transactItems } from '../../platform/transact';
import { logger } from '../../platform/logger';
import { getClass } from '../registry/registry-repository';
import { schoolNotificationPut } from '../rectification/ledger-repository';
import { activeCampaignIds, campaignUpdate, loadCampaign, roundCounters, roundPut, roundUpdate, type StoredRound } from './campaign-repository';
import { raiseThresholdItems } from './survey-answers';
import { nextTransition } from './schedule';
import type { FormVersion } from './campaign-repository';

export async function tickCampaigns(): Promise<{ opened: number; closed: number; reminded: number }> {
  const counts = { opened: 0, closed: 0, reminded: 0 };
  for (const id of await activeCampaignIds()) {
    try {
      // A campaign back from downtime may need several steps (open the missed round, then close it).
      for (let step = 0; step < 4 && (await tickOne(id, counts)); step++);
    } catch (err) {
      logger.error('campaign tick failed', { campaignId: id, error: err });
    }
  }
  return counts;
}

async function tickOne(campaignId: string, counts: { opened: number; closed: number; reminded: number }): Promise<boolean> {
  const loaded = await loadCampaign(campaignId);
  if (!loaded) return false;
  const { campaign } = loaded;
  const rounds = [...loaded.rounds].sort((a, b) => a.round - b.round);
  const now = clock.now();
  const reminded = new Set(rounds.filter((r) => r.remindedAt).map((r) => r.round));
  const t = nextTransition(campaign.schedule, rounds, now, campaign.reminderHoursBeforeClose, reminded);
  if (!t) return false;
  try {
    if (t.kind === 'open') {
      const classes: StoredRound['classes'] = {};
      for (const c of await Promise.all(campaign.classIds.map(getClass))) if (c) classes[c.classId] = { schoolId: c.schoolId, grade: c.grade, enrolled: c.enrolled };
      const enrolled = Object.values(classes).reduce((s, c) => s + c.enrolled, 0);
      await transactItems([
        roundPut(campaignId, { round: t.round, opensAt: t.opensAt, closesAt: t.closesAt, status: 'open', formVersion: campaign.formVersion, enrolled, classes }),
        // The list's status (index byCreated) moves with the round, in the same transaction.
        campaignUpdate(campaignId, { set: { status: 'open' } }),
      ]);
      counts.opened++;
      logger.info('campaign round opened', { campaignId, round: t.round });
      return true;
    }
    const round = rounds.find((r) => r.round === t.round) as StoredRound;
    if (t.kind === 'remind') {
      const schools = new Set(Object.values(round.classes).map((c) => c.schoolId));
      await transactItems([
        roundUpdate(campaignId, t.round, { set: { remindedAt: now.toISOString() }, condition: { expression: 'attribute_not_exists(#r)', names: { '#r': 'remindedAt' } } }),
        ...[...schools].map((schoolId) =>
          schoolNotificationPut({
            notificationId: randomUUID(),
            schoolId,
            createdAt: now.toISOString(),
            message: `问卷“${campaign.title}”将于 ${round.closesAt} 截止，请提醒家长填写。The survey “${campaign.title}” closes at ${round.closesAt}: please remind parents.`,
          }),
        ),
      ]);
      counts.reminded++;
      return true;
    }
    await transactItems([
      roundUpdate(campaignId, t.round, { set: { status: 'closed', closedAt: now.toISOString() }, condition: { expression: '#s = :open', names: { '#s': 'status' }, values: { ':open': 'open' } } }),
      'opensAt' in campaign.schedule
        ? campaignUpdate(campaignId, { set: { active: false, status: 'closed' }, remove: ['activePk', 'activeSk'] })
        : campaignUpdate(campaignId, { set: { status: 'scheduled' } }),
    ]);
    counts.closed++;
    logger.info('campaign round closed', { campaignId, round: t.round });
    // Thresholds once more over the final counts (answers that could not raise their item at the time).
    const form = loaded.forms.find((f) => f.version === round.formVersion) as FormVersion;
    for (const c of await roundCounters(campaignId, t.round, true)) await raiseThresholdItems(campaign, t.round, form.questions, c);
    return true;
  } catch (err) {
    // Another tick did it first.
    if (cancellationCodes(err)?.includes('ConditionalCheckFailed')) return true;
    throw err;
  }
}
