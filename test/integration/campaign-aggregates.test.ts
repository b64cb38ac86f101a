/**
 * Campaign answers against the real DynamoDB Local and the local S3: the live counters equal a recount
 * of the stored responses after a burst of concurrent answers, and 10,000 responses export as CSV and
 * XLSX (streamed into the bucket; figures printed).
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { startLocalS3, type LocalS3 } from '../../local/s3';
import { startTestDatabase } from '../support/local-dynamodb';
import { clock } from '../../lambdas/platform/clock';

/** Fixtures enter the registry as an admin would: through the import. */
const seeder = { username: 'test-fixture', role: 'admin' } as const;

jest.setTimeout(240_000);

const form = JSON.parse(readFileSync(join(__dirname, '../unit/campaigns/fixtures/homework-survey.json'), 'utf8')) as Record<string, unknown>;
const supervisor = { username: 'supervisor', role: 'supervisor' as const };

let db: DynamodbLocal;
let s3: LocalS3;
let client: import('@aws-sdk/client-dynamodb').DynamoDBClient;
let campaigns: typeof import('../../lambdas/domain/campaigns/campaigns');
let audience: typeof import('../../lambdas/domain/campaigns/campaign-audience');
let answers: typeof import('../../lambdas/domain/campaigns/survey-answers');
let clockModule: typeof import('../../lambdas/domain/campaigns/campaign-clock');
let exporter: typeof import('../../lambdas/domain/campaigns/export-responses');
let repo: typeof import('../../lambdas/domain/campaigns/campaign-repository');

/** A seeded PRNG, so a failure can be replayed. */
function prng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}
function randomAnswers(rnd: () => number): Record<string, unknown> {
  const satisfaction = 1 + Math.floor(rnd() * 5);
  return {
    homeworkMinutes: ['lt30', '30to60', '60to90', 'gt90'][Math.floor(rnd() * 4)],
    parentsAskedToGrade: rnd() < 0.1,
    afterSchoolService: rnd() < 0.97,
    satisfaction,
    ...(satisfaction <= 2 && rnd() < 0.5 ? { comments: '作业还是太多，"孩子"睡得晚, =SUM(A1)' } : {}),
  };
}

beforeAll(async () => {
  let dbClient;
  ({ db, client: dbClient } = await startTestDatabase());
  client = dbClient;
  s3 = await startLocalS3({ dataDir: mkdtempSync(join(tmpdir(), 'dr-s3-')) });
  Object.assign(process.env, { AWS_ENDPOINT_URL_S3: s3.endpoint, S3_FORCE_PATH_STYLE: 'true', EVIDENCE_BUCKET: 'evidence' });
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  await new S3Client({ endpoint: s3.endpoint, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'evidence' }));
  const registry = await import('../../lambdas/domain/registry/registry-import');
  const seed = await import('../../local/seed/demo-district');
  await registry.importDistrict(seeder, { schools: seed.demoSchools });
  campaigns = await import('../../lambdas/domain/campaigns/campaigns');
  audience = await import('../../lambdas/domain/campaigns/campaign-audience');
  answers = await import('../../lambdas/domain/campaigns/survey-answers');
  clockModule = await import('../../lambdas/domain/campaigns/campaign-clock');
  exporter = await import('../../lambdas/domain/campaigns/export-responses');
  repo = await import('../../lambdas/domain/campaigns/campaign-repository');
});
afterAll(async () => {
  await s3?.stop();
  await db?.stop();
});

async function openCampaign(classIds: string[]) {
  const now = clock.now().getTime();
  const view = await audience.createCampaign(supervisor, {
    title: 'aggregates',
    form,
    audience: { classIds },
    schedule: { opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 86_400_000).toISOString() },
    thresholds: [],
    reminderHoursBeforeClose: 1,
  });
  await clockModule.tickCampaigns();
  return view.campaignId;
}

it('keeps the live counters equal to a recount of the stored responses after 300 concurrent answers', async () => {
  const classIds = ['p06-g3c1', 'p06-g4c2', 'p11-g5c1'];
  const id = await openCampaign(classIds);
  const rnd = prng(20261128);
  const jobs: Array<{ token: string; answers: Record<string, unknown> }> = [];
  for (const classId of classIds) {
    const { tokens } = await audience.issueTokens(supervisor, id, { classId, count: 100 });
    for (const token of tokens) jobs.push({ token, answers: randomAnswers(rnd) });
  }
  const started = Date.now();
  for (let i = 0; i < jobs.length; i += 50) await Promise.all(jobs.slice(i, i + 50).map((j) => answers.submitResponse(id, j)));
  const seconds = (Date.now() - started) / 1000;

  const results = await campaigns.campaignResults(supervisor, id);
  // The recount reads every stored response (a scan of the round's partition): only a test does this.
  const stored: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await repo.responsePage(id, 1, start);
    stored.push(...page.items);
    start = page.next;
  } while (start);
  expect(stored).toHaveLength(300);
  expect(results.responses).toBe(300);
  const count = (pred: (a: Record<string, unknown>) => boolean) => stored.filter((r) => pred(r.answers as Record<string, unknown>)).length;
  const minutes = results.questions.homeworkMinutes as { counts: Record<string, number> };
  for (const v of ['lt30', '30to60', '60to90', 'gt90']) expect(minutes.counts[v]).toBe(count((a) => a.homeworkMinutes === v));
  const satisfaction = results.questions.satisfaction as { mean: number; distribution: Record<string, number> };
  for (const v of [1, 2, 3, 4, 5]) expect(satisfaction.distribution[String(v)]).toBe(count((a) => a.satisfaction === v));
  const sum = stored.reduce((s, r) => s + Number((r.answers as Record<string, unknown>).satisfaction), 0);
  expect(satisfaction.mean).toBeCloseTo(sum / 300, 2);
  const service = results.questions.afterSchoolService as { trueRate: number };
  expect(service.trueRate).toBeCloseTo(count((a) => a.afterSchoolService === true) / 300, 4);
  for (const classId of classIds) expect(results.byClass[classId].responses).toBe(stored.filter((r) => r.classId === classId).length);
  console.log(`aggregates: 300 answers in ${seconds.toFixed(1)} s (${Math.round(300 / seconds)}/s, 50 concurrent), counters equal the recount`);
});

it('exports 10,000 responses as CSV and XLSX, streamed into the bucket', async () => {
  const id = await openCampaign(['p16-g6c1']);
  const documents = DynamoDBDocumentClient.from(client);
  const rnd = prng(7);
  const seedStarted = Date.now();
  const items = Array.from({ length: 10_000 }, (_, n) => ({
    ...repo.keys.response(id, 1, `2026-11-28T00:00:00.000Z#${String(n).padStart(6, '0')}`),
    entity: 'response',
    classId: 'p16-g6c1',
    schoolId: 'p16',
    grade: 6,
    formVersion: 1,
    answers: randomAnswers(rnd),
    at: new Date(Date.UTC(2026, 10, 28) + n * 1000).toISOString(),
  }));
  for (let i = 0; i < items.length; i += 25) {
    await documents.send(new BatchWriteCommand({ RequestItems: { campaigns: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  const seeded = (Date.now() - seedStarted) / 1000;

  const heapBefore = process.memoryUsage().heapUsed;
  const csvStarted = Date.now();
  const csv = await exporter.exportResponses(supervisor, id, { format: 'csv' });
  const csvSeconds = (Date.now() - csvStarted) / 1000;
  const heapAfter = process.memoryUsage().heapUsed;
  expect(csv.rows).toBe(10_000);
  const text = await (await fetch(csv.url)).text();
  const lines = text.split('\r\n').filter(Boolean);
  expect(lines).toHaveLength(10_001);
  expect(lines[0]).toContain('孩子每天完成书面作业的平均时间是多少？ (homeworkMinutes)');
  expect(text).not.toMatch(/,=SUM/); // formula injection guarded

  const xlsxStarted = Date.now();
  const xlsx = await exporter.exportResponses(supervisor, id, { format: 'xlsx' });
  const xlsxSeconds = (Date.now() - xlsxStarted) / 1000;
  const ExcelJS = (await import('exceljs')).default;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await (await fetch(xlsx.url)).arrayBuffer()) as unknown as ArrayBuffer);
  expect(book.worksheets[0].rowCount).toBe(10_001);
  console.log(
    `export: 10,000 responses seeded in ${seeded.toFixed(1)} s; CSV ${(text.length / 1e6).toFixed(1)} MB in ${csvSeconds.toFixed(1)} s (heap ${((heapAfter - heapBefore) / 1e6).toFixed(1)} MB after), XLSX in ${xlsxSeconds.toFixed(1)} s`,
  );
});
