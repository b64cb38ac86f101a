/**
 * A campaign's audience, for supervisors and school administrators: creating a campaign for classes of
 * the registry, reading it within one's school, and one-time tokens per class.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../../platform/clock';
import { documents } from '../../platform/dynamodb';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, type FieldIssue } from '../../platform/errors';
import { transactItems } from '../../platform/transact';
import type { Official } from '../registry/schemas';
import { getClass } from '../registry/registry-repository';
import { parseForm } from './forms';
import { campaignPut, formPut, loadCampaign, tableName, tokenPut, type Campaign } from './campaign-repository';
import { campaignStatus, tokenExpiry, validCron } from './schedule';
import type { CampaignRequest, CampaignView } from './schemas';
import { campaignView, newCampaignId, newToken, prefixed, requireSupervisor, thresholdIssues, tokenHash } from './campaigns';

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
  const expiresAt = tokenExpiry(loaded.campaign.schedule, loaded.rounds, open, clock.now());
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

