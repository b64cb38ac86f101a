import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
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
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    annotations = Annotations.fromStack(stack);
  });

  test('the pack is active (a bare bucket is reported)', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Probe');
    new s3.Bucket(stack, 'Bare');
    Aspects.of(app).add(new AwsSolutionsChecks());
    expect(describeFindings(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-S1')))).not.toEqual([]);
  });

  test('no unsuppressed errors', () => {
    expect(describeFindings(annotations.findError('*', AWS_SOLUTIONS))).toEqual([]);
  });

  test('no unsuppressed warnings', () => {
    expect(describeFindings(annotations.findWarning('*', AWS_SOLUTIONS))).toEqual([]);
  });
});
