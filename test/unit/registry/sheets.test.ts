import ExcelJS from 'exceljs';
import { csvGrid, decodeText, readSheet } from '../../../lambdas/domain/registry/sheets';
import { recordsOfSheet } from '../../../lambdas/domain/registry/registry-import';

describe('a registry sheet', () => {
  it('numbers CSV rows as Excel shows them, also when a quoted cell holds a line break', () => {
    const grid = csvGrid('a,b\r\n"x\r\ny",1\n"say ""hi""",2\n');
    expect(grid).toEqual([
      { row: 1, values: ['a', 'b'] },
      { row: 2, values: ['x\r\ny', '1'] },
      { row: 3, values: ['say "hi"', '2'] },
    ]);
  });

  it('reads UTF-8 with Excel’s BOM, GBK, and tab-separated text', async () => {
    expect(decodeText(Buffer.from('\ufeff学校代码', 'utf8'))).toBe('学校代码');
    expect(decodeText(Buffer.from('d1a7d0a3', 'hex'))).toBe('学校');
    const sheet = await readSheet(Buffer.from('学校代码\t学校名称\np01\t第一小学\n'));
    expect(sheet).toEqual({ headers: ['学校代码', '学校名称'], headerRow: 1, rows: [{ row: 2, cells: { 学校代码: 'p01', 学校名称: '第一小学' } }] });
  });

  it('reads a workbook’s first sheet from its first non-empty row, numbers as whole numbers and formulas as their results', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('班级');
    ws.addRow([]);
    ws.addRow(['班级代码', '年级', '在籍人数']);
    ws.addRow(['p01-g1c1', 1, { formula: '40+5', result: 45 }]);
    const sheet = await readSheet(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(sheet.headerRow).toBe(2);
    expect(sheet.rows).toEqual([{ row: 3, cells: { 班级代码: 'p01-g1c1', 年级: '1', 在籍人数: '45' } }]);
  });

  it('refuses an empty file, a header named twice and a quote never closed, saying which', async () => {
    await expect(readSheet(Buffer.alloc(0))).rejects.toThrow(/empty/);
    await expect(readSheet(Buffer.from('name,name\nx,y\n'))).rejects.toThrow(/name appears twice/);
    await expect(readSheet(Buffer.from('a,b\n"open,1\n'))).rejects.toThrow(/row 2 is never closed/);
  });

  it('maps Chinese headers and names to the fields and codes, and says which columns it ignores', async () => {
    const sheet = await readSheet(Buffer.from('学校代码,学校名称,学段,片区,无作业日,备注\np01,第一小学,九年一贯制,第三工作组,"周三、星期五",x\n'));
    const { records, columnOf, errors, ignoredColumns } = recordsOfSheet('schools', sheet);
    expect(errors).toEqual([]);
    expect(ignoredColumns).toEqual(['备注']);
    expect(columnOf.area).toBe('片区');
    expect(records).toEqual([{ row: 2, values: { schoolId: 'p01', name: '第一小学', stage: 'nine_year', area: 'group_3', noHomeworkWeekdays: [3, 5] } }]);
  });
});
