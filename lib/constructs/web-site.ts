import * as path from 'node:path';
import { API_SECURITY_HEADERS } from '../../lambdas/platform/security-headers';
import { existsSync } from 'node:fs';
import { Annotations, type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { OriginVerifyHeader } from './origin-verify';
import type { AccessLogBucket } from './access-log-bucket';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface WebSiteProps {
  /** The HTTP API: CloudFront routes /api/* to it, so the pages call the API on their own origin (no CORS). */
  api: apigw.HttpApi;
  /** Sent to the API with every request, so handlers can trust CloudFront-Viewer-Address. */
  originVerify: OriginVerifyHeader;
  deletionProtection: boolean;
  /** Server access logs of the bucket and CloudFront's standard logs. */
  accessLogs: AccessLogBucket;
  /** A WAF web ACL (scope CLOUDFRONT, made in us-east-1 by EdgeFirewallStack) to put in front of the distribution. */
  webAclArn?: string;
  /** The built front end (npm ci builds it); without it the site deploys empty and synth warns. */
  distDir?: string;
  /** Officials sign in through the user pool's hosted UI: the site gets its own app client and a config.json. */
  signIn: {
    userPool: cognito.IUserPool;
    domain: cognito.UserPoolDomain;
    /** The site's public origin (e.g. https://jianfu.example.gov.cn); unset: the CloudFront distribution's https URL. */
    webOrigin?: string;
    /** What the ID tokens carry besides the standard claims. */
    readAttributes: cognito.ClientAttributes;
  };
}

/** The runtime configuration the front end fetches from /config.json (absent on one machine: the user picker). */
export interface WebRuntimeConfig {
  signIn: 'cognito';
  authDomain: string;
  clientId: string;
  redirectUri: string;
}

/**
 * The web front end in AWS: a private S3 bucket behind CloudFront (origin access control), HTTPS only,
 * client routes answered with index.html, and /api/* passed to the HTTP API uncached.
 */
export class WebSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** The public app client of the pages: authorization code grant with PKCE through the hosted UI. */
  readonly client: cognito.UserPoolClient;
  /** The origin the pages are served from: the callback and sign-out URL of the client. */
  readonly origin: string;
  readonly runtimeConfig: WebRuntimeConfig;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    const removalPolicy = props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      removalPolicy,
      autoDeleteObjects: !props.deletionProtection,
      ...props.accessLogs.logsOf('web'),
    });
    const apiDomain = `${props.api.apiId}.execute-api.${props.api.stack.region}.${props.api.stack.urlSuffix}`;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      defaultRootObject: 'index.html',
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: props.accessLogs.bucket,
      logFilePrefix: 'cloudfront/',
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(apiDomain, { customHeaders: { [OriginVerifyHeader.HEADER]: props.originVerify.value } }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          // Also on answers API Gateway makes itself (the JWT authorizer's 401, a 404 of no route).
          responseHeadersPolicy: new cloudfront.ResponseHeadersPolicy(this, 'ApiHeaders', {
            comment: 'Security headers of every /api/* answer (lambdas/platform/security-headers.ts)',
            securityHeadersBehavior: {
              contentTypeOptions: { override: true },
              frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
              referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
              contentSecurityPolicy: { contentSecurityPolicy: API_SECURITY_HEADERS['content-security-policy'], override: true },
              strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
            },
          }),
        },
      },
      // Client-side routes (/track, /survey/...) are the single page's, not objects in the bucket.
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.minutes(5) })),
    });
    // cdk-nag (test/infra/cdk-nag.test.ts).
    NagSuppressions.addResourceSuppressions(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'No geo restriction: the public forms must be reachable by every parent, wherever they connect from; there is no legal requirement to block countries.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'No custom domain yet: the default *.cloudfront.net certificate accepts TLSv1 whatever the policy; minimumProtocolVersion is already TLS_V1_2_2021 and applies once a domain and ACM certificate are set.',
      },
    ]);
    if (!props.webAclArn) {
      Annotations.of(this).addWarningV2(
        'platform:no-web-acl',
        'No webAclArn context: the distribution has no WAF. Deploy the EdgeFirewall stack (us-east-1) and pass its WebAclArn output with -c webAclArn=... (README, Deploying).',
      );
      NagSuppressions.addResourceSuppressions(this.distribution, [
        {
          id: 'AwsSolutions-CFR2',
          reason: 'CloudFront web ACLs live in us-east-1 and this stack is region-agnostic: the web ACL comes from the EdgeFirewall stack and is attached with -c webAclArn (synth warns while it is missing).',
        },
      ]);
    }
    // Here rather than beside the user pool: the callback URL needs the distribution, which needs the API.
    this.origin = props.signIn.webOrigin ?? `https://${this.distribution.distributionDomainName}`;
    this.client = props.signIn.userPool.addClient('WebSignInClient', {
      // A public client (no secret, code in the browser): PKCE protects the code exchange.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [this.origin],
        logoutUrls: [this.origin],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: props.signIn.readAttributes,
      // Never the custom attributes: an official must not be able to change their own role or scope.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
    this.runtimeConfig = {
      signIn: 'cognito',
      authDomain: props.signIn.domain.baseUrl(),
      clientId: this.client.userPoolClientId,
      redirectUri: this.origin,
    };

    const dist = props.distDir ?? path.join(PROJECT_ROOT, 'web', 'dist');
    if (existsSync(path.join(dist, 'index.html'))) {
      new s3deploy.BucketDeployment(this, 'Deploy', {
        sources: [s3deploy.Source.asset(dist), s3deploy.Source.jsonData('config.json', this.runtimeConfig)],
        destinationBucket: this.bucket,
        distribution: this.distribution,
        distributionPaths: ['/index.html', '/config.json'],
      });
      // cdk-nag: the deployment's handler is CDK's singleton function at stack level, not ours to configure.
      const handler = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
      if (!handler) throw new Error('WebSite: cannot find the BucketDeployment handler');
      NagSuppressions.addResourceSuppressions(
        handler,
        [
          { id: 'AwsSolutions-L1', reason: 'The runtime of the BucketDeployment handler is chosen by aws-cdk-lib, not by this project.' },
          {
            id: 'AwsSolutions-IAM4',
            reason: 'CDK\'s BucketDeployment handler writes its CloudWatch logs with AWSLambdaBasicExecutionRole.',
            appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
          },
          {
            id: 'AwsSolutions-IAM5',
            reason: 'CDK\'s BucketDeployment grants: read of the CDK asset bucket, read/write/delete of the site bucket\'s objects (it syncs the whole site), and CloudFront invalidation (no resource-level permissions, "*").',
            appliesTo: [
              'Resource::*',
              { regex: '/^Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\\*$/' },
              { regex: '/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-<AWS::Region>\\/\\*$/' },
              `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*`,
            ],
          },
        ],
        true,
      );
    } else {
      Annotations.of(this).addWarningV2('platform:web-not-built', `No built front end in ${dist}: run npm ci (or npm run build:web) before deploying`);
    }
  }
}
