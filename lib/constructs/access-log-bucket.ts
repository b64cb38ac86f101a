import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface AccessLogBucketProps {
  deletionProtection: boolean;
  /** Access logs hold client addresses: kept long enough to investigate abuse, then deleted. */
  retentionDays?: number;
}

/**
 * Where the buckets' server access logs and CloudFront's standard logs go. SSE-S3 (S3 log delivery
 * cannot write with a KMS key), ACLs enabled because CloudFront's standard logging writes with them.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays ?? 90) }],
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !props.deletionProtection,
    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      { id: 'AwsSolutions-S1', reason: 'This is the access log bucket: logging its own access would log into itself.' },
    ]);
  }

  /** Server access logs of `bucket`, under a prefix of its own. */
  logsOf(prefix: string): { serverAccessLogsBucket: s3.IBucket; serverAccessLogsPrefix: string } {
    return { serverAccessLogsBucket: this.bucket, serverAccessLogsPrefix: `${prefix}/` };
  }
}
