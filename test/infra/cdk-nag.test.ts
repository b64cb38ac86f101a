import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { applyNag } from '../../lib/nag';
import { readPlatformConfig } from '../../bin/config';
import { PlatformStack } from '../../lib/platform-stack';

/** The feature flags of cdk.json, so the checks see what `cdk synth` synthesizes. */
const cdkContext = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

const AWS_SOLUTIONS = Match.stringLikeRegexp('AwsSolutions-.*');

/** One line per finding (the resource path and the rule with its message), so a failure says what to fix. */
const describeFindings = (findings: { id: string; entry: { data?: unknown } }[]): string[] =>
  findings.map((f) => `${f.id} ${String(f.entry.data).split('\n')[0]}`);

/**
 * cdk-nag's AwsSolutions pack over the whole stack: no unsuppressed finding. Every suppression is a
 * NagSuppressions.addResourceSuppressions next to the construct it concerns (lib/constructs), with its reason;
 * none is stack-wide.
 */
describe('cdk-nag AwsSolutionsChecks', () => {
  let annotations: Annotations;

  beforeAll(() => {
    // Bundling is skipped: the checks look at the resources, not at the code of the functions.
    const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
    const config = readPlatformConfig(app.node);
    const stack = new PlatformStack(app, `DoubleReduction-${config.stage}`, config);
    applyNag(app);
    annotations = Annotations.fromStack(stack);
  });

  test('the pack is active (a bare bucket is reported)', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Probe');
    new s3.Bucket(stack, 'Bare');
    applyNag(app);
    expect(describeFindings(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-S1')))).not.toEqual([]);
  });

  test('no unsuppressed errors', () => {
    expect(describeFindings(annotations.findError('*', AWS_SOLUTIONS))).toEqual([]);
  });

  test('no unsuppressed warnings', () => {
    expect(describeFindings(annotations.findWarning('*', AWS_SOLUTIONS))).toEqual([]);
  });
});

describe('the CDK app (bin/app.ts)', () => {
  test('applies the same pack, so its synth would fail on a finding: it synthesizes with none', () => {
    const out = fs.mkdtempSync(path.join(tmpdir(), 'dr-synth-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: path.join(__dirname, '..', '..'),
      encoding: 'utf8',
      // What `cdk synth` hands the app: where to write, and the context (bundling skipped: the checks look at resources).
      env: { ...process.env, CDK_OUTDIR: out, CDK_CONTEXT_JSON: JSON.stringify({ ...cdkContext, 'aws:cdk:bundling-stacks': [] }) },
      timeout: 120_000,
    });
    expect(run.status).toBe(0);
    const manifest = fs.readFileSync(path.join(out, 'manifest.json'), 'utf8');
    expect(manifest).toContain('DoubleReduction-prod');
    // A nag finding would be an aws:cdk:error entry in the assembly, which the CLI refuses to deploy.
    expect(manifest.match(/"aws:cdk:error"[^}]*/g) ?? []).toEqual([]);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.template.json')).length).toBe(2);
  }, 150_000);
});
