/**
 * Campaign form definitions (SurveyJS JSON), server-side answer validation and aggregate counters.
 * Pure functions: no I/O, no AWS. `survey-core` runs headless here and is the single source of truth for
 * what a respondent is shown (conditional visibility, rating steps), so the server and the browser agree.
 *
 * Accepted form shapes
 *   - top-level `elements`, or `pages[].elements` (not both); panels (`type: 'panel'`, nested `elements`)
 *     are flattened, up to {@link MAX_PANEL_DEPTH} levels deep; `html` elements are display-only and skipped.
 *   - question types: {@link SUPPORTED_QUESTION_TYPES}. At most {@link MAX_QUESTIONS} questions.
 *   - names match {@link QUESTION_NAME_PATTERN} (they become counter keys), unique case-insensitively
 *     (SurveyJS expressions resolve names case-insensitively) and not an `Object.prototype` member.
 *   - choices: strings/numbers or `{value, text}`; `text` a string or a localized object
 *     (`{"default": "...", "zh-cn": "..."}`). Values are non-empty, ≤ 100 characters, without '|'.
 *     Values are compared AS STRINGS: `1` and `"1"` are the same choice (so they may not both appear) and an
 *     answer `"1"` is accepted for a choice defined as `1` (SurveyJS itself stores the number). Counter keys
 *     and `QuestionSpec.choices` carry the string form.
 *   - rating: integer `rateMin`/`rateMax`/`rateStep` (defaults 1..5 step 1), `rateCount`, or integer
 *     `rateValues`; the steps the respondent sees are read back from survey-core
 *     (`visibleRateValues`) and must be 2..11 distinct integers.
 *   - `visibleIf` / `requiredIf` (questions) and `visibleIf` (panels, pages) must parse with survey-core's
 *     `ConditionsParser`, use only registered functions, pass survey-core's condition semantic checks
 *     (no constant results such as `{a} = {a}` or `... or true`) and reference only questions of the form
 *     (`{name}`, `{name.x}`, `{name[0]}`, `{name-unwrapped}`; exact case; not the question itself).
 *   - options that would make SurveyJS store values outside the choices/types validated here are
 *     rejected: `valueName`, `showOtherItem`/`hasOther`, `showNoneItem`/`hasNone`, `showSelectAllItem`/
 *     `hasSelectAll`, `showCommentArea`/`hasComment`, `choicesByUrl`, `choicesFromQuestion`,
 *     `choicesVisibleIf`, `choicesEnableIf`, boolean `valueTrue`/`valueFalse`, text `inputType` other than
 *     text/email/tel/url.
 *
 * Answers
 *   An answer of `undefined`, `null`, `''` (or whitespace only) counts as "not answered". Otherwise:
 *   radiogroup/dropdown one choice value; checkbox a non-empty array of distinct choice values (within
 *   `minSelectedChoices`/`maxSelectedChoices` when set); boolean a boolean; rating an integer among the
 *   steps; text a string ≤ 2000 characters, comment ≤ 5000 (or the question's smaller `maxLength`).
 *   A visible required question (isRequired or requiredIf, evaluated by survey-core) must be answered; an
 *   answer to a question that is not visible given the other answers is rejected, so aggregates never count
 *   answers a respondent should not have given.
 *
 * Counter scheme (flat map, attribute name → count; all counters are ADDed atomically per accepted set)
 *   `n|<q>`           respondents who answered question <q> (every type, free text included)
 *   `c|<q>|<value>`   radiogroup/dropdown: the chosen choice; checkbox: each chosen choice;
 *                     rating: the chosen step (`c|rate|4`); boolean: `c|<q>|true` / `c|<q>|false`
 *   `s|<q>`           rating: sum of the chosen steps (mean = s / n)
 *   Free text is never aggregated (only `n|<q>`). Names are ≤ 64 + 100 + 4 characters and contain '|'
 *   only as separators (question names and choice values cannot contain it), so keys never collide.
 *   Counters of classes merge into school/grade/district results by plain addition ({@link mergeCounters}).
 */
import type * as SurveyCore from 'survey-core';
import type { Model, Operand, Question } from 'survey-core';
import type { FieldIssue } from '../../platform/errors';

export const SUPPORTED_QUESTION_TYPES = ['radiogroup', 'checkbox', 'dropdown', 'boolean', 'rating', 'text', 'comment'] as const;
export type QuestionType = (typeof SUPPORTED_QUESTION_TYPES)[number];

export const QUESTION_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const MAX_QUESTIONS = 100;
export const MAX_CHOICE_VALUE_LENGTH = 100;
export const MAX_CHOICES = 100;
export const MAX_RATING_STEPS = 11;
export const MAX_PANEL_DEPTH = 10;
export const MAX_TEXT_LENGTH = 2000;
export const MAX_COMMENT_LENGTH = 5000;

export interface QuestionSpec {
  name: string;
  type: QuestionType;
  /** Display title in the form's default language (`default`, else `zh-cn`, else the first); the name if absent. */
  title: string;
  isRequired: boolean;
  /** Choice values as strings, in definition order (radiogroup, checkbox, dropdown). */
  choices?: string[];
  /** Display texts of the choices, same order as `choices`. */
  choiceTexts?: string[];
  /** Rating: smallest and largest step, and every step in display order. */
  rateMin?: number;
  rateMax?: number;
  rateValues?: number[];
  /** Text/comment: maximum answer length. */
  maxLength?: number;
  /** Checkbox: selection bounds when the form sets them. */
  minSelectedChoices?: number;
  maxSelectedChoices?: number;
  /** The question's own condition (a panel's or page's condition also applies; survey-core evaluates both). */
  visibleIf?: string;
  requiredIf?: string;
}

export type FormCheck = { ok: true; questions: QuestionSpec[] } | { ok: false; issues: FieldIssue[] };

export interface QuestionResult {
  type: QuestionType;
  title: string;
  answered: number;
  /**
   * Choice questions: value → count for every choice (zero included), in definition order — except that
   * JavaScript lists integer-like keys ('1', '2') first and ascending; `QuestionSpec.choices` keeps the order.
   * Boolean: `{true, false}`.
   */
  counts?: Record<string, number>;
  /** Rating: sum / answered, 2 decimals; null when nobody answered. */
  mean?: number | null;
  /** Rating: step → count for every step. */
  distribution?: Record<string, number>;
  /** Boolean: true / answered, 4 decimals; null when nobody answered. */
  trueRate?: number | null;
}

export type Counters = Record<string, number>;

/**
 * survey-core (about 1.4 MB of the bundle) is loaded on first use, not when the module is: most handlers
 * that import this file (campaign reads, results, tokens, the clock, exports) never validate a form or an
 * answer, and evaluating survey-core at load was the largest part of their cold start
 * (bench/cold-start.ts). A plain `require` keeps these functions synchronous; it loads the package's
 * CommonJS build, the one Jest and the one-machine runtime load too.
 */
let surveyCoreModule: typeof SurveyCore | undefined;
const surveyCore = (): typeof SurveyCore => (surveyCoreModule ??= require('survey-core') as typeof SurveyCore);

const CHOICE_TYPES: ReadonlySet<string> = new Set(['radiogroup', 'checkbox', 'dropdown']);
const DISPLAY_ONLY_TYPES: ReadonlySet<string> = new Set(['html']);
const TEXT_INPUT_TYPES: ReadonlySet<string> = new Set(['text', 'email', 'tel', 'url']);
const REJECTED_OPTIONS: Record<string, string> = {
  valueName: 'valueName is not supported: answers are stored under the question name',
  showOtherItem: 'an "other" item is not supported: list every choice explicitly',
  hasOther: 'an "other" item is not supported: list every choice explicitly',
  showNoneItem: 'a "none" item is not supported: add it as an explicit choice',
  hasNone: 'a "none" item is not supported: add it as an explicit choice',
  showSelectAllItem: 'a "select all" item is not supported',
  hasSelectAll: 'a "select all" item is not supported',
  showCommentArea: 'a comment area is not supported: add a separate comment question',
  hasComment: 'a comment area is not supported: add a separate comment question',
  choicesByUrl: 'choices must be listed in the form',
  choicesFromQuestion: 'choices must be listed in the form',
  choicesVisibleIf: 'conditional choices are not supported',
  choicesEnableIf: 'conditional choices are not supported',
  valueTrue: 'custom boolean values are not supported: answers are true/false',
  valueFalse: 'custom boolean values are not supported: answers are true/false',
};

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Json, key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined);
const issue = (field: string, message: string): FieldIssue => ({ field, message, in: 'body' });
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const round = (v: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
};

/** A localized SurveyJS string: plain, or `{default, zh-cn, ...}`. Returns undefined when it is neither. */
function localized(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!isObject(v)) return undefined;
  for (const key of ['default', 'zh-cn', 'zh']) {
    const s = own(v, key);
    if (typeof s === 'string') return s;
  }
  const first = Object.values(v).find((s): s is string => typeof s === 'string');
  return first;
}

/** Whether a value counts as an answer (see module header). */
function isAnswered(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  return true;
}

interface RawQuestion {
  el: Json;
  path: string;
  type: QuestionType;
  name: string;
}

interface Condition {
  expression: string;
  path: string;
  /** The question owning the condition (self-reference check), if any. */
  owner?: string;
}

/**
 * How deep a form may nest (objects and arrays, the form itself counting one). DynamoDB stores at most 32
 * levels in an item, the form sitting one below it: deeper, the write fails (a 500), or converting it
 * overflows the stack. Panels nested as deep as allowed, with choices and localised texts, fit.
 */
export const MAX_FORM_DEPTH = 30;

/** Whether `v` nests more than `levels` objects or arrays deep; never looks further than that. */
function nestedDeeperThan(v: unknown, levels: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (levels === 0) return true;
  return Object.values(v).some((x) => nestedDeeperThan(x, levels - 1));
}

/** Parses and validates a SurveyJS form definition. */
export function parseForm(json: unknown): FormCheck {
  const issues: FieldIssue[] = [];
  if (!isObject(json)) return { ok: false, issues: [issue('form', 'form must be a SurveyJS JSON object')] };
  if (nestedDeeperThan(json, MAX_FORM_DEPTH)) return { ok: false, issues: [issue('form', `form must not nest more than ${MAX_FORM_DEPTH} levels deep`)] };

  const raw: RawQuestion[] = [];
  const conditions: Condition[] = [];

  const readCondition = (owner: Json, key: 'visibleIf' | 'requiredIf', path: string, ownerName?: string): string | undefined => {
    const v = own(owner, key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      issues.push(issue(`${path}.${key}`, `${key} must be a string expression`));
      return undefined;
    }
    if (v.trim() === '') return undefined;
    conditions.push({ expression: v, path: `${path}.${key}`, owner: ownerName });
    return v;
  };

  const walk = (elements: unknown, path: string, depth: number): void => {
    if (elements === undefined) return;
    if (!Array.isArray(elements)) {
      issues.push(issue(path, 'elements must be an array'));
      return;
    }
    elements.forEach((el, i) => {
      const p = `${path}.${i}`;
      if (!isObject(el)) {
        issues.push(issue(p, 'element must be an object'));
        return;
      }
      const type = own(el, 'type');
      if (type === 'panel') {
        if (depth >= MAX_PANEL_DEPTH) {
          issues.push(issue(p, `panels may be nested at most ${MAX_PANEL_DEPTH} levels deep`));
          return;
        }
        readCondition(el, 'visibleIf', p);
        walk(own(el, 'elements'), `${p}.elements`, depth + 1);
        return;
      }
      if (typeof type === 'string' && DISPLAY_ONLY_TYPES.has(type)) return;
      if (typeof type !== 'string' || !(SUPPORTED_QUESTION_TYPES as readonly string[]).includes(type)) {
        const shown = typeof type === 'string' ? `'${type}'` : 'missing';
        issues.push(
          issue(`${p}.type`, `unsupported question type ${shown}; supported: ${SUPPORTED_QUESTION_TYPES.join(', ')} (and panel, html)`),
        );
        return;
      }
      const name = own(el, 'name');
      if (typeof name !== 'string' || name === '') {
        issues.push(issue(`${p}.name`, 'question name is required'));
        return;
      }
      if (!QUESTION_NAME_PATTERN.test(name)) {
        issues.push(issue(`${p}.name`, `question name '${name}' must start with a letter and contain only letters, digits and '_' (at most 64 characters)`));
        return;
      }
      if (name in Object.prototype) {
        issues.push(issue(`${p}.name`, `question name '${name}' is reserved`));
        return;
      }
      raw.push({ el, path: p, type: type as QuestionType, name });
    });
  };

  const pages = own(json, 'pages');
  const topElements = own(json, 'elements');
  if (pages !== undefined && topElements !== undefined) {
    issues.push(issue('form', 'use either pages or elements, not both'));
  } else if (pages !== undefined) {
    if (!Array.isArray(pages)) issues.push(issue('form.pages', 'pages must be an array'));
    else
      pages.forEach((page, i) => {
        if (!isObject(page)) {
          issues.push(issue(`form.pages.${i}`, 'page must be an object'));
          return;
        }
        readCondition(page, 'visibleIf', `form.pages.${i}`);
        walk(own(page, 'elements'), `form.pages.${i}.elements`, 0);
      });
  } else {
    walk(topElements, 'form.elements', 0);
  }

  if (raw.length === 0 && issues.length === 0) issues.push(issue('form', 'the form has no questions'));
  if (raw.length > MAX_QUESTIONS) issues.push(issue('form', `the form has ${raw.length} questions; at most ${MAX_QUESTIONS} are allowed`));

  const seen = new Map<string, string>();
  const questions: QuestionSpec[] = [];
  for (const q of raw) {
    const key = q.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(issue(`${q.path}.name`, `duplicate question name '${q.name}' (already used by '${first}')`));
      continue;
    }
    seen.set(key, q.name);
    const spec = parseQuestion(q, issues);
    spec.visibleIf = readCondition(q.el, 'visibleIf', q.path, q.name);
    spec.requiredIf = readCondition(q.el, 'requiredIf', q.path, q.name);
    if (spec.visibleIf === undefined) delete spec.visibleIf;
    if (spec.requiredIf === undefined) delete spec.requiredIf;
    questions.push(spec);
  }

  const names = new Set(questions.map((q) => q.name));
  for (const c of conditions) checkCondition(c, names, issues);

  if (issues.length > 0) return { ok: false, issues };

  // The structure is sound: let survey-core build the model, read back the rating steps it shows and
  // evaluate every condition once, so a definition survey-core cannot run is rejected at creation.
  let model: Model;
  try {
    model = new (surveyCore().Model)(json);
    model.data = {};
    for (const mq of model.getAllQuestions()) void (mq.isVisible && mq.isParentVisible && mq.isRequired);
  } catch (e) {
    return { ok: false, issues: [issue('form', `survey-core cannot run this form: ${(e as Error).message}`)] };
  }
  for (const q of raw) {
    if (q.type !== 'rating') continue;
    const spec = questions.find((s) => s.name === q.name)!;
    const mq = model.getQuestionByName(q.name) as unknown as { visibleRateValues?: { value: unknown }[] } | null;
    const values = (mq?.visibleRateValues ?? []).map((v) => v.value);
    const field = `${q.path}.${own(q.el, 'rateValues') !== undefined ? 'rateValues' : 'rateMax'}`;
    if (!values.every(isInt)) {
      issues.push(issue(field, 'rating steps must be integers'));
      continue;
    }
    const steps = values as number[];
    if (new Set(steps).size !== steps.length) issues.push(issue(field, 'rating steps must be distinct'));
    else if (steps.length < 2) issues.push(issue(field, 'a rating needs at least 2 steps'));
    else if (steps.length > MAX_RATING_STEPS) issues.push(issue(field, `a rating has ${steps.length} steps; at most ${MAX_RATING_STEPS} are allowed`));
    else {
      spec.rateValues = steps;
      spec.rateMin = Math.min(...steps);
      spec.rateMax = Math.max(...steps);
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, questions };
}

function parseQuestion(q: RawQuestion, issues: FieldIssue[]): QuestionSpec {
  const { el, path, type, name } = q;
  const titleRaw = own(el, 'title');
  let title = name;
  if (titleRaw !== undefined && titleRaw !== null) {
    const t = localized(titleRaw);
    if (t === undefined) issues.push(issue(`${path}.title`, 'title must be a string or a localized object of strings'));
    else if (t.trim() !== '') title = t;
  }
  const isRequired = own(el, 'isRequired');
  if (isRequired !== undefined && typeof isRequired !== 'boolean') issues.push(issue(`${path}.isRequired`, 'isRequired must be a boolean'));
  const spec: QuestionSpec = { name, type, title, isRequired: isRequired === true };

  for (const [option, message] of Object.entries(REJECTED_OPTIONS)) {
    const v = own(el, option);
    if (v === undefined || v === null || v === false || v === '') continue;
    if ((option === 'valueTrue' || option === 'valueFalse') && type !== 'boolean') continue;
    issues.push(issue(`${path}.${option}`, message));
  }

  if (CHOICE_TYPES.has(type)) {
    const choices = own(el, 'choices');
    if (!Array.isArray(choices) || choices.length === 0) {
      issues.push(issue(`${path}.choices`, `question '${name}' needs at least one choice`));
    } else if (choices.length > MAX_CHOICES) {
      issues.push(issue(`${path}.choices`, `question '${name}' has ${choices.length} choices; at most ${MAX_CHOICES} are allowed`));
    } else {
      const values: string[] = [];
      const texts: string[] = [];
      choices.forEach((c, i) => {
        const p = `${path}.choices.${i}`;
        const value = isObject(c) ? own(c, 'value') : c;
        if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) {
          issues.push(issue(p, 'a choice value must be a string or a number'));
          return;
        }
        const s = String(value);
        if (s.trim() === '') issues.push(issue(p, 'a choice value must not be empty'));
        else if (s.length > MAX_CHOICE_VALUE_LENGTH) issues.push(issue(p, `choice value is longer than ${MAX_CHOICE_VALUE_LENGTH} characters`));
        else if (s.includes('|')) issues.push(issue(p, "a choice value must not contain '|'"));
        else if (values.includes(s)) issues.push(issue(p, `duplicate choice value '${s}'`));
        else {
          let text = s;
          if (isObject(c) && own(c, 'text') !== undefined) {
            const t = localized(own(c, 'text'));
            if (t === undefined) issues.push(issue(`${p}.text`, 'choice text must be a string or a localized object of strings'));
            else if (t.trim() !== '') text = t;
          }
          values.push(s);
          texts.push(text);
        }
      });
      spec.choices = values;
      spec.choiceTexts = texts;
    }
    if (type === 'checkbox') {
      for (const key of ['minSelectedChoices', 'maxSelectedChoices'] as const) {
        const v = own(el, key);
        if (v === undefined || v === null || v === 0) continue;
        if (!isInt(v) || v < 0) issues.push(issue(`${path}.${key}`, `${key} must be a non-negative integer`));
        else spec[key] = v;
      }
      if (spec.minSelectedChoices !== undefined && spec.maxSelectedChoices !== undefined && spec.minSelectedChoices > spec.maxSelectedChoices)
        issues.push(issue(`${path}.maxSelectedChoices`, 'maxSelectedChoices must not be less than minSelectedChoices'));
    }
  }

  if (type === 'rating') {
    const rateValues = own(el, 'rateValues');
    if (rateValues !== undefined && rateValues !== null && !(Array.isArray(rateValues) && rateValues.length === 0)) {
      if (!Array.isArray(rateValues)) issues.push(issue(`${path}.rateValues`, 'rateValues must be an array'));
      else
        rateValues.forEach((c, i) => {
          const value = isObject(c) ? own(c, 'value') : c;
          if (!isInt(value)) issues.push(issue(`${path}.rateValues.${i}`, 'rating values must be integers'));
        });
    } else {
      for (const key of ['rateMin', 'rateMax', 'rateStep', 'rateCount'] as const) {
        const v = own(el, key);
        if (v !== undefined && !isInt(v)) issues.push(issue(`${path}.${key}`, `${key} must be an integer`));
      }
      const min = own(el, 'rateMin') ?? 1;
      const max = own(el, 'rateMax') ?? 5;
      const step = own(el, 'rateStep') ?? 1;
      if (isInt(step) && step < 1) issues.push(issue(`${path}.rateStep`, 'rateStep must be at least 1'));
      if (isInt(min) && isInt(max) && min >= max) issues.push(issue(`${path}.rateMax`, `rateMax (${max}) must be greater than rateMin (${min})`));
      else if (isInt(min) && isInt(max) && isInt(step) && step >= 1 && Math.floor((max - min) / step) + 1 > MAX_RATING_STEPS)
        issues.push(issue(`${path}.rateMax`, `the range ${min}..${max} has more than ${MAX_RATING_STEPS} steps`));
      const count = own(el, 'rateCount');
      if (isInt(count) && (count < 2 || count > MAX_RATING_STEPS))
        issues.push(issue(`${path}.rateCount`, `rateCount must be between 2 and ${MAX_RATING_STEPS}`));
    }
  }

  if (type === 'text') {
    const inputType = own(el, 'inputType');
    if (inputType !== undefined && !(typeof inputType === 'string' && TEXT_INPUT_TYPES.has(inputType)))
      issues.push(issue(`${path}.inputType`, `inputType must be one of ${[...TEXT_INPUT_TYPES].join(', ')}`));
  }
  if (type === 'text' || type === 'comment') {
    const limit = type === 'text' ? MAX_TEXT_LENGTH : MAX_COMMENT_LENGTH;
    const maxLength = own(el, 'maxLength');
    if (maxLength !== undefined && maxLength !== null && maxLength !== 0 && maxLength !== -1 && !(isInt(maxLength) && maxLength > 0))
      issues.push(issue(`${path}.maxLength`, 'maxLength must be a positive integer'));
    spec.maxLength = isInt(maxLength) && maxLength > 0 ? Math.min(maxLength, limit) : limit;
  }
  return spec;
}

/** Base question name of an expression variable: `q`, `q.x`, `q[0]`, `q-unwrapped` → `q`. */
function variableBase(variable: string): string {
  const base = variable.split(/[.[]/)[0];
  return base.endsWith('-unwrapped') ? base.slice(0, -'-unwrapped'.length) : base;
}

function checkCondition(c: Condition, names: ReadonlySet<string>, issues: FieldIssue[]): void {
  const { ConditionsParser, FunctionFactory, FunctionOperand } = surveyCore();
  const parser = new ConditionsParser();
  let op: Operand | undefined;
  try {
    op = parser.createCondition(c.expression);
  } catch (e) {
    issues.push(issue(c.path, `cannot parse the condition: ${(e as Error).message}`));
    return;
  }
  if (!op) {
    const at = parser.error?.at;
    issues.push(issue(c.path, `cannot parse the condition${at !== undefined ? ` (at character ${at + 1})` : ''}`));
    return;
  }
  const operands: Operand[] = [];
  op.addOperandsToList(operands);
  for (const o of operands) {
    if (o instanceof FunctionOperand && !FunctionFactory.Instance.hasFunction(o.functionName)) {
      issues.push(issue(c.path, `unknown function '${o.functionName}' in the condition`));
      return;
    }
  }
  const variables: string[] = [];
  op.setVariables(variables);
  for (const v of variables) {
    const base = variableBase(v);
    if (!names.has(base)) {
      issues.push(issue(c.path, `the condition references unknown question '${v}'`));
      return;
    }
    if (base === c.owner) {
      issues.push(issue(c.path, `the condition of '${c.owner}' references the question itself`));
      return;
    }
  }
  const semantic: unknown[] = [];
  op.addConditionSemanticErrors(semantic as Parameters<Operand['addConditionSemanticErrors']>[0]);
  if (semantic.length > 0) issues.push(issue(c.path, 'the condition (or a part of it) has a result known in advance'));
}

/**
 * Validates one answer set against the form. `form` is the definition accepted by {@link parseForm} and
 * `questions` its result. Returns the issues (empty when accepted), fields `answers.<questionName>`.
 */
export function validateAnswers(form: Record<string, unknown>, questions: QuestionSpec[], answers: unknown): FieldIssue[] {
  if (!isObject(answers)) return [issue('answers', 'answers must be an object keyed by question name')];
  const issues: FieldIssue[] = [];
  const byName = new Map(questions.map((q) => [q.name, q]));
  for (const key of Object.keys(answers)) {
    if (!byName.has(key)) issues.push(issue(`answers.${key}`, `unknown question '${key}'`));
  }

  // Type/value checks first; only well-typed answers reach survey-core (in the definition's own value type).
  const model = modelFor(form);
  const data: Record<string, unknown> = {};
  const valid = new Set<string>();
  for (const q of questions) {
    const value = own(answers, q.name);
    if (!isAnswered(value)) continue;
    const problem = valueProblem(q, value);
    if (problem) {
      issues.push(issue(`answers.${q.name}`, `question '${q.name}': ${problem}`));
      continue;
    }
    valid.add(q.name);
    data[q.name] = toModelValue(model.getQuestionByName(q.name), q, value);
  }
  model.data = data;

  for (const q of questions) {
    const mq = model.getQuestionByName(q.name);
    const visible = !!mq && mq.isVisible && mq.isParentVisible;
    const answered = isAnswered(own(answers, q.name));
    if (!visible) {
      if (answered) issues.push(issue(`answers.${q.name}`, `question '${q.name}' was not asked given the other answers`));
      continue;
    }
    if (!answered && (q.isRequired || mq.isRequired)) issues.push(issue(`answers.${q.name}`, `question '${q.name}' is required`));
  }
  // A value-type issue and a visibility issue on the same question: report the question once.
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(i.field) ? false : (seen.add(i.field), true)));
}

/**
 * survey-core models of the most recent forms, by the form's JSON text (building one costs milliseconds,
 * about 11 ms of CPU per answer before this cache: bench/surveys.ts; setting `data` a fraction of that).
 * Keyed by text because each answer reads its form afresh from DynamoDB, a new object every time; a model
 * depends on nothing but the definition. `model.data = …` replaces every value, so a reused model carries
 * nothing over from the previous answer set.
 */
const models = new Map<string, Model>();
const MAX_MODELS = 32;
function modelFor(form: Record<string, unknown>): Model {
  const json = JSON.stringify(form);
  let model = models.get(json);
  if (model) {
    models.delete(json); // most recently used last
  } else {
    model = new (surveyCore().Model)(form);
    if (models.size >= MAX_MODELS) models.delete(models.keys().next().value as string);
  }
  models.set(json, model);
  return model;
}

const describe = (v: unknown): string => (typeof v === 'string' ? `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'` : JSON.stringify(v) ?? String(v));

function choiceKey(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function valueProblem(q: QuestionSpec, value: unknown): string | undefined {
  switch (q.type) {
    case 'radiogroup':
    case 'dropdown': {
      const k = choiceKey(value);
      if (k === undefined) return 'expected one choice value';
      return q.choices!.includes(k) ? undefined : `${describe(value)} is not one of the choices (${q.choices!.join(', ')})`;
    }
    case 'checkbox': {
      if (!Array.isArray(value)) return 'expected an array of choice values';
      if (value.length === 0) return 'select at least one choice (omit the question to skip it)';
      const keys: string[] = [];
      for (const v of value) {
        const k = choiceKey(v);
        if (k === undefined || !q.choices!.includes(k)) return `${describe(v)} is not one of the choices (${q.choices!.join(', ')})`;
        if (keys.includes(k)) return `choice ${describe(v)} is selected twice`;
        keys.push(k);
      }
      if (q.minSelectedChoices !== undefined && keys.length < q.minSelectedChoices) return `select at least ${q.minSelectedChoices} choices`;
      if (q.maxSelectedChoices !== undefined && keys.length > q.maxSelectedChoices) return `select at most ${q.maxSelectedChoices} choices`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'rating': {
      if (!isInt(value)) return 'expected an integer rating';
      const steps = q.rateValues ?? range(q.rateMin ?? 1, q.rateMax ?? 5);
      return steps.includes(value) ? undefined : `${value} is outside the rating range (${steps.join(', ')})`;
    }
    case 'text':
    case 'comment': {
      if (typeof value !== 'string') return 'expected text';
      const max = q.maxLength ?? (q.type === 'text' ? MAX_TEXT_LENGTH : MAX_COMMENT_LENGTH);
      return value.length > max ? `text is longer than ${max} characters` : undefined;
    }
  }
}

function range(min: number, max: number): number[] {
  const out: number[] = [];
  for (let v = min; v <= max; v++) out.push(v);
  return out;
}

/** The value as SurveyJS itself would store it: a choice's `value` in the definition's own type. */
function toModelValue(mq: Question | null, q: QuestionSpec, value: unknown): unknown {
  if (!mq || !CHOICE_TYPES.has(q.type)) return value;
  const defined = new Map<string, unknown>();
  for (const c of (mq as unknown as { choices: { value: unknown }[] }).choices ?? []) defined.set(String(c.value), c.value);
  const map = (v: unknown): unknown => defined.get(String(v)) ?? v;
  return Array.isArray(value) ? value.map(map) : map(value);
}

/** Counters to ADD for one accepted answer set (scheme in the module header). */
export function counterIncrements(questions: QuestionSpec[], answers: Record<string, unknown>): Counters {
  const out: Counters = {};
  const add = (key: string, n: number): void => {
    out[key] = (out[key] ?? 0) + n;
  };
  for (const q of questions) {
    const value = own(answers, q.name);
    if (!isAnswered(value)) continue;
    add(`n|${q.name}`, 1);
    switch (q.type) {
      case 'radiogroup':
      case 'dropdown':
        add(`c|${q.name}|${String(value)}`, 1);
        break;
      case 'checkbox':
        for (const v of new Set((value as unknown[]).map(String))) add(`c|${q.name}|${v}`, 1);
        break;
      case 'boolean':
        add(`c|${q.name}|${value === true ? 'true' : 'false'}`, 1);
        break;
      case 'rating':
        add(`c|${q.name}|${String(value)}`, 1);
        add(`s|${q.name}`, value as number);
        break;
      case 'text':
      case 'comment':
        break;
    }
  }
  return out;
}

/** Adds two counter maps (e.g. per-class counters into school, grade or district totals). */
export function mergeCounters(a: Counters, b: Counters): Counters {
  const out: Counters = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (Object.prototype.hasOwnProperty.call(out, k) ? out[k] : 0) + v;
  return out;
}

/** Per-question results from (merged) counters, in definition order. */
export function resultsFromCounters(questions: QuestionSpec[], counters: Counters): Record<string, QuestionResult> {
  const get = (key: string): number => {
    const v = Object.prototype.hasOwnProperty.call(counters, key) ? counters[key] : 0;
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  };
  const out: Record<string, QuestionResult> = {};
  for (const q of questions) {
    const answered = get(`n|${q.name}`);
    const r: QuestionResult = { type: q.type, title: q.title, answered };
    if (CHOICE_TYPES.has(q.type)) {
      r.counts = Object.fromEntries((q.choices ?? []).map((c) => [c, get(`c|${q.name}|${c}`)]));
    } else if (q.type === 'boolean') {
      const t = get(`c|${q.name}|true`);
      r.counts = { true: t, false: get(`c|${q.name}|false`) };
      r.trueRate = answered > 0 ? round(t / answered, 4) : null;
    } else if (q.type === 'rating') {
      const steps = q.rateValues ?? range(q.rateMin ?? 1, q.rateMax ?? 5);
      r.distribution = Object.fromEntries(steps.map((v) => [String(v), get(`c|${q.name}|${v}`)]));
      r.mean = answered > 0 ? round(get(`s|${q.name}`) / answered, 2) : null;
    }
    out[q.name] = r;
  }
  return out;
}
