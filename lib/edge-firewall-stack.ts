import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { clientLimits } from './spec/rate-limits';

/**
 * The WAF web ACL in front of the CloudFront distribution. CloudFront web ACLs must live in us-east-1,
 * while the platform stack stays region-agnostic, so this is a stack of its own: deploy it, then pass
 * its WebAclArn output to the platform stack (-c webAclArn=...).
 *
 * Rate rules count per viewer address at the edge, before a request costs a Lambda invocation; the
 * handlers' own limits (lib/spec/rate-limits.ts) stay as the finer, per-route second line.
 */
export class EdgeFirewallStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const startsWith = (path: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: path,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    });
    const tooMany = { customResponse: { responseCode: 429, responseHeaders: [{ name: 'retry-after', value: '60' }] } };
    const publicWrites = clientLimits.publicWrites;

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('platform-web-acl'),
      rules: [
        {
          // Anonymous writes (complaints, ratings, survey answers): per address and minute, with headroom
          // over the handlers' limit for a school or a mobile carrier NAT that puts many parents behind one address.
          name: 'PublicWritesPerAddress',
          priority: 0,
          action: { block: tooMany },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              evaluationWindowSec: 60,
              limit: publicWrites.perWindow * 5,
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: 'POST', textTransformations: [{ priority: 0, type: 'NONE' }] } },
                    { orStatement: { statements: [startsWith('/api/complaints'), startsWith('/api/surveys/')] } },
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility('public-writes-per-address'),
        },
        {
          // Everything under /api/: a generous ceiling that only a script reaches.
          name: 'ApiRequestsPerAddress',
          priority: 1,
          action: { block: tooMany },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', evaluationWindowSec: 300, limit: 3000, scopeDownStatement: startsWith('/api/') } },
          visibilityConfig: visibility('api-requests-per-address'),
        },
        {
          name: 'AmazonIpReputation',
          priority: 2,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
          visibilityConfig: visibility('ip-reputation'),
        },
        {
          name: 'KnownBadInputs',
          priority: 3,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' } },
          visibilityConfig: visibility('known-bad-inputs'),
        },
      ],
    });
    new CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn });
  }
}
