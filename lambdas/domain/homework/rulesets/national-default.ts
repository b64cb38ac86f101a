/**
 * The national default rule set (PRODUCT.md §2; 《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》):
 * grades 1–2 no written homework to take home; grades 3–6 written homework at most 60 minutes
 * (the day, and the school-week average); grades 7–9 at most 90; no homework on the school's
 * designated no-homework days; no homework handed to parents to do, check or grade.
 * See ../rules.ts for how each kind of rule is measured. Change a rule → bump `version`.
 */
import type { RuleSet } from '../rules';

/** Phrases that hand homework to parents. Kept specific: "家长" alone would flag "告诉家长今天学了什么". */
export const parentInvolvementPhrases = [
  '家长批改',
  '家长检查',
  '家长签字',
  '家长签名',
  '家长辅导',
  '家长完成',
  '家长代做',
  '家长听写',
  '家长默写',
  '家长打分',
  '家长评分',
  '家长批阅',
  '家长订正',
  '家长帮助',
  '请家长',
  '由家长',
  'parents grade',
  'parents check',
  'parents mark',
  'parent signature',
  "parent's signature",
  "parents' signature",
  'signed by parents',
  'signed by a parent',
];

export const nationalDefaultRules: RuleSet = {
  id: 'national-default',
  version: 1,
  rules: [
    { id: 'no-written-homework-grades-1-2', kind: 'no_written_homework', grades: [1, 2] },
    { id: 'written-minutes-day-grades-3-6', kind: 'written_minutes_per_day', grades: [3, 6], limit: 60 },
    { id: 'written-minutes-week-average-grades-3-6', kind: 'written_minutes_week_average', grades: [3, 6], limit: 60 },
    { id: 'written-minutes-day-grades-7-9', kind: 'written_minutes_per_day', grades: [7, 9], limit: 90 },
    { id: 'written-minutes-week-average-grades-7-9', kind: 'written_minutes_week_average', grades: [7, 9], limit: 90 },
    { id: 'no-homework-day', kind: 'no_homework_day' },
    { id: 'no-homework-for-parents', kind: 'forbidden_phrases', phrases: parentInvolvementPhrases },
  ],
};
