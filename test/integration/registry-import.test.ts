/**
 * The registry import against the real DynamoDB Local: a district-sized sheet is written as many
 * transactions of at most 100 items, and when one of them fails the ones already written are undone,
 * so an import is all or nothing.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamodbLocal } from '../../local/dynamodb/dynamodb-local';
import { startTestDatabase } from '../support/local-dynamodb';

jest.setTimeout(120_000);

let db: DynamodbLocal;
let imports: typeof import('../../lambdas/domain/registry/registry-import');
let registry: typeof import('../../lambdas/domain/registry/registry-repository');
let documents: typeof import('../../lambdas/platform/dynamodb').documents;
const admin = { username: 'it.officer', role: 'admin' } as const;

const classRows = (schoolId: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ row: i + 2, values: { schoolId, classId: `${schoolId}-c${i + 1}`, grade: (i % 6) + 1, name: `${(i % 6) + 1}年级${i + 1}班`, enrolled: 40 } }));

const auditOf = async (about: string) =>
  (await documents.send(new QueryCommand({ TableName: 'registry', IndexName: 'byKind', KeyConditionExpression: '#k = :a', ExpressionAttributeNames: { '#k': 'kind' }, ExpressionAttributeValues: { ':a': 'audit' } }))).Items?.filter((i) => i.about === about) ?? [];

beforeAll(async () => {
  ({ db } = await startTestDatabase());
  imports = await import('../../lambdas/domain/registry/registry-import');
  registry = await import('../../lambdas/domain/registry/registry-repository');
  documents = (await import('../../lambdas/platform/dynamodb')).documents;
  await imports.importRecords(admin, 'schools', [
    { row: 2, values: { schoolId: 'p31', name: '第三十一小学', stage: 'primary', area: 'group_1' } },
    { row: 3, values: { schoolId: 'p32', name: '第三十二小学', stage: 'primary', area: 'group_2' } },
  ]);
});
afterAll(async () => db?.stop());

it('writes 300 classes of one school, 1,200 items, in transactions of at most 100 that check the school once each', async () => {
  const rows = classRows('p31', 300);
  const report = await imports.importRecords(admin, 'classes', rows);
  expect(report).toMatchObject({ created: 300, errors: [] });
  expect((await registry.listSchools()).find((s) => s.schoolId === 'p31')?.classes).toHaveLength(300);
  expect(await auditOf('class')).toHaveLength(300);
});

it('undoes every transaction already written when a later one fails, so nothing of the import stays', async () => {
  // A class id taken behind the import's back (as by a concurrent admin) after it checked the registry:
  // the 250th row's transaction fails, after several others were written.
  await documents.send(new PutCommand({ TableName: 'registry', Item: { pk: 'CLASS#p32-c250', sk: 'CLASS', entity: 'class', schoolId: 'elsewhere', classId: 'p32-c250' } }));
  const before = (await auditOf('class')).length;
  await expect(imports.importRecords(admin, 'classes', classRows('p32', 300))).rejects.toMatchObject({ statusCode: 409, message: expect.stringContaining('row 251') });
  expect((await registry.listSchools()).find((s) => s.schoolId === 'p32')?.classes).toEqual([]);
  expect(await auditOf('class')).toHaveLength(before);
  expect(await registry.getClass('p32-c1')).toBeUndefined();
});

describe('transactions of an import', () => {
  const check = (pk: string) => ['no_school', { ConditionCheck: { TableName: 't', Key: { pk, sk: 'S' }, ConditionExpression: 'x' } }] as const;
  const put = (pk: string) => ['x', { Put: { TableName: 't', Item: { pk, sk: 'I' } } }] as const;

  it('never split a row, never touch an item twice, and keep one check of a shared item', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ items: [check('SCHOOL#a'), put(`CLASS#${i}`), put(`SCHOOL#a#${i}`)] as never }));
    const txs = imports.transactionsOf(rows);
    expect(txs.every((t) => t.length <= 100)).toBe(true);
    expect(txs.flat().filter(([, i]) => i.ConditionCheck)).toHaveLength(txs.length);
    expect(txs.flat().filter(([, i]) => i.Put)).toHaveLength(120);
    for (const t of txs) expect(t.length % 2).toBe(1); // one check and whole rows of two puts
  });
});
