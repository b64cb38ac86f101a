import {
  counterIncrements,
  mergeCounters,
  parseForm,
  resultsFromCounters,
  validateAnswers,
  type Counters,
  type QuestionSpec,
} from '../../../lambdas/domain/campaigns/forms';
import homeworkSurvey from './fixtures/homework-survey.json';

type Json = Record<string, unknown>;

function mustParse(form: unknown): QuestionSpec[] {
  const r = parseForm(form);
  if (!r.ok) throw new Error(`expected the form to be accepted: ${JSON.stringify(r.issues)}`);
  return r.questions;
}

/** A form with one question `q` of the given definition (plus any extra elements). */
const one = (q: Json, ...more: Json[]): Json => ({ elements: [{ name: 'q', ...q }, ...more] });

describe('parseForm', () => {
  it('accepts the realistic parent questionnaire', () => {
    const qs = mustParse(homeworkSurvey);
    expect(qs.map((q) => [q.name, q.type])).toEqual([
      ['homeworkMinutes', 'radiogroup'],
      ['parentsAskedToGrade', 'boolean'],
      ['afterSchoolService', 'boolean'],
      ['satisfaction', 'rating'],
      ['comments', 'comment'],
    ]);
    expect(qs[0]).toMatchObject({
      title: '孩子每天完成书面作业的平均时间是多少？',
      isRequired: true,
      choices: ['lt30', '30to60', '60to90', 'gt90'],
      choiceTexts: ['30分钟以内', '30–60分钟', '60–90分钟', '90分钟以上'],
    });
    expect(qs[3]).toMatchObject({ rateMin: 1, rateMax: 5, rateValues: [1, 2, 3, 4, 5] });
    expect(qs[4]).toMatchObject({ visibleIf: '{satisfaction} <= 2', isRequired: false, maxLength: 1000 });
  });

  it.each<[string, unknown, Partial<QuestionSpec>[]]>([
    ['top-level elements, title defaults to name', { elements: [{ type: 'text', name: 'school' }] }, [{ name: 'school', title: 'school', type: 'text', isRequired: false, maxLength: 2000 }]],
    [
      'pages and nested panels flattened in order',
      {
        pages: [
          { elements: [{ type: 'boolean', name: 'a' }, { type: 'panel', name: 'p', elements: [{ type: 'text', name: 'b' }, { type: 'panel', name: 'p2', elements: [{ type: 'comment', name: 'c' }] }] }] },
          { elements: [{ type: 'html', name: 'intro', html: '<p>谢谢</p>' }, { type: 'dropdown', name: 'd', choices: ['x'] }] },
        ],
      },
      [{ name: 'a' }, { name: 'b' }, { name: 'c', maxLength: 5000 }, { name: 'd', choices: ['x'] }],
    ],
    [
      'choices as strings, numbers and {value, text} with localized text',
      one({ type: 'checkbox', choices: ['a', 2, { value: 'c', text: { default: '丙', en: 'C' } }, { value: 4, text: 'four' }] }),
      [{ choices: ['a', '2', 'c', '4'], choiceTexts: ['a', '2', '丙', 'four'] }],
    ],
    ['localized title (zh-cn only)', one({ type: 'boolean', title: { 'zh-cn': '是否' } }), [{ title: '是否' }]],
    ['rating defaults 1..5', one({ type: 'rating' }), [{ rateMin: 1, rateMax: 5, rateValues: [1, 2, 3, 4, 5] }]],
    ['rating 0..10 (11 steps)', one({ type: 'rating', rateMin: 0, rateMax: 10 }), [{ rateMin: 0, rateMax: 10 }]],
    ['rating with a step', one({ type: 'rating', rateMin: 1, rateMax: 9, rateStep: 2 }), [{ rateValues: [1, 3, 5, 7, 9] }]],
    ['rating rateValues', one({ type: 'rating', rateValues: [{ value: 1, text: '差' }, 3, { value: 5, text: '好' }] }), [{ rateValues: [1, 3, 5], rateMin: 1, rateMax: 5 }]],
    ['rating rateCount', one({ type: 'rating', rateMin: 0, rateCount: 3 }), [{ rateValues: [0, 1, 2] }]],
    ['visibleIf on a known question', one({ type: 'boolean' }, { type: 'text', name: 'why', visibleIf: '{q} = false' }), [{}, { visibleIf: '{q} = false' }]],
    ['visibleIf with functions, anyof and nested refs', one({ type: 'checkbox', choices: ['a', 'b'] }, { type: 'text', name: 't', visibleIf: "{q} anyof ['a'] and {q.length} > 0 or {q-unwrapped} notempty" }), [{}, {}]],
    ['panel visibleIf and requiredIf', { elements: [{ type: 'boolean', name: 'a' }, { type: 'panel', name: 'p', visibleIf: '{a} = true', elements: [{ type: 'text', name: 'b', requiredIf: '{a} = true' }] }] }, [{}, { requiredIf: '{a} = true' }]],
    ['maxLength narrower than the default is kept', one({ type: 'text', maxLength: 50 }), [{ maxLength: 50 }]],
    ['maxLength wider than the default is capped', one({ type: 'comment', maxLength: 100000 }), [{ maxLength: 5000 }]],
  ])('accepts %s', (_label, form, expected) => {
    const qs = mustParse(form);
    expect(qs).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(qs[i]).toMatchObject(e));
  });

  it('accepts exactly 100 questions and a 100-character choice value', () => {
    expect(mustParse({ elements: Array.from({ length: 100 }, (_, i) => ({ type: 'boolean', name: `q${i}` })) })).toHaveLength(100);
    expect(mustParse(one({ type: 'radiogroup', choices: ['x'.repeat(100)] }))[0].choices).toEqual(['x'.repeat(100)]);
  });

  const tooMany = { elements: Array.from({ length: 101 }, (_, i) => ({ type: 'boolean', name: `q${i}` })) };

  it.each<[string, unknown, string, RegExp]>([
    ['not an object', 'survey', 'form', /object/],
    ['an array', [], 'form', /object/],
    ['null', null, 'form', /object/],
    ['no questions', { elements: [] }, 'form', /no questions/],
    ['no questions (only html)', { pages: [{ elements: [{ type: 'html', name: 'h' }] }] }, 'form', /no questions/],
    ['pages and elements both', { pages: [], elements: [] }, 'form', /either pages or elements/],
    ['pages not an array', { pages: {} }, 'form.pages', /array/],
    ['elements not an array', { pages: [{ elements: 'x' }] }, 'form.pages.0.elements', /array/],
    ['an element not an object', { elements: [1] }, 'form.elements.0', /object/],
    ['unsupported type', { pages: [{ elements: [{ type: 'boolean', name: 'a' }, { type: 'matrix', name: 'm' }] }] }, 'form.pages.0.elements.1.type', /'matrix'.*radiogroup, checkbox, dropdown, boolean, rating, text, comment/],
    ['missing type', one({}), 'form.elements.0.type', /missing/],
    ['missing name', { elements: [{ type: 'text' }] }, 'form.elements.0.name', /required/],
    ['invalid name (starts with digit)', { elements: [{ type: 'text', name: '1q' }] }, 'form.elements.0.name', /letter/],
    ['invalid name (contains |)', { elements: [{ type: 'text', name: 'a|b' }] }, 'form.elements.0.name', /letter/],
    ['invalid name (65 characters)', { elements: [{ type: 'text', name: `a${'b'.repeat(64)}` }] }, 'form.elements.0.name', /64/],
    ['reserved name', { elements: [{ type: 'text', name: 'constructor' }] }, 'form.elements.0.name', /reserved/],
    ['duplicate name', { pages: [{ elements: [{ type: 'text', name: 'a' }] }, { elements: [{ type: 'panel', elements: [{ type: 'text', name: 'a' }] }] }] }, 'form.pages.1.elements.0.elements.0.name', /duplicate.*'a'/],
    ['duplicate name differing in case', { elements: [{ type: 'text', name: 'abc' }, { type: 'text', name: 'ABC' }] }, 'form.elements.1.name', /duplicate/],
    ['more than 100 questions', tooMany, 'form', /101 questions/],
    ['choice question without choices', { pages: [{ elements: [{ type: 'text', name: 'a' }, { type: 'text', name: 'b' }, { type: 'radiogroup', name: 'c' }] }] }, 'form.pages.0.elements.2.choices', /at least one choice/],
    ['empty choices', one({ type: 'checkbox', choices: [] }), 'form.elements.0.choices', /at least one choice/],
    ['duplicate choice values', one({ type: 'dropdown', choices: ['a', { value: 'a', text: 'A' }] }), 'form.elements.0.choices.1', /duplicate/],
    ['duplicate choice values (number vs string)', one({ type: 'radiogroup', choices: [1, '1'] }), 'form.elements.0.choices.1', /duplicate/],
    ['choice value longer than 100', one({ type: 'radiogroup', choices: ['ok', 'x'.repeat(101)] }), 'form.elements.0.choices.1', /100/],
    ["choice value containing '|'", one({ type: 'checkbox', choices: ['a|b'] }), 'form.elements.0.choices.0', /'\|'/],
    ['empty choice value', one({ type: 'checkbox', choices: [''] }), 'form.elements.0.choices.0', /empty/],
    ['boolean choice value', one({ type: 'checkbox', choices: [{ value: true }] }), 'form.elements.0.choices.0', /string or a number/],
    ['bad choice text', one({ type: 'checkbox', choices: [{ value: 'a', text: 5 }] }), 'form.elements.0.choices.0.text', /string/],
    ['"other" item', one({ type: 'radiogroup', choices: ['a'], showOtherItem: true }), 'form.elements.0.showOtherItem', /other/],
    ['valueName', one({ type: 'text', valueName: 'x' }), 'form.elements.0.valueName', /valueName/],
    ['custom boolean values', one({ type: 'boolean', valueTrue: 'yes' }), 'form.elements.0.valueTrue', /boolean/],
    ['numeric text input', one({ type: 'text', inputType: 'number' }), 'form.elements.0.inputType', /inputType/],
    ['isRequired not a boolean', one({ type: 'text', isRequired: 'yes' }), 'form.elements.0.isRequired', /boolean/],
    ['title not a string', one({ type: 'text', title: 5 }), 'form.elements.0.title', /title/],
    ['rating min ≥ max', one({ type: 'rating', rateMin: 5, rateMax: 5 }), 'form.elements.0.rateMax', /greater than rateMin/],
    ['rating min > max', one({ type: 'rating', rateMin: 6, rateMax: 2 }), 'form.elements.0.rateMax', /greater than rateMin/],
    ['rating not integer', one({ type: 'rating', rateMin: 0.5, rateMax: 4 }), 'form.elements.0.rateMin', /integer/],
    ['rating more than 11 steps', one({ type: 'rating', rateMin: 0, rateMax: 11 }), 'form.elements.0.rateMax', /more than 11 steps/],
    ['rating rateCount too large', one({ type: 'rating', rateCount: 12 }), 'form.elements.0.rateCount', /between 2 and 11/],
    ['rating rateValues not integers', one({ type: 'rating', rateValues: [1, 'good'] }), 'form.elements.0.rateValues.1', /integers/],
    ['rating rateValues duplicate', one({ type: 'rating', rateValues: [1, 1, 2] }), 'form.elements.0.rateValues', /distinct/],
    ['rating rateValues one step', one({ type: 'rating', rateValues: [3] }), 'form.elements.0.rateValues', /at least 2/],
    ['rating rateValues 12 steps', one({ type: 'rating', rateValues: Array.from({ length: 12 }, (_, i) => i) }), 'form.elements.0.rateValues', /at most 11/],
    ['visibleIf references an unknown question', one({ type: 'boolean' }, { type: 'text', name: 't', visibleIf: '{nope} = true' }), 'form.elements.1.visibleIf', /unknown question 'nope'/],
    ['visibleIf references a question in another case', one({ type: 'boolean' }, { type: 'text', name: 't', visibleIf: '{Q} = true' }), 'form.elements.1.visibleIf', /unknown question 'Q'/],
    ['visibleIf references itself', one({ type: 'text', visibleIf: '{q} notempty' }), 'form.elements.0.visibleIf', /itself/],
    ['visibleIf that does not parse', one({ type: 'boolean' }, { type: 'text', name: 't', visibleIf: '{q} = ' }), 'form.elements.1.visibleIf', /cannot parse/],
    ['visibleIf with ===', one({ type: 'boolean' }, { type: 'text', name: 't', visibleIf: '{q} === true' }), 'form.elements.1.visibleIf', /cannot parse/],
    ['visibleIf with an unknown function', one({ type: 'boolean' }, { type: 'text', name: 't', visibleIf: 'hack({q})' }), 'form.elements.1.visibleIf', /unknown function 'hack'/],
    ['visibleIf with a constant result', one({ type: 'boolean' }, { type: 'text', name: 't', visibleIf: '{q} = true or 1 = 1' }), 'form.elements.1.visibleIf', /known in advance/],
    ['visibleIf not a string', one({ type: 'boolean' }, { type: 'text', name: 't', visibleIf: true }), 'form.elements.1.visibleIf', /string/],
    ['panel visibleIf unknown reference', { elements: [{ type: 'panel', visibleIf: '{x} = 1', elements: [{ type: 'text', name: 'a' }] }] }, 'form.elements.0.visibleIf', /unknown question 'x'/],
    ['page visibleIf unparsable', { pages: [{ elements: [{ type: 'text', name: 'a' }] }, { visibleIf: '{a} =', elements: [{ type: 'text', name: 'b' }] }] }, 'form.pages.1.visibleIf', /cannot parse/],
    ['requiredIf unknown reference', one({ type: 'text', requiredIf: '{x} = 1' }), 'form.elements.0.requiredIf', /unknown question 'x'/],
  ])('rejects %s', (_label, form, field, message) => {
    const r = parseForm(form);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const found = r.issues.find((i) => i.field === field);
    expect({ field, found: found !== undefined, all: r.issues }).toMatchObject({ found: true });
    expect(found!.message).toMatch(message);
    expect(found!.in).toBe('body');
  });

  it('reports every issue, not only the first', () => {
    const r = parseForm({ elements: [{ type: 'matrix', name: 'm' }, { type: 'radiogroup', name: 'r' }, { type: 'text', name: '9' }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.field).sort()).toEqual(['form.elements.0.type', 'form.elements.1.choices', 'form.elements.2.name']);
  });
});

describe('validateAnswers', () => {
  const form = homeworkSurvey as Json;
  const questions = mustParse(form);
  const valid = { homeworkMinutes: '30to60', parentsAskedToGrade: false, afterSchoolService: true, satisfaction: 4 };

  it('accepts a complete answer set', () => {
    expect(validateAnswers(form, questions, valid)).toEqual([]);
  });

  it('accepts the conditional comment when it is shown, and skipping it', () => {
    expect(validateAnswers(form, questions, { ...valid, satisfaction: 2, comments: '作业太多，孩子睡得太晚。' })).toEqual([]);
    expect(validateAnswers(form, questions, { ...valid, satisfaction: 1 })).toEqual([]);
  });

  it('treats null and blank text as not answered', () => {
    expect(validateAnswers(form, questions, { ...valid, comments: null })).toEqual([]);
    expect(validateAnswers(form, questions, { ...valid, comments: '   ' })).toEqual([]);
  });

  it.each<[string, unknown, string[], RegExp?]>([
    ['answers not an object', 'x', ['answers'], /object/],
    ['answers an array', [], ['answers'], /object/],
    ['unknown question', { ...valid, favouriteTeacher: 'x' }, ['answers.favouriteTeacher'], /unknown question 'favouriteTeacher'/],
    ['prototype key as unknown question', JSON.parse('{"homeworkMinutes":"lt30","parentsAskedToGrade":false,"afterSchoolService":true,"satisfaction":4,"__proto__":1}'), ['answers.__proto__'], /unknown/],
    ['missing required', { ...valid, homeworkMinutes: undefined }, ['answers.homeworkMinutes'], /'homeworkMinutes' is required/],
    ['empty string on a required choice', { ...valid, homeworkMinutes: '' }, ['answers.homeworkMinutes'], /required/],
    ['all required missing', {}, ['answers.homeworkMinutes', 'answers.parentsAskedToGrade', 'answers.afterSchoolService', 'answers.satisfaction'], /required/],
    ['invisible but answered', { ...valid, satisfaction: 5, comments: '很好' }, ['answers.comments'], /not asked given the other answers/],
    ['out of choices', { ...valid, homeworkMinutes: '2h' }, ['answers.homeworkMinutes'], /not one of the choices/],
    ['choice given as object', { ...valid, homeworkMinutes: { value: 'lt30' } }, ['answers.homeworkMinutes'], /choice value/],
    ['out of range', { ...valid, satisfaction: 6 }, ['answers.satisfaction'], /outside the rating range/],
    ['rating zero', { ...valid, satisfaction: 0 }, ['answers.satisfaction'], /outside/],
    ['rating not an integer', { ...valid, satisfaction: 3.5 }, ['answers.satisfaction'], /integer/],
    ['rating as string', { ...valid, satisfaction: '4' }, ['answers.satisfaction'], /integer/],
    ['boolean as string', { ...valid, afterSchoolService: 'true' }, ['answers.afterSchoolService'], /true or false/],
    ['boolean as number', { ...valid, parentsAskedToGrade: 1 }, ['answers.parentsAskedToGrade'], /true or false/],
    ['comment not a string', { ...valid, satisfaction: 1, comments: 42 }, ['answers.comments'], /text/],
    ['comment too long', { ...valid, satisfaction: 1, comments: '长'.repeat(1001) }, ['answers.comments'], /longer than 1000/],
  ])('rejects %s', (_label, answers, expected, message) => {
    const issues = validateAnswers(form, questions, answers);
    expect(issues.map((i) => i.field)).toEqual(expected);
    if (message) expect(issues[0].message).toMatch(message);
    issues.forEach((i) => expect(i.in).toBe('body'));
  });

  describe('checkbox, dropdown, numeric choices and text', () => {
    const f = {
      elements: [
        { type: 'checkbox', name: 'worries', choices: ['sleep', 'eyes', 'stress'], maxSelectedChoices: 2 },
        { type: 'dropdown', name: 'grade', choices: [1, 2, 3, 4, 5, 6], isRequired: true },
        { type: 'text', name: 'other', visibleIf: "{worries} contains 'stress'" },
        { type: 'text', name: 'phone', inputType: 'tel' },
        { type: 'rating', name: 'r', rateValues: [1, 3, 5] },
      ],
    };
    const qs = mustParse(f);
    const check = (answers: Json) => validateAnswers(f, qs, answers);

    it('accepts valid values; numeric choices compare as strings', () => {
      expect(check({ worries: ['sleep', 'stress'], grade: 3, other: '近视', r: 3 })).toEqual([]);
      expect(check({ grade: '3' })).toEqual([]);
    });
    it.each<[string, Json, RegExp]>([
      ['checkbox not an array', { grade: 1, worries: 'sleep' }, /array/],
      ['checkbox empty array', { grade: 1, worries: [] }, /at least one/],
      ['checkbox duplicate choice', { grade: 1, worries: ['sleep', 'sleep'] }, /selected twice/],
      ['checkbox value outside choices', { grade: 1, worries: ['sleep', 'games'] }, /'games' is not one of the choices/],
      ['checkbox more than maxSelectedChoices', { grade: 1, worries: ['sleep', 'eyes', 'stress'] }, /at most 2/],
    ])('rejects %s', (_label, answers, message) => {
      const issues = check(answers);
      expect(issues.map((i) => i.field)).toEqual(['answers.worries']);
      expect(issues[0].message).toMatch(message);
    });
    it('rejects dropdown values outside the choices and wrong types', () => {
      expect(check({ grade: 7 }).map((i) => i.field)).toEqual(['answers.grade']);
      expect(check({ grade: true }).map((i) => i.field)).toEqual(['answers.grade']);
    });
    it('rejects a rating that is not one of rateValues', () => {
      expect(check({ grade: 1, r: 2 }).map((i) => i.message)).toEqual([expect.stringMatching(/1, 3, 5/)]);
    });
    it('rejects text on a conditional question not shown, and text over 2000 characters', () => {
      expect(check({ grade: 1, worries: ['sleep'], other: 'x' }).map((i) => i.field)).toEqual(['answers.other']);
      expect(check({ grade: 1, phone: 'x'.repeat(2001) }).map((i) => i.message)).toEqual([expect.stringMatching(/2000/)]);
      expect(check({ grade: 1, phone: 'x'.repeat(2000) })).toEqual([]);
    });
  });

  it('applies panel visibility and requiredIf', () => {
    const f = {
      elements: [
        { type: 'boolean', name: 'hasTutor', isRequired: true },
        { type: 'panel', name: 'tutor', visibleIf: '{hasTutor} = true', elements: [{ type: 'text', name: 'subject', requiredIf: '{hasTutor} = true' }] },
      ],
    };
    const qs = mustParse(f);
    expect(validateAnswers(f, qs, { hasTutor: true }).map((i) => i.field)).toEqual(['answers.subject']);
    expect(validateAnswers(f, qs, { hasTutor: true, subject: '数学' })).toEqual([]);
    expect(validateAnswers(f, qs, { hasTutor: false })).toEqual([]);
    expect(validateAnswers(f, qs, { hasTutor: false, subject: '数学' }).map((i) => i.message)).toEqual([expect.stringMatching(/not asked/)]);
  });
});

describe('counters and results', () => {
  const questions = mustParse(homeworkSurvey);

  it('increments choice, boolean, rating and answered counters; free text only answered', () => {
    expect(
      counterIncrements(questions, { homeworkMinutes: 'gt90', parentsAskedToGrade: true, afterSchoolService: false, satisfaction: 2, comments: '太多' }),
    ).toEqual({
      'n|homeworkMinutes': 1,
      'c|homeworkMinutes|gt90': 1,
      'n|parentsAskedToGrade': 1,
      'c|parentsAskedToGrade|true': 1,
      'n|afterSchoolService': 1,
      'c|afterSchoolService|false': 1,
      'n|satisfaction': 1,
      'c|satisfaction|2': 1,
      's|satisfaction': 2,
      'n|comments': 1,
    });
  });

  it('counts each chosen checkbox choice; skips unanswered questions', () => {
    const qs = mustParse({ elements: [{ type: 'checkbox', name: 'w', choices: ['a', 'b', 1] }, { type: 'text', name: 't' }] });
    expect(counterIncrements(qs, { w: ['a', 1], t: '' })).toEqual({ 'n|w': 1, 'c|w|a': 1, 'c|w|1': 1 });
  });

  it('merges counters by addition', () => {
    expect(mergeCounters({ a: 1, b: 2 }, { b: 3, c: 4 })).toEqual({ a: 1, b: 5, c: 4 });
    expect(mergeCounters({}, { constructor: 2 })).toEqual({ constructor: 2 });
  });

  it('reports every choice and step with zeros, in definition order, mean and trueRate', () => {
    const counters = [
      { homeworkMinutes: 'lt30', parentsAskedToGrade: false, afterSchoolService: true, satisfaction: 5 },
      { homeworkMinutes: 'lt30', parentsAskedToGrade: false, afterSchoolService: true, satisfaction: 4 },
      { homeworkMinutes: 'gt90', parentsAskedToGrade: true, afterSchoolService: false, satisfaction: 2, comments: '作业多' },
    ]
      .map((a) => counterIncrements(questions, a))
      .reduce(mergeCounters, {});
    const r = resultsFromCounters(questions, counters);
    expect(Object.keys(r)).toEqual(['homeworkMinutes', 'parentsAskedToGrade', 'afterSchoolService', 'satisfaction', 'comments']);
    expect(r.homeworkMinutes).toEqual({ type: 'radiogroup', title: '孩子每天完成书面作业的平均时间是多少？', answered: 3, counts: { lt30: 2, '30to60': 0, '60to90': 0, gt90: 1 } });
    expect(Object.keys(r.homeworkMinutes.counts!)).toEqual(['lt30', '30to60', '60to90', 'gt90']);
    expect(r.afterSchoolService).toMatchObject({ answered: 3, counts: { true: 2, false: 1 }, trueRate: 0.6667 });
    expect(r.satisfaction).toMatchObject({ answered: 3, mean: 3.67, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } });
    expect(r.comments).toEqual({ type: 'comment', title: '请告诉我们您不满意的原因或改进建议', answered: 1 });
  });

  it('reports empty results with null mean and trueRate', () => {
    const r = resultsFromCounters(questions, {});
    expect(r.satisfaction).toMatchObject({ answered: 0, mean: null, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } });
    expect(r.afterSchoolService).toMatchObject({ answered: 0, trueRate: null, counts: { true: 0, false: 0 } });
  });
});

describe('property: merged counters equal a direct recount', () => {
  /** mulberry32: small seeded PRNG so the run is reproducible. */
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const form = {
    pages: [
      {
        elements: [
          { type: 'radiogroup', name: 'minutes', choices: ['lt30', '30to60', '60to90', 'gt90'], isRequired: true },
          { type: 'dropdown', name: 'grade', choices: [1, 2, 3, 4, 5, 6] },
          { type: 'checkbox', name: 'worries', choices: ['sleep', { value: 'eyes', text: { default: '视力' } }, 'stress', 'sports'] },
          { type: 'boolean', name: 'service', isRequired: true },
        ],
      },
      {
        elements: [
          { type: 'rating', name: 'satisfaction', rateMin: 1, rateMax: 5, isRequired: true },
          { type: 'rating', name: 'nps', rateMin: 0, rateMax: 10 },
          { type: 'text', name: 'school' },
          { type: 'comment', name: 'why', visibleIf: '{satisfaction} <= 2', isRequired: true },
        ],
      },
    ],
  };
  const questions = mustParse(form);

  function randomAnswers(rnd: () => number): Json {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const maybe = (p: number) => rnd() < p;
    const a: Json = { minutes: pick(['lt30', '30to60', '60to90', 'gt90']), service: maybe(0.9), satisfaction: 1 + Math.floor(rnd() * 5) };
    if (maybe(0.7)) a.grade = maybe(0.5) ? pick([1, 2, 3, 4, 5, 6]) : String(pick([1, 2, 3, 4, 5, 6]));
    if (maybe(0.6)) {
      const w = ['sleep', 'eyes', 'stress', 'sports'].filter(() => maybe(0.5));
      if (w.length > 0) a.worries = w;
    }
    if (maybe(0.5)) a.nps = Math.floor(rnd() * 11);
    if (maybe(0.3)) a.school = pick(['实验小学', '第一中学', '']);
    if ((a.satisfaction as number) <= 2) a.why = pick(['作业太多', '课后服务质量一般', '睡眠不足']);
    return a;
  }

  function recount(sets: Json[]) {
    const out: Record<string, unknown> = {};
    const answered = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
    for (const q of questions) {
      const vals = sets.map((s) => s[q.name]).filter(answered);
      const r: Record<string, unknown> = { type: q.type, title: q.title, answered: vals.length };
      if (q.choices) {
        r.counts = Object.fromEntries(q.choices.map((c) => [c, vals.filter((v) => (Array.isArray(v) ? v.map(String).includes(c) : String(v) === c)).length]));
      } else if (q.type === 'boolean') {
        const t = vals.filter((v) => v === true).length;
        r.counts = { true: t, false: vals.length - t };
        r.trueRate = vals.length ? Math.round((t / vals.length) * 10000) / 10000 : null;
      } else if (q.type === 'rating') {
        r.distribution = Object.fromEntries(q.rateValues!.map((s) => [String(s), vals.filter((v) => v === s).length]));
        const sum = (vals as number[]).reduce((x, y) => x + y, 0);
        r.mean = vals.length ? Math.round((sum / vals.length) * 100) / 100 : null;
      }
      out[q.name] = r;
    }
    return out;
  }

  it('holds for 500 random valid answer sets spread over 7 classes', () => {
    const rnd = prng(20210724);
    const sets = Array.from({ length: 500 }, () => randomAnswers(rnd));
    const perClass: Counters[] = Array.from({ length: 7 }, () => ({}));
    sets.forEach((a, i) => {
      expect(validateAnswers(form, questions, a)).toEqual([]);
      const c = i % 7;
      perClass[c] = mergeCounters(perClass[c], counterIncrements(questions, a));
    });
    const total = perClass.reduce(mergeCounters, {});
    expect(resultsFromCounters(questions, total)).toEqual(recount(sets));
    // Merging is order-independent (school → district in any grouping).
    expect(resultsFromCounters(questions, [...perClass].reverse().reduce(mergeCounters, {}))).toEqual(recount(sets));
    // The run exercised the conditional question both ways.
    expect(sets.some((s) => s.why !== undefined)).toBe(true);
    expect(sets.some((s) => s.why === undefined)).toBe(true);
  });
});
