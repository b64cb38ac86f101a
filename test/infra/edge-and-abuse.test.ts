import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readPlatformConfig } from '../../bin/config';
import { EdgeFirewallStack } from '../../lib/edge-firewall-stack';
import { PlatformStack } from '../../lib/platform-stack';
import { functionSpecs } from '../../lib/spec/functions';
import { clientLimits } from '../../lib/spec/rate-limits';
import { cloudRoutes } from '../../lib/spec/routes';

const cdkContext = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/platform-web-acl/0a1b2c3d-4e5f-6789-abcd-ef0123456789';

function synth(context: Record<string, unknown> = {}) {
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const config = readPlatformConfig(app.node);
  const stack = new PlatformStack(app, `DoubleReduction-${config.stage}`, config);
  return { stack, template: Template.fromStack(stack) };
}

type Fn = { Type: string; Properties: { Environment?: { Variables?: Record<string, unknown> }; Handler?: string } };

describe('abuse limits in the cloud template', () => {
  const { stack, template } = synth();
  const functions = Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Fn>);

  it('keeps the rate-limit counters in a table of their own that expires them by TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('lets exactly the functions that count limits believe the viewer address, through the distribution secret', () => {
    const limited = Object.entries(functionSpecs).filter(([, s]) => s.tables.limits && !s.localOnly).map(([n]) => n);
    expect(limited.sort()).toEqual(['complaintRate', 'complaintSubmit', 'complaintTrack', 'surveyRespond']);
    const withSecret = functions.filter(([, f]) => f.Properties.Environment?.Variables?.ORIGIN_VERIFY_SECRET !== undefined);
    expect(withSecret).toHaveLength(limited.length);
    for (const [, f] of withSecret) {
      // A deploy-time dynamic reference to Secrets Manager, never the value in the template.
      expect(JSON.stringify(f.Properties.Environment?.Variables?.ORIGIN_VERIFY_SECRET)).toContain('{{resolve:secretsmanager:');
    }
  });

  it('has CloudFront send the secret header to the API origin only', () => {
    const dist = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as { Properties: { DistributionConfig: { Origins: Array<{ Id: string; CustomOriginConfig?: unknown; OriginCustomHeaders?: Array<{ HeaderName: string }> }> } } };
    const origins = dist.Properties.DistributionConfig.Origins;
    const api = origins.filter((o) => o.CustomOriginConfig);
    const bucket = origins.filter((o) => !o.CustomOriginConfig);
    expect(api).toHaveLength(1);
    expect(api[0].OriginCustomHeaders?.map((h) => h.HeaderName)).toEqual(['x-origin-verify']);
    expect(bucket.every((o) => !o.OriginCustomHeaders)).toBe(true);
  });

  it('adds the API security headers to every /api/* answer at CloudFront, also those API Gateway makes itself', () => {
    const dist = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as { Properties: { DistributionConfig: { CacheBehaviors: Array<{ PathPattern: string; ResponseHeadersPolicyId?: { Ref: string } }> } } };
    const api = dist.Properties.DistributionConfig.CacheBehaviors.find((b) => b.PathPattern === '/api/*');
    const policy = template.toJSON().Resources[api?.ResponseHeadersPolicyId?.Ref ?? ''] as { Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Record<string, Record<string, unknown>> } } };
    expect(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
      ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'" },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000 },
    });
  });

  it('lists 429 among the answers of every public write route', () => {
    const publicWrites = cloudRoutes.filter((r) => r.auth === 'public' && r.method !== 'GET');
    expect(publicWrites.length).toBeGreaterThanOrEqual(3);
    for (const r of publicWrites) expect(`${r.method} ${r.path} ${r.errors.includes(429)}`).toBe(`${r.method} ${r.path} true`);
  });

  it('throttles the API stage as a whole', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 } });
  });

  it('logs CloudFront requests and the buckets\' access into an access-log bucket that forgets after 90 days', () => {
    const logBucket = Object.entries(template.findResources('AWS::S3::Bucket')).find(([, b]) =>
      JSON.stringify((b as { Properties?: unknown }).Properties).includes('"ExpirationInDays":90'),
    );
    expect(logBucket).toBeDefined();
    const [logBucketId] = logBucket!;
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Logging: { Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' } }),
    });
    const logged = Object.values(template.findResources('AWS::S3::Bucket')).filter((b) => JSON.stringify(b).includes(`"DestinationBucketName":{"Ref":"${logBucketId}"}`));
    expect(logged.length).toBe(2); // the evidence bucket and the web bucket
  });

  it('warns at synth while no web ACL is attached, and attaches the one given as context', () => {
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('No webAclArn context'));
    const attached = synth({ webAclArn: WEB_ACL });
    attached.template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ WebACLId: WEB_ACL }) });
  });

  it('refuses a webAclArn that is not a CloudFront web ACL in us-east-1', () => {
    expect(() => synth({ webAclArn: 'arn:aws:wafv2:cn-north-1:123456789012:regional/webacl/x/y' })).toThrow(/us-east-1/);
  });
});

describe('EdgeFirewallStack', () => {
  const app = new App({ context: cdkContext });
  const edge = new EdgeFirewallStack(app, 'Edge', { env: { region: 'us-east-1', account: '123456789012' } });
  Aspects.of(app).add(new AwsSolutionsChecks());
  const template = Template.fromStack(edge);

  it('rate-limits anonymous POSTs per address and minute at the edge, answering 429', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'PublicWritesPerAddress',
          Action: { Block: { CustomResponse: { ResponseCode: 429, ResponseHeaders: [{ Name: 'retry-after', Value: '60' }] } } },
          Statement: {
            RateBasedStatement: Match.objectLike({
              AggregateKeyType: 'IP',
              EvaluationWindowSec: 60,
              Limit: clientLimits.publicWrites.perWindow * 5,
              ScopeDownStatement: Match.objectLike({ AndStatement: Match.anyValue() }),
            }),
          },
        }),
      ]),
    });
  });

  it('blocks known bad inputs and addresses with a bad reputation', () => {
    const rules = (Object.values(template.findResources('AWS::WAFv2::WebACL'))[0] as { Properties: { Rules: Array<{ Statement: { ManagedRuleGroupStatement?: { Name: string } } }> } }).Properties.Rules;
    expect(rules.map((r) => r.Statement.ManagedRuleGroupStatement?.Name).filter(Boolean)).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet']);
  });

  it('passes cdk-nag AwsSolutionsChecks without findings', () => {
    const findings = [...Annotations.fromStack(edge).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')), ...Annotations.fromStack(edge).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))];
    expect(findings.map((f) => f.id)).toEqual([]);
  });
});
