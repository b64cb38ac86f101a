/**
 * The usage meter of `npm start` (POST/GET/DELETE /_local/meter, local/meter.ts): off by default; on, one
 * complaint counts its API request, its Lambda, its two KMS Encrypts and its DynamoDB units.
 */
import type { MeterCounts } from '../../local/meter';
import { usePlatform } from '../support/platform-process';

jest.setTimeout(120_000);

const { api } = usePlatform();

it('counts what one complaint uses, and nothing while off', async () => {
  expect((await api.call('GET', '/_local/meter')).body).toMatchObject({ on: false, dynamodb: {}, lambda: {} });
  expect((await api.call('POST', '/_local/meter')).status).toBe(200);
  await api.file({ category: 'homework_burden', description: '三年级每天书面作业超过两个小时，还要求家长批改签字。', subject: { schoolName: '前进区第十六小学' }, contact: { name: '王女士', phone: '13900003333' } });
  const m = (await api.call('GET', '/_local/meter')).body as MeterCounts;
  expect(m.api).toMatchObject({ 'POST /api/complaints': 1 });
  expect(m.lambda.complaintSubmit).toMatchObject({ invocations: 1 });
  expect(m.kms).toMatchObject({ Encrypt: 2 });
  expect(m.dynamodb['TransactWriteItems complaints'].writeUnits).toBeGreaterThanOrEqual(8);
  const final = (await api.call('DELETE', '/_local/meter')).body as MeterCounts;
  expect(final.on).toBe(false);
  await api.file({ category: 'homework_burden', description: '四年级作业太多，每天写到晚上十点。', subject: { schoolName: '前进区第十六小学' }, anonymous: true });
  expect((await api.call('GET', '/_local/meter')).body).toMatchObject({ on: false });
});
