/**
 * Exports of a round's responses, CSV or XLSX, with the questions' titles as headers. Rows are read a
 * page at a time and streamed into the file in the bucket (exports/, kept one day), so memory stays flat
 * however many responses there are; the caller gets a short-lived download link.
 */
import { PassThrough, Readable } from 'node:stream';
import { clock } from '../../platform/clock';
import { districtTimestamp } from '../../platform/dates';
import { ForbiddenError, NotFoundError } from '../../platform/errors';
import { presignDownload, uploadExport } from '../../platform/evidence-store';
import type { Official } from '../registry/schemas';
import { loadCampaign, responsePage, type FormVersion } from './campaign-repository';
import type { QuestionSpec } from './forms';

const CSV_TYPE = 'text/csv; charset=utf-8';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Formula injection guard: spreadsheet programs run cells that start with these. */
const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function cell(q: QuestionSpec, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join('; ');
  return String(value);
}

/** Every response of the round, in pages: [time, school, class, grade, ...answers]. */
async function* rows(campaignId: string, round: number, questions: QuestionSpec[]): AsyncGenerator<string[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await responsePage(campaignId, round, start);
    for (const r of page.items) {
      const answers = (r.answers ?? {}) as Record<string, unknown>;
      yield [districtTimestamp(new Date(String(r.at))), String(r.schoolId), String(r.classId), String(r.grade), ...questions.map((q) => cell(q, answers[q.name]))];
    }
    start = page.next;
  } while (start);
}

export async function exportResponses(official: Official, campaignId: string, q: { format: 'csv' | 'xlsx'; round?: number }) {
  if (official.role !== 'supervisor' && official.role !== 'admin') throw new ForbiddenError('Exports of answers are for supervisors');
  const loaded = await loadCampaign(campaignId);
  if (!loaded) throw new NotFoundError('No such campaign');
  const rounds = [...loaded.rounds].sort((a, b) => a.round - b.round);
  const round = q.round ? rounds.find((r) => r.round === q.round) : rounds[rounds.length - 1];
  if (!round) throw new NotFoundError('This campaign has no such round yet');
  const form = loaded.forms.find((f) => f.version === round.formVersion) as FormVersion;
  const header = ['提交时间 Submitted', '学校 School', '班级 Class', '年级 Grade', ...form.questions.map((x) => `${x.title} (${x.name})`)];
  const stamp = clock.now().toISOString().replace(/[:.]/g, '-');
  const fileName = `survey-${campaignId}-round${round.round}-${stamp}.${q.format}`;
  const key = `exports/${campaignId}/${fileName}`;
  let count = 0;
  if (q.format === 'csv') {
    const lines = async function* () {
      yield '\ufeff' + header.map((h) => csvField(safe(h))).join(',') + '\r\n';
      for await (const row of rows(campaignId, round.round, form.questions)) {
        count++;
        yield row.map((v) => csvField(safe(v))).join(',') + '\r\n';
      }
    };
    await uploadExport(key, Readable.from(lines()), CSV_TYPE);
  } else {
    const ExcelJS = (await import('exceljs')).default ?? (await import('exceljs'));
    const out = new PassThrough();
    const uploaded = uploadExport(key, out, XLSX_TYPE);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
    const sheet = workbook.addWorksheet('答卷 Responses', { views: [{ state: 'frozen', ySplit: 1 }] });
    const headerRow = sheet.addRow(header);
    headerRow.font = { bold: true };
    headerRow.commit();
    for await (const row of rows(campaignId, round.round, form.questions)) {
      count++;
      sheet.addRow(row).commit();
    }
    await workbook.commit();
    await uploaded;
  }
  return { fileName, rows: count, url: await presignDownload(key, fileName) };
}
