/**
 * Homework rules engine (PRODUCT.md §2, issue 4): checks a class's homework notice (作业公示) against a
 * rule set given as data, so a district can supply its own (as JSON, validated by `RuleSetSchema`).
 * Pure: no I/O, no AWS, no clock. Dates are YYYY-MM-DD strings; day arithmetic is platform/dates.ts.
 *
 * How the figures are taken (decided, not to be re-derived elsewhere):
 * - Minutes are the notice's estimated completion minutes, as the teacher states them for an average
 *   pupil. Only items of `kind: 'written'` count as written homework; reading, exercise, labour and
 *   practice do not.
 * - Each grade band has two measures, both rules as data:
 *   - `written_minutes_per_day`: the written minutes of this notice must not exceed `limit`.
 *   - `written_minutes_week_average`: the average of written minutes over the class's notices of the
 *     same Monday–Sunday school week, up to and including this notice's date, counting only days
 *     that have a notice (a published "no homework" notice is a day with 0 minutes), must not exceed
 *     `limit`. Context notices outside that window (previous week, later this week) are ignored;
 *     context notices dated the same day as the notice are ignored too (the notice being checked is
 *     that day's figure); several context notices on one earlier date are summed as one day.
 *     Compared exactly (total > limit × days), so no rounding decides a violation.
 *   National defaults: grades 3–6 limit 60 for both measures; grades 7–9 limit 90 for both. The two
 *   measures are independent: a single heavy day can break both.
 * - `no_written_homework` (grades 1–2 by default): any written item is a violation.
 * - `no_homework_day`: a notice dated on one of the school's `noHomeworkWeekdays` (1 = Monday …
 *   7 = Sunday, from the context) that lists any item, of any kind, is a violation.
 * - `forbidden_phrases` (homework handed to parents: 家长批改, 家长检查并签字, …): an item's content
 *   matches a phrase when, after NFKC width-folding, lower-casing and removing all whitespace from
 *   both, the content contains the phrase. A phrase list (rather than "家长" alone) keeps
 *   "告诉家长今天学了什么" (tell your parents what you learned) allowed.
 * - Each violation names the rule (`rule` = the rule's id) and the rule set with its version
 *   (`ruleSet` = `${id}@${version}`), and its message states the figures. `items` holds the 0-based
 *   indexes of the offending items in the notice's `items` array, where items are at fault.
 * - A rule's optional `message` is a template overriding the default wording (e.g. in Chinese):
 *   `{name}` placeholders, the allowed names per kind being `messagePlaceholders[kind]`.
 * - `no_homework_day` and `forbidden_phrases` apply to every grade unless the rule gives `grades`.
 */
import * as z from 'zod';
import type { HomeworkItem, Violation } from './schemas';
import { nationalDefaultRules } from './rulesets/national-default';
import { civilDate, dayNumber, weekdayOfDay } from '../../platform/dates';

export { nationalDefaultRules };

export const ruleKinds = ['no_written_homework', 'written_minutes_per_day', 'written_minutes_week_average', 'no_homework_day', 'forbidden_phrases'] as const;
export type RuleKind = (typeof ruleKinds)[number];

/** The placeholders each kind of rule can use in its message template. */
export const messagePlaceholders: Record<RuleKind, readonly string[]> = {
  no_written_homework: ['grades', 'date', 'count', 'minutes', 'items'],
  written_minutes_per_day: ['grades', 'date', 'minutes', 'limit'],
  written_minutes_week_average: ['grades', 'date', 'average', 'total', 'days', 'from', 'to', 'limit'],
  no_homework_day: ['grades', 'date', 'weekday', 'count', 'items'],
  forbidden_phrases: ['grades', 'date', 'count', 'phrases', 'items'],
};

const defaultMessages: Record<RuleKind, string> = {
  no_written_homework: 'written homework is not allowed for {grades}; the notice lists {count} written item(s): {items}',
  written_minutes_per_day: 'written homework totals {minutes} minutes; the limit for {grades} is {limit}',
  written_minutes_week_average:
    'written homework averages {average} minutes a day this week ({total} minutes over {days} day(s) with a notice, {from} to {to}); the limit for {grades} is {limit}',
  no_homework_day: '{date} is a {weekday}, a no-homework day at this school, but the notice lists {count} item(s): {items}',
  forbidden_phrases: 'homework asks parents to do, check or grade it: {items}',
};

const weekdayNames = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

// ---------------------------------------------------------------------------------------------
// Rule sets as data

/**
 * A wrong `kind` as the error message shows it: a short string quoted, anything else named by its type.
 * Never the whole value: a deeply nested one would overflow JSON.stringify's stack (a 500) and a huge
 * one would be echoed back whole.
 */
const shownKind = (v: unknown): string =>
  typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v) : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v);

const Grade = z.number().int('must be a whole grade').min(1, 'must be grade 1 or above').max(12, 'must be grade 12 or below');
const Grades = z
  .tuple([Grade, Grade], { error: 'must be [from, to], e.g. [3, 6]' })
  .refine(([from, to]) => from <= to, { error: (iss) => `must be [from, to] with from ≤ to, got [${(iss.input as number[]).join(', ')}]` });
const RuleId = z
  .string()
  .min(1, 'must not be empty')
  .max(60, 'must be at most 60 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"');
const Limit = z.number().int('must be whole minutes').min(0, 'must not be negative').max(1440, 'must be at most 1440 minutes');

const messageTemplate = (kind: RuleKind) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(500, 'must be at most 500 characters')
    .superRefine((template, ctx) => {
      for (const [, name] of template.matchAll(/\{(\w+)\}/g)) {
        if (!messagePlaceholders[kind].includes(name)) {
          ctx.addIssue({ code: 'custom', message: `unknown placeholder {${name}} for a ${kind} rule; use ${messagePlaceholders[kind].map((p) => `{${p}}`).join(', ')}` });
        }
      }
    })
    .optional();

const ruleBase = <K extends RuleKind>(kind: K) => ({ id: RuleId, kind: z.literal(kind), message: messageTemplate(kind) });

export const RuleSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ ...ruleBase('no_written_homework'), grades: Grades }),
    z.strictObject({ ...ruleBase('written_minutes_per_day'), grades: Grades, limit: Limit }),
    z.strictObject({ ...ruleBase('written_minutes_week_average'), grades: Grades, limit: Limit }),
    z.strictObject({ ...ruleBase('no_homework_day'), grades: Grades.optional() }),
    z.strictObject({
      ...ruleBase('forbidden_phrases'),
      grades: Grades.optional(),
      phrases: z
        .array(
          z
            .string()
            .max(100, 'must be at most 100 characters')
            .refine((p) => normalizeText(p).length > 0, 'must not be empty'),
        )
        .min(1, 'must list at least one phrase')
        .max(500, 'must list at most 500 phrases'),
    }),
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? `must be a rule of a known kind (${ruleKinds.join(', ')}), got ${shownKind((iss.input as { kind?: unknown } | undefined)?.kind)}`
        : undefined,
  },
);
export type Rule = z.infer<typeof RuleSchema>;

export const RuleSetSchema = z
  .strictObject({
    /** e.g. 'national-default'; no "@", which separates id and version in a violation. */
    id: RuleId,
    version: z.number().int('must be a whole number').min(1, 'must be 1 or above'),
    rules: z.array(RuleSchema).max(100, 'must list at most 100 rules'),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${rule.id}"` });
      seen.add(rule.id);
    });
  });
export type RuleSet = z.infer<typeof RuleSetSchema>;

// ---------------------------------------------------------------------------------------------
// Checking a notice

export interface NoticeToCheck {
  grade: number;
  date: string;
  items: readonly HomeworkItem[];
}

export interface CheckContext {
  /**
   * The class's other notices of the same school week (Monday to Sunday). Notices outside the week,
   * after the notice's date or on the notice's own date are ignored, so a caller may pass a wider set.
   */
  sameWeek: ReadonlyArray<{ readonly date: string; readonly items: readonly HomeworkItem[] }>;
  /** Weekdays (1 = Monday … 7 = Sunday) the school keeps free of homework. */
  noHomeworkWeekdays: readonly number[];
}

/** Checks one notice against a rule set. Returns the violations in the rule set's order (empty if none). */
export function checkNotice(ruleSet: RuleSet, notice: NoticeToCheck, context: CheckContext): Violation[] {
  const ruleSetRef = `${ruleSet.id}@${ruleSet.version}`;
  const day = dayNumber(notice.date);
  const violations: Violation[] = [];

  for (const rule of ruleSet.rules) {
    if (rule.grades && !inGrades(notice.grade, rule.grades)) continue;
    const base = { grades: gradesLabel(rule.grades), date: notice.date };
    const violate = (values: Record<string, string | number>, items?: number[]) =>
      violations.push({
        rule: rule.id,
        ruleSet: ruleSetRef,
        message: fill(rule.message ?? defaultMessages[rule.kind], { ...base, ...values }),
        ...(items ? { items } : {}),
      });

    switch (rule.kind) {
      case 'no_written_homework': {
        const written = indexesWhere(notice.items, (item) => item.kind === 'written');
        if (written.length > 0) {
          violate({ count: written.length, minutes: writtenMinutes(notice.items), items: describe(notice.items, written) }, written);
        }
        break;
      }
      case 'written_minutes_per_day': {
        const minutes = writtenMinutes(notice.items);
        if (minutes > rule.limit) violate({ minutes, limit: rule.limit });
        break;
      }
      case 'written_minutes_week_average': {
        const monday = day - (weekdayOfDay(day) - 1);
        const perDay = new Map<number, number>([[day, writtenMinutes(notice.items)]]);
        for (const other of context.sameWeek) {
          const d = dayNumber(other.date);
          if (d < monday || d >= day) continue;
          perDay.set(d, (perDay.get(d) ?? 0) + writtenMinutes(other.items));
        }
        const days = perDay.size;
        const total = [...perDay.values()].reduce((a, b) => a + b, 0);
        if (total > rule.limit * days) {
          violate({ average: formatAverage(total, days), total, days, from: civilDate(Math.min(...perDay.keys())), to: notice.date, limit: rule.limit });
        }
        break;
      }
      case 'no_homework_day': {
        const weekday = weekdayOfDay(day);
        if (notice.items.length > 0 && context.noHomeworkWeekdays.includes(weekday)) {
          const all = notice.items.map((_, i) => i);
          violate({ weekday: weekdayNames[weekday], count: all.length, items: describe(notice.items, all) }, all);
        }
        break;
      }
      case 'forbidden_phrases': {
        const phrases = rule.phrases.map((phrase) => ({ phrase, key: normalizeText(phrase) })).filter((p) => p.key.length > 0);
        const found = notice.items.map((item) => {
          const content = normalizeText(item.content);
          return phrases.filter((p) => content.includes(p.key)).map((p) => p.phrase);
        });
        const offending = indexesWhere(found, (matched) => matched.length > 0);
        if (offending.length > 0) {
          const described = offending.map((i) => `${describeItem(notice.items[i])} — matches ${found[i].map(quote).join(', ')}`).join('; ');
          const allPhrases = [...new Set(offending.flatMap((i) => found[i]))];
          violate({ count: offending.length, phrases: allPhrases.map(quote).join(', '), items: described }, offending);
        }
        break;
      }
    }
  }
  return violations;
}

/** Written minutes of a list of items: only `kind: 'written'` counts. */
export function writtenMinutes(items: readonly HomeworkItem[]): number {
  return items.reduce((sum, item) => (item.kind === 'written' ? sum + item.minutes : sum), 0);
}

/** Width-folded (NFKC), lower-cased, whitespace-free form used to match phrases. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

// ---------------------------------------------------------------------------------------------
// Helpers

function inGrades(grade: number, [from, to]: readonly [number, number]): boolean {
  return grade >= from && grade <= to;
}

function gradesLabel(grades: readonly [number, number] | undefined): string {
  if (!grades) return 'all grades';
  return grades[0] === grades[1] ? `grade ${grades[0]}` : `grades ${grades[0]}–${grades[1]}`;
}

/** Whole, or to one decimal: limits are whole minutes and a week has at most 7 days, so an average over the limit exceeds it by at least 1/7 and never reads as the limit. */
function formatAverage(total: number, days: number): string {
  const average = total / days;
  return Number.isInteger(average) ? String(average) : average.toFixed(1);
}

function indexesWhere<T>(list: readonly T[], test: (x: T) => boolean): number[] {
  return list.flatMap((x, i) => (test(x) ? [i] : []));
}

function describeItem(item: HomeworkItem): string {
  const content = item.content.length > 40 ? `${item.content.slice(0, 40)}…` : item.content;
  return `${item.subject} ${quote(content)} (${item.kind}, ${item.minutes} min)`;
}

function describe(items: readonly HomeworkItem[], indexes: number[]): string {
  return indexes.map((i) => describeItem(items[i])).join('; ');
}

function quote(text: string): string {
  return `“${text}”`;
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
