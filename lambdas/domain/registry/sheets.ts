/**
 * A registry sheet as a bureau keeps it: an XLSX workbook (its first worksheet) or a CSV file, in UTF-8
 * (with or without Excel's BOM) or in GB18030/GBK, which Chinese Excel writes when it saves "CSV". The first
 * non-empty row holds the column headers; row numbers are the spreadsheet's own (the header is usually row 1),
 * so an error report points at the cell the official sees.
 */
import ExcelJS from 'exceljs';
import { InvalidInputError } from '../../platform/errors';

export interface SheetRow {
  /** The row number as the spreadsheet shows it. */
  row: number;
  /** Cell text by the header as written in the sheet (trimmed). */
  cells: Record<string, string>;
}
export interface Sheet {
  headers: string[];
  /** The row number of the header row. */
  headerRow: number;
  rows: SheetRow[];
}

export const MAX_SHEET_BYTES = 4 * 1024 * 1024;
export const MAX_SHEET_ROWS = 5000;
/**
 * The upload contract of an import. Send a CSV as application/octet-stream (or text/csv when it is UTF-8):
 * API Gateway passes text types as text, which would mangle a GBK file.
 */
export const sheetUpload = {
  contentTypes: ['text/csv', 'text/plain', 'application/octet-stream', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  maxBytes: MAX_SHEET_BYTES,
} as const;

const isXlsx = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const sheetError = (message: string) => new InvalidInputError(message, [{ field: '(body)', message, in: 'body' }]);

export async function readSheet(data: Buffer): Promise<Sheet> {
  if (data.length === 0) throw sheetError('The file is empty: send a CSV or XLSX file');
  if (data.length > MAX_SHEET_BYTES) throw sheetError(`The file must be at most ${MAX_SHEET_BYTES / 1024 / 1024} MB`);
  const grid = isXlsx(data) ? await xlsxGrid(data) : csvGrid(decodeText(data));
  return toSheet(grid);
}

function toSheet(grid: Array<{ row: number; values: string[] }>): Sheet {
  const nonEmpty = grid.filter((r) => r.values.some((v) => v !== ''));
  const [header, ...body] = nonEmpty;
  if (!header) throw sheetError('The file has no rows: the first row names the columns');
  if (body.length > MAX_SHEET_ROWS) throw sheetError(`The file must have at most ${MAX_SHEET_ROWS} rows; split it`);
  const headers = header.values.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of headers.filter(Boolean)) {
    if (seen.has(h)) throw new InvalidInputError(`The column ${h} appears twice`, [{ field: h, message: 'appears twice in the header row', in: 'body' }]);
    seen.add(h);
  }
  const rows = body.map(({ row, values }) => {
    const cells: Record<string, string> = {};
    headers.forEach((h, i) => {
      if (h) cells[h] = (values[i] ?? '').trim();
    });
    return { row, cells };
  });
  return { headers: headers.filter(Boolean), headerRow: header.row, rows };
}

async function xlsxGrid(data: Buffer): Promise<Array<{ row: number; values: string[] }>> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw sheetError('The file is not a readable XLSX workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw sheetError('The workbook has no worksheet');
  const out: Array<{ row: number; values: string[] }> = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) values.push(cellText(row.getCell(c)));
    out.push({ row: rowNumber, values });
  });
  return out;
}

/** What the official sees in the cell: numbers without float noise, dates as YYYY-MM-DD, formulas' results. */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'result' in v) return v.result === undefined || v.result === null ? '' : String(v.result);
  return cell.text ?? '';
}

/**
 * UTF-8 or GB18030 (a superset of GBK and GB2312). Short GBK text can be valid UTF-8 by chance, but then it
 * decodes to Latin, Greek or Cyrillic letters (U+0100–U+07FF), which a Chinese registry does not hold: such
 * text is read as GB18030 if it decodes cleanly so.
 */
export function decodeText(data: Buffer): string {
  let utf8: string;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return utf8;
  if (!/[\u0100-\u07ff]/.test(utf8)) return utf8;
  const gb = new TextDecoder('gb18030').decode(data);
  return gb.includes('\ufffd') ? utf8 : gb;
}

/**
 * RFC 4180 CSV (quotes, doubled quotes, line breaks inside quotes); a tab-separated file is read as such.
 * Rows are numbered by record, as Excel shows them, not by line.
 */
export function csvGrid(text: string): Array<{ row: number; values: string[] }> {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: Array<{ row: number; values: string[] }> = [];
  let values: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      values.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      values.push(field);
      rows.push({ row: rows.length + 1, values });
      values = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw sheetError(`A quoted cell in row ${rows.length + 1} is never closed`);
  if (field !== '' || values.length) {
    values.push(field);
    rows.push({ row: rows.length + 1, values });
  }
  return rows;
}
