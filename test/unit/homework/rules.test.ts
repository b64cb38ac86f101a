import { weekdayOf } from '../../../lambdas/platform/dates';
import { checkNotice, nationalDefaultRules, normalizeText, RuleSetSchema, type CheckContext, type RuleSet } from '../../../lambdas/domain/homework/rules';
import { HomeworkItem, Violation } from '../../../lambdas/domain/homework/schemas';

// 2026-09-07 is a Monday; 2026-09-09 a Wednesday; 2026-09-06 the Sunday before.
const MON = '2026-09-07';
const TUE = '2026-09-08';
const WED = '2026-09-09';
const THU = '2026-09-10';
const FRI = '2026-09-11';
const PREV_FRI = '2026-09-04';

const written = (minutes: number, content = '练习册第 12 页'): HomeworkItem => ({ subject: '数学', content, kind: 'written', minutes });
const reading = (minutes: number, content = '阅读课外书'): HomeworkItem => ({ subject: '语文', content, kind: 'reading', minutes });
const noContext: CheckContext = { sameWeek: [], noHomeworkWeekdays: [] };
const check = (grade: number, items: HomeworkItem[], date = TUE, context: Partial<CheckContext> = {}, ruleSet: RuleSet = nationalDefaultRules) =>
  checkNotice(ruleSet, { grade, date, items }, { ...noContext, ...context });
const ruleIds = (violations: Violation[]) => violations.map((v) => v.rule);

describe('the national default rule set', () => {
  it('is valid data under RuleSetSchema and is national-default version 1', () => {
    expect(RuleSetSchema.parse(nationalDefaultRules)).toEqual(nationalDefaultRules);
    expect(nationalDefaultRules).toMatchObject({ id: 'national-default', version: 1 });
  });

  it('a notice within every rule has no violations', () => {
    expect(check(4, [written(30), reading(20)])).toEqual([]);
  });

  it('an empty notice ("no homework today") has no violations, even on a no-homework day', () => {
    expect(check(1, [], WED, { noHomeworkWeekdays: [3] })).toEqual([]);
  });

  it('every violation names its rule and the rule set with its version', () => {
    const [v] = check(5, [written(61)]);
    expect(v).toMatchObject({ rule: 'written-minutes-day-grades-3-6', ruleSet: 'national-default@1' });
  });
});

describe('grades 1–2 get no written homework', () => {
  it.each([
    ['a reading item only passes', 2, [reading(15)], []],
    ['a practice and an exercise item pass', 1, [{ ...reading(10), kind: 'practice' }, { ...reading(20), kind: 'exercise' }], []],
    ['a written item fails, naming its index', 2, [reading(15), written(10)], [1]],
    ['every written item is named', 1, [written(5), reading(15), written(10)], [0, 2]],
  ] as const)('%s', (_name, grade, items, offending) => {
    const violations = check(grade, [...items] as HomeworkItem[]);
    if (offending.length === 0) expect(violations).toEqual([]);
    else {
      expect(violations).toEqual([expect.objectContaining({ rule: 'no-written-homework-grades-1-2', ruleSet: 'national-default@1', items: [...offending] })]);
      expect(violations[0].message).toContain('grades 1–2');
    }
  });

  it('grade 3 may have written homework', () => {
    expect(check(3, [written(20)])).toEqual([]);
  });
});

describe('written minutes on the day', () => {
  it.each([
    [3, 59, []],
    [3, 60, []],
    [3, 61, ['written-minutes-day-grades-3-6']],
    [6, 60, []],
    [6, 61, ['written-minutes-day-grades-3-6']],
    [7, 61, []],
    [7, 89, []],
    [7, 90, []],
    [7, 91, ['written-minutes-day-grades-7-9']],
    [9, 91, ['written-minutes-day-grades-7-9']],
  ])('grade %i with %i written minutes on the first notice of the week breaks the day rule: %j', (grade, minutes, dayRules) => {
    const violations = check(grade, [written(minutes)], MON);
    expect(ruleIds(violations).filter((id) => id.includes('-day-'))).toEqual(dayRules);
  });

  it('the message states the figures and the band', () => {
    const [v] = check(4, [written(45), written(30)], MON);
    expect(v.message).toBe('written homework totals 75 minutes; the limit for grades 3–6 is 60');
    expect(check(8, [written(95)], MON)[0].message).toBe('written homework totals 95 minutes; the limit for grades 7–9 is 90');
  });

  it('only written items count: 50 written and 40 reading minutes pass grade 4', () => {
    expect(check(4, [written(50), reading(40)])).toEqual([]);
  });

  it('a grade 6 to 7 boundary: 75 written minutes break grade 6 but not grade 7', () => {
    expect(ruleIds(check(6, [written(75)], MON))).toEqual(['written-minutes-day-grades-3-6', 'written-minutes-week-average-grades-3-6']);
    expect(check(7, [written(75)], MON)).toEqual([]);
  });

  it('a single heavy day breaks both the day and the week measure', () => {
    expect(ruleIds(check(5, [written(70)], MON))).toEqual(['written-minutes-day-grades-3-6', 'written-minutes-week-average-grades-3-6']);
  });
});

describe('written minutes averaged over the school week (days with a notice, Monday to this date)', () => {
  const week = (...days: Array<[string, number]>) => days.map(([date, minutes]) => ({ date, items: [written(minutes)] }));

  it.each([
    ['earlier days push the average over while the day is under', 4, THU, 50, week([MON, 70], [TUE, 70], [WED, 65]), true, '63.8'],
    ['an average exactly at the limit passes', 4, THU, 40, week([MON, 80], [TUE, 60], [WED, 60]), false, ''],
    ['an average one minute over passes the day but not the week', 4, TUE, 60, week([MON, 62]), true, '61'],
    ['earlier days in the previous week are not counted', 4, MON, 55, week([PREV_FRI, 120], ['2026-09-03', 120]), false, ''],
    ['later days of the week are not counted', 4, TUE, 55, week([THU, 120], [FRI, 120]), false, ''],
    ['the same date in the context is not counted twice', 4, TUE, 55, week([TUE, 55], [MON, 60]), false, ''],
    ['a notice with no written minutes is a day that lowers the average', 4, WED, 60, [{ date: MON as string, items: [reading(30)] }, ...week([TUE, 80])], false, ''],
    ['two notices on one earlier date count as one day', 4, WED, 60, week([MON, 40], [MON, 40], [TUE, 60]), true, '66.7'],
    ['grade 8 over 90 on average', 8, WED, 85, week([MON, 90], [TUE, 100]), true, '91.7'],
    ['grade 8 at 90 on average', 8, WED, 80, week([MON, 90], [TUE, 100]), false, ''],
  ] as const)('%s', (_name, grade, date, today, sameWeek, violates, average) => {
    const violations = check(grade, [written(today)], date, { sameWeek: [...sameWeek] });
    const weekViolations = violations.filter((v) => v.rule.includes('week-average'));
    expect(violations.filter((v) => v.rule.includes('-day-'))).toEqual([]);
    expect(weekViolations).toHaveLength(violates ? 1 : 0);
    if (violates) expect(weekViolations[0].message).toContain(`averages ${average} minutes a day`);
  });

  it('the message states the average, the total, the days, the span and the limit', () => {
    const [v] = check(4, [written(50)], THU, { sameWeek: week([MON, 70], [TUE, 70], [WED, 65]) });
    expect(v).toEqual({
      rule: 'written-minutes-week-average-grades-3-6',
      ruleSet: 'national-default@1',
      message: `written homework averages 63.8 minutes a day this week (255 minutes over 4 day(s) with a notice, ${MON} to ${THU}); the limit for grades 3–6 is 60`,
    });
  });

  it('a Sunday notice belongs to the week that began the Monday before', () => {
    const violations = check(4, [written(60)], '2026-09-13', { sameWeek: week([MON, 70], ['2026-09-14', 0]) });
    expect(ruleIds(violations)).toEqual(['written-minutes-week-average-grades-3-6']);
  });
});

describe('designated no-homework days', () => {
  it.each([
    ['Wednesday with items fails', WED, [3], [reading(10), written(20)], [0, 1]],
    ['Wednesday with no items passes', WED, [3], [], undefined],
    ['Tuesday with items passes at a Wednesday school', TUE, [3], [written(20)], undefined],
    ['Friday with items fails at a school that keeps Wednesday and Friday', FRI, [3, 5], [reading(10)], [0]],
    ['Wednesday with items passes at a school that keeps no such day', WED, [], [written(20)], undefined],
  ] as const)('%s', (_name, date, noHomeworkWeekdays, items, offending) => {
    const violations = check(4, [...items], date, { noHomeworkWeekdays: [...noHomeworkWeekdays] }).filter((v) => v.rule === 'no-homework-day');
    if (!offending) expect(violations).toEqual([]);
    else expect(violations).toEqual([expect.objectContaining({ ruleSet: 'national-default@1', items: [...offending] })]);
  });

  it('the message names the date and weekday', () => {
    const [v] = check(4, [reading(10)], WED, { noHomeworkWeekdays: [3] });
    expect(v.message).toMatch(/^2026-09-09 is a Wednesday, a no-homework day at this school, but the notice lists 1 item\(s\)/);
  });

  it.each([
    ['2026-09-07', 1],
    ['2026-09-13', 7],
    ['2024-02-29', 4],
    ['2000-01-01', 6],
    ['1999-12-31', 5],
  ])('%s is weekday %i', (date, weekday) => {
    expect(weekdayOf(date)).toBe(weekday);
  });

  it('rejects a date that is not a calendar date', () => {
    expect(() => weekdayOf('2026-02-30')).toThrow(RangeError);
    expect(() => weekdayOf('2026-9-7')).toThrow(RangeError);
  });
});

describe('homework handed to parents', () => {
  const phrasesFound = (content: string) => check(5, [reading(10), { ...written(10), content }]).filter((v) => v.rule === 'no-homework-for-parents');

  it.each([
    '家长批改',
    '家长检查',
    '家长签字',
    '家长辅导',
    '家长完成',
    '家长代做',
    '家长听写',
    '家长默写',
    '家长打分',
    '请家长',
    '由家长',
    '家长帮助',
    'parents grade',
    'parents check',
    'parent signature',
    'signed by parents',
  ])('"%s" in an item is a violation naming that item', (phrase) => {
    const violations = phrasesFound(`完成练习，${phrase}`);
    expect(violations).toEqual([expect.objectContaining({ ruleSet: 'national-default@1', items: [1] })]);
  });

  it.each([
    ['the combined form', '订正错题，家长检查并签字'],
    ['fullwidth Latin letters', 'ｐａｒｅｎｔｓ ｇｒａｄｅ the worksheet'],
    ['upper case', 'PARENTS CHECK the spelling'],
    ['spaces inside the phrase', '口算 20 题，家长 批改'],
    ['an ideographic space inside the phrase', '口算 20 题，家长　签字'],
    ['a line break inside the phrase', 'worksheet, signed by\nparents'],
    ['extra spaces in English', 'Parents   grade the quiz'],
  ])('matches %s: "%s"', (_name, content) => {
    expect(phrasesFound(content)).toHaveLength(1);
  });

  it.each([
    ['telling parents what was learned', '告诉家长今天学了什么'],
    ['sharing a story with parents', '和家长分享一个故事'],
    ['a content with no parent at all', '背诵古诗两首'],
    ['an English mention of parents', 'tell your parents about the science fair'],
  ])('does not flag %s: "%s"', (_name, content) => {
    expect(phrasesFound(content)).toEqual([]);
  });

  it('lists every offending item and quotes the phrases found', () => {
    const items = [{ ...written(10), content: '听写生字，家长听写后签字' }, reading(10), { ...reading(10), content: '请家长检查背诵' }];
    const [v] = check(5, items).filter((x) => x.rule === 'no-homework-for-parents');
    expect(v.items).toEqual([0, 2]);
    expect(v.message).toContain('“家长听写”');
    expect(v.message).toContain('“家长检查”, “请家长”');
  });

  it('applies to every grade', () => {
    expect(ruleIds(check(1, [{ ...reading(10), content: '家长签字' }]))).toEqual(['no-homework-for-parents']);
    expect(ruleIds(check(9, [{ ...reading(10), content: '家长签字' }]))).toEqual(['no-homework-for-parents']);
  });

  it('normalizes width, case and whitespace', () => {
    expect(normalizeText(' Ｐａｒｅｎｔｓ　Grade\n')).toBe('parentsgrade');
  });
});

describe('a district rule set given as data', () => {
  const districtJson = `{
    "id": "qianjin-district",
    "version": 3,
    "rules": [
      { "id": "no-written-1-3", "kind": "no_written_homework", "grades": [1, 3] },
      { "id": "day-4-6", "kind": "written_minutes_per_day", "grades": [4, 6], "limit": 45,
        "message": "书面作业 {minutes} 分钟，超过 {grades} 的上限 {limit} 分钟" },
      { "id": "no-homework-day", "kind": "no_homework_day" },
      { "id": "parents", "kind": "forbidden_phrases", "phrases": ["家长阅卷"] }
    ]
  }`;
  const district = RuleSetSchema.parse(JSON.parse(districtJson));

  it('validates and changes the outcome', () => {
    expect(check(3, [written(20)])).toEqual([]);
    expect(check(3, [written(20)], TUE, {}, district)).toEqual([expect.objectContaining({ rule: 'no-written-1-3', ruleSet: 'qianjin-district@3', items: [0] })]);
    expect(check(5, [written(50)])).toEqual([]);
    expect(check(5, [written(50)], TUE, {}, district)).toEqual([{ rule: 'day-4-6', ruleSet: 'qianjin-district@3', message: '书面作业 50 分钟，超过 grades 4–6 的上限 45 分钟' }]);
    expect(ruleIds(check(5, [{ ...reading(10), content: '试卷请家长阅卷' }], TUE, {}, district))).toEqual(['parents']);
    expect(check(5, [{ ...reading(10), content: '家长签字' }], TUE, {}, district)).toEqual([]);
  });

  it.each([
    ['an unknown kind', { id: 'x', kind: 'max_pages', grades: [3, 6] }, /^rules\.0\.kind: must be a rule of a known kind \(no_written_homework, .*\), got "max_pages"/],
    ['grades given backwards', { id: 'x', kind: 'written_minutes_per_day', grades: [5, 3], limit: 60 }, /must be \[from, to\] with from ≤ to, got \[5, 3\]/],
    ['a negative limit', { id: 'x', kind: 'written_minutes_per_day', grades: [3, 6], limit: -1 }, /must not be negative/],
    ['a limit missing', { id: 'x', kind: 'written_minutes_week_average', grades: [3, 6] }, /limit/],
    ['a grade 0', { id: 'x', kind: 'no_written_homework', grades: [0, 2] }, /must be grade 1 or above/],
    ['an empty phrase list', { id: 'x', kind: 'forbidden_phrases', phrases: [] }, /must list at least one phrase/],
    ['a blank phrase', { id: 'x', kind: 'forbidden_phrases', phrases: ['  '] }, /must not be empty/],
    ['an unknown message placeholder', { id: 'x', kind: 'written_minutes_per_day', grades: [3, 6], limit: 60, message: '{minutes} of {max}' }, /unknown placeholder \{max\}/],
    ['an unknown field', { id: 'x', kind: 'no_homework_day', weekdays: [3] }, /weekdays/],
  ])('rejects a rule with %s, saying why', (_name, rule, expected) => {
    const result = RuleSetSchema.safeParse({ id: 'd', version: 1, rules: [rule] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toMatch(expected);
  });

  it('names the unknown kind and where it is', () => {
    const result = RuleSetSchema.safeParse({ id: 'd', version: 1, rules: [{ id: 'x', kind: 'max_pages' }] });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['rules', 0, 'kind'], message: expect.stringMatching(/^must be a rule of a known kind \(no_written_homework, written_minutes_per_day, .*\), got "max_pages"$/) }),
    ]);
  });

  it('points at the grades of a backwards range', () => {
    const result = RuleSetSchema.safeParse({ id: 'd', version: 1, rules: [{ id: 'x', kind: 'no_written_homework', grades: [5, 3] }] });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['rules', 0, 'grades'], message: 'must be [from, to] with from ≤ to, got [5, 3]' })]);
  });

  it.each([
    ['a duplicate rule id', { id: 'd', version: 1, rules: [{ id: 'a', kind: 'no_homework_day' }, { id: 'a', kind: 'no_homework_day' }] }, /duplicate rule id "a"/],
    ['an id with "@"', { id: 'd@2', version: 1, rules: [] }, /^id: must be lower-case/],
    ['version 0', { id: 'd', version: 0, rules: [] }, /^version: must be 1 or above/],
    ['a fractional version', { id: 'd', version: 1.5, rules: [] }, /^version: must be a whole number/],
  ])('rejects a rule set with %s', (_name, set, expected) => {
    const result = RuleSetSchema.safeParse(set);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')).toMatch(expected);
  });
});
