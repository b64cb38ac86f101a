import type { Node } from 'constructs';

/** The deploy-time switches of the app, read from CDK context (`-c key=value` or cdk.json). */
export interface PlatformConfig {
  stage: string;
  /** Default true: tables, keys, user pool and logs are protected and retained. */
  deletionProtection: boolean;
  /** The web front end's origin for CORS; unset means any origin (see PlatformHttpApi). */
  webOrigin?: string;
  /** The Cognito prefix domain of the hosted sign-in UI: https://<prefix>.auth.<region>.amazoncognito.com. */
  authDomainPrefix: string;
  /** The ARN of the EdgeFirewall stack's web ACL (output WebAclArn), attached to the CloudFront distribution. */
  webAclArn?: string;
}

/** `-c deletionProtection=false` arrives as the string "false", cdk.json as a boolean: accept both. */
function readBoolean(node: Node, key: string, fallback: boolean): boolean {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

function readString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context ${key} must be a string`);
  return value;
}

/** Cognito prefix domains: lower-case letters, digits and dashes, 1–63, no leading/trailing dash, no "aws", "amazon" or "cognito". */
function readAuthDomainPrefix(node: Node, stage: string): string {
  const prefix = readString(node, 'authDomainPrefix') ?? `double-reduction-${stage}`;
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
    throw new Error(`Context authDomainPrefix must be lower-case letters, digits and dashes without aws, amazon or cognito, got ${prefix}`);
  }
  return prefix;
}

function readWebAclArn(node: Node): string | undefined {
  const arn = readString(node, 'webAclArn');
  if (arn && !/^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(arn)) {
    throw new Error(`Context webAclArn must be the ARN of a CLOUDFRONT-scoped web ACL in us-east-1, got ${arn}`);
  }
  return arn;
}

export function readPlatformConfig(node: Node): PlatformConfig {
  const stage = readString(node, 'stage') ?? 'prod';
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(stage)) {
    throw new Error(`Context stage must be lower-case letters, digits and dashes, got ${stage}`);
  }
  return {
    stage,
    deletionProtection: readBoolean(node, 'deletionProtection', true),
    webOrigin: readString(node, 'webOrigin'),
    authDomainPrefix: readAuthDomainPrefix(node, stage),
    webAclArn: readWebAclArn(node),
  };
}
