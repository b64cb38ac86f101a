import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { AccessLogBucket } from './access-log-bucket';

export interface EvidenceBucketProps {
  /** The web front end's origin; unset allows any origin (as the HTTP API does, which warns about it). */
  webOrigin?: string;
  /** RETAIN for the bucket and its key when protected; otherwise both go with the stack, objects included. */
  deletionProtection: boolean;
  /** Server access logs: who fetched or uploaded which evidence file. */
  accessLogs: AccessLogBucket;
}

/**
 * The bucket of evidence files (photos, PDFs) linked to items, and of exports (under `exports/`, expired
 * after a day). Nothing is public: the browser reaches
 * objects only through presigned URLs issued by functions (lambdas/platform/evidence-store.ts), whose
 * signatures cover type and size.
 *
 * Encrypted with a customer-managed key, like the personal-data tables: evidence shows children, schools
 * and complainants' documents, and a key of its own makes access revocable apart from S3 permissions and
 * visible in CloudTrail. The bucket key keeps KMS requests (and their cost) per bucket, not per object.
 * The default encryption applies to every PUT, so presigned uploads need no encryption header.
 */
export class EvidenceBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EvidenceBucketProps) {
    super(scope, id);
    const removalPolicy = props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.key = new kms.Key(this, 'Key', {
      description: 'Evidence files (personal data)',
      enableKeyRotation: true,
      removalPolicy,
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      // Evidence is written once per upload URL and never edited; versions would only keep rejected files.
      versioned: false,
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Exports are generated for one download and can be generated again: nothing keeps them longer.
        { id: 'expire-exports', prefix: 'exports/', expiration: Duration.days(1) },
      ],
      cors: [
        {
          // The browser uploads and downloads directly with the presigned URLs.
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET],
          allowedOrigins: [props.webOrigin ?? '*'],
          allowedHeaders: ['content-type'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      removalPolicy,
      ...props.accessLogs.logsOf('evidence'),
      // Only for throwaway stages: a protected bucket is never emptied by a stack deletion.
      autoDeleteObjects: !props.deletionProtection,
    });
  }
}
