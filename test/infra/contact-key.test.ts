// The contact key in the synthesized template: rotation, retention, and which function may do what with
// it (lib/spec/functions.ts → contactCipher), down to the IAM conditions on the encryption context.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readPlatformConfig } from '../../bin/config';
import { PlatformStack } from '../../lib/platform-stack';
import { functionSpecs, type FunctionName, type FunctionSpec } from '../../lib/spec/functions';
import { contactKey } from '../../lib/spec/keys';

const cdkContext = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Principal?: unknown };

/** Grants and env vars are what is checked here, not the bundles: bundling is skipped. */
function synth(context: Record<string, unknown> = {}): { stack: PlatformStack; resources: Record<string, Resource> } {
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const config = readPlatformConfig(app.node);
  const stack = new PlatformStack(app, `DoubleReduction-${config.stage}`, config);
  return { stack, resources: Template.fromStack(stack).toJSON().Resources as Record<string, Resource> };
}

const logicalId = (stack: Stack, construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const deployed = (Object.entries(functionSpecs) as [FunctionName, FunctionSpec][]).filter(([, s]) => !s.localOnly);

describe('the contact key', () => {
  let stack: PlatformStack;
  let resources: Record<string, Resource>;
  let keyId: string;
  const keyArn = () => ({ 'Fn::GetAtt': [keyId, 'Arn'] });

  beforeAll(() => {
    ({ stack, resources } = synth());
    keyId = logicalId(stack, stack.contactKey);
  });

  /** The statements of the IAM policies attached to a function's role that name the contact key. */
  function contactKeyStatements(name: FunctionName): Statement[] {
    const roleRef = JSON.stringify({ Ref: logicalId(stack, stack.functions[name]!.role!) });
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === roleRef))
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => JSON.stringify(s.Resource).includes(`"${keyId}"`));
  }

  const envOf = (name: FunctionName): Record<string, unknown> =>
    (resources[logicalId(stack, stack.functions[name]!)].Properties.Environment as { Variables: Record<string, unknown> }).Variables;

  test('is a customer-managed symmetric key of its own, with yearly rotation, retained with the tables', () => {
    const key = resources[keyId];
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.Description).toBe(contactKey.description);
    expect(key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.UpdateReplacePolicy).toBe('Retain');
    // Not the complaints table's key: table access must not imply access to contacts.
    expect(keyId).not.toBe(logicalId(stack, stack.tables.complaints.key!));
  });

  test('its key policy names no function: every grant is an IAM policy on one role, checked below', () => {
    const statements = (resources[keyId].Properties.KeyPolicy as { Statement: Statement[] }).Statement;
    const roleIds = deployed.map(([name]) => logicalId(stack, stack.functions[name]!.role!));
    expect(roleIds.filter((id) => JSON.stringify(statements).includes(id))).toEqual([]);
  });

  test('the intake may only encrypt, and only with the contact purpose in the encryption context', () => {
    expect(contactKeyStatements('complaintSubmit')).toEqual([
      { Effect: 'Allow', Action: 'kms:Encrypt', Resource: keyArn(), Condition: { StringEquals: { 'kms:EncryptionContext:purpose': contactKey.purpose } } },
    ]);
  });

  test('the official case read may only decrypt, any contact field', () => {
    expect(contactKeyStatements('caseGet')).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn(), Condition: { StringEquals: { 'kms:EncryptionContext:purpose': contactKey.purpose } } },
    ]);
  });

  test('the SMS sender may only decrypt phone fields, never a name', () => {
    expect(contactKeyStatements('sendSms')).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: keyArn(),
        Condition: { StringEquals: { 'kms:EncryptionContext:purpose': contactKey.purpose, 'kms:EncryptionContext:field': 'phone' } },
      },
    ]);
  });

  test('exactly those three functions declare contactCipher', () => {
    expect(Object.fromEntries(deployed.filter(([, s]) => s.contactCipher).map(([name, s]) => [name, s.contactCipher]))).toEqual({
      complaintSubmit: 'encrypt',
      caseGet: 'decrypt',
      sendSms: 'decryptPhone',
    });
  });

  test.each(deployed.map(([name, spec]) => [name, spec] as const))('%s gets the key id and a grant on the key exactly when its spec declares contactCipher', (name, spec) => {
    if (spec.contactCipher) {
      expect(envOf(name)[contactKey.envVar]).toEqual(keyArn());
      expect(contactKeyStatements(name)).toHaveLength(1);
    } else {
      expect(envOf(name)[contactKey.envVar]).toBeUndefined();
      expect(contactKeyStatements(name)).toEqual([]);
    }
  });

  test('no other role or policy in the stack mentions the key', () => {
    const granted = new Set(deployed.filter(([, s]) => s.contactCipher).map(([name]) => JSON.stringify({ Ref: logicalId(stack, stack.functions[name]!.role!) })));
    const mentions = Object.entries(resources)
      .filter(([id, r]) => id !== keyId && (r.Type.startsWith('AWS::IAM::') || r.Type === 'AWS::KMS::Grant') && JSON.stringify(r.Properties).includes(`"${keyId}"`))
      .flatMap(([, r]) => asArray((r.Properties.Roles as unknown[]) ?? ['(no role)']).map((ref) => JSON.stringify(ref)));
    expect(mentions.filter((ref) => !granted.has(ref))).toEqual([]);
  });
});

describe('the contact key with deletionProtection=false', () => {
  test('is deleted with the stack, like the tables', () => {
    const { stack, resources } = synth({ deletionProtection: false });
    expect(resources[logicalId(stack, stack.contactKey)].DeletionPolicy).toBe('Delete');
  });
});
