import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface WebSiteProps {
  /** The HTTP API: CloudFront routes /api/* to it, so the pages call the API on their own origin (no CORS). */
  api: apigw.HttpApi;
  deletionProtection: boolean;
  /** The built front end (npm ci builds it); without it the site deploys empty and synth warns. */
  distDir?: string;
}

/**
 * The web front end in AWS: a private S3 bucket behind CloudFront (origin access control), HTTPS only,
 * client routes answered with index.html, and /api/* passed to the HTTP API uncached.
 */
export class WebSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    const removalPolicy = props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      removalPolicy,
      autoDeleteObjects: !props.deletionProtection,
    });
    const apiDomain = `${props.api.apiId}.execute-api.${props.api.stack.region}.${props.api.stack.urlSuffix}`;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      defaultRootObject: 'index.html',
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new origins.HttpOrigin(apiDomain),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
      // Client-side routes (/track, /survey/...) are the single page's, not objects in the bucket.
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.minutes(5) })),
    });
    const dist = props.distDir ?? path.join(PROJECT_ROOT, 'web', 'dist');
    if (existsSync(path.join(dist, 'index.html'))) {
      new s3deploy.BucketDeployment(this, 'Deploy', {
        sources: [s3deploy.Source.asset(dist)],
        destinationBucket: this.bucket,
        distribution: this.distribution,
        distributionPaths: ['/index.html'],
      });
    } else {
      Annotations.of(this).addWarningV2('platform:web-not-built', `No built front end in ${dist}: run npm ci (or npm run build:web) before deploying`);
    }
  }
}
