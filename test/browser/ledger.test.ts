/** The rectification ledger in the browser: the school submits evidence, a supervisor closes an item (销号). */
import { screenshot, useBrowserPlatform, demoSignIn } from './support';

const { api, url, page: newPage } = useBrowserPlatform();
const DAY = 24 * 3600_000;

/** A district date near today that is not a Wednesday (第六小学's no-homework day). */
async function schoolDay(): Promise<string> {
  const { now } = (await api.call('GET', '/_local/clock')).body as { now: string };
  for (let d = 0; ; d--) {
    const date = new Date(Date.parse(now) + 8 * 3600_000 + d * DAY).toISOString().slice(0, 10);
    if (new Date(`${date}T00:00:00Z`).getUTCDay() !== 3) return date;
  }
}

async function uploadEvidence(itemId: string): Promise<string> {
  const bytes = Buffer.from('%PDF-1.4 rectification report\n');
  const slot = await api.as('school_admin_p06', 'POST', `/api/rectification/items/${itemId}/evidence`, { fileName: '整改报告.pdf', contentType: 'application/pdf', size: bytes.length });
  expect(slot.status).toBe(201);
  const put = await fetch(slot.body.upload.url, { method: 'PUT', headers: slot.body.upload.headers, body: bytes });
  expect(put.status).toBe(200);
  return slot.body.fileId as string;
}

it('a supervisor closes a ledger item', async () => {
  const date = await schoolDay();
  const notice = await api.as('school_admin_p06', 'POST', '/api/homework/notices', {
    classId: 'p06-g3c1',
    date,
    items: [
      { subject: '数学', content: '练习册第12-13页', kind: 'written', minutes: 45 },
      { subject: '语文', content: '抄写生字三遍', kind: 'written', minutes: 30 },
    ],
  });
  expect(notice.status).toBe(201);
  const [first, second] = notice.body.rectificationItemIds as string[];
  const fileId = await uploadEvidence(first);
  expect((await api.as('school_admin_p06', 'POST', `/api/rectification/items/${first}/submit`, { note: '已调整作业量', evidence: [fileId] })).status).toBe(200);

  // The public board shows the notice and its rule check.
  const board = await newPage();
  await board.goto(`${url()}/#/notices?schoolId=p06&date=${date}`);
  await board.getByText('练习册第12-13页').waitFor();
  await screenshot(board, 'notice-board');

  // The school submits its second item in the browser: the file goes straight to the bucket.
  if (second) {
    const school = await newPage();
    await school.goto(`${url()}/#/official`);
    await demoSignIn(school, 'school_admin_p06');
    const item = school.locator(`[data-testid="ledger-item"][data-item-id="${second}"]`);
    await item.waitFor();
    await item.getByLabel(/上传整改材料/).setInputFiles({ name: '整改照片.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 photo\n') });
    await item.getByLabel('整改说明').fill('已公示调整后的作业安排');
    await item.getByRole('button', { name: '提交核验' }).click();
    await school.locator(`[data-testid="ledger-item"][data-item-id="${second}"][data-status="submitted"]`).waitFor();
    await item.getByRole('link', { name: '整改照片.pdf' }).waitFor();
  }

  const page = await newPage();
  await page.goto(`${url()}/#/official`);
  await demoSignIn(page, 'supervisor');
  await page.getByRole('heading', { name: '待办任务' }).waitFor();
  await page.getByRole('link', { name: '整改台账' }).click();
  await page.getByLabel('学校').selectOption('p06');
  const item = page.locator(`[data-testid="ledger-item"][data-item-id="${first}"]`);
  await item.waitFor();
  expect(await item.getAttribute('data-status')).toBe('submitted');
  await item.getByRole('link', { name: '整改报告.pdf' }).waitFor();
  await item.getByLabel('核验意见（选填）').fill('核查属实，予以销号');
  await item.getByRole('button', { name: '核验销号' }).click();
  await page.locator(`[data-testid="ledger-item"][data-item-id="${first}"][data-status="closed"]`).waitFor();
  await screenshot(page, 'ledger-closed');

  const plan = (await api.as('supervisor', 'GET', `/api/rectification/plans/${first.split('.')[0]}`)).body;
  expect(plan.items.find((i: { itemId: string }) => i.itemId === first)).toMatchObject({ status: 'closed', closedBy: 'supervisor' });

  // Closing it again: the API's 409 shows beside the item (the page still offers nothing to close, so call it directly).
  expect((await api.as('supervisor', 'POST', `/api/rectification/items/${first}/close`, {})).status).toBe(409);
});
