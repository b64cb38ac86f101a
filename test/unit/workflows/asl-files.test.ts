import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (def: unknown) => { isValid: boolean; errors: unknown[] };
import { workflows } from '../../../lib/spec/workflows';

const dir = join(__dirname, '../../../lib/workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.asl.json'));

describe('state machine definitions', () => {
  it('every ASL file is named by exactly one workflow spec', () => {
    expect(files.map((f) => `lib/workflows/${f}`).sort()).toEqual(Object.values(workflows).map((w) => w.definitionFile).sort());
  });

  it.each(files)('%s is valid ASL', (file) => {
    const result = aslValidator(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it.each(files)('%s uses JSONPath only, which the local engine runs as AWS does', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"|"Assign"\s*:|"Arguments"\s*:/);
  });

  it.each(Object.values(workflows))('every substitution in $definitionFile has a function to fill it, and nothing else is left open', (spec) => {
    const text = readFileSync(join(__dirname, '../../..', spec.definitionFile), 'utf8');
    const used = new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(spec.functionArns).sort());
  });
});
