import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableSpec } from '../spec/tables';

export interface PlatformTableProps {
  spec: TableSpec;
  /** Deletion protection on the table (and RETAIN for it and its key); off only for throwaway stages. */
  deletionProtection: boolean;
}

/**
 * One DynamoDB table from its spec, with the platform's defaults.
 *
 * `Table` (AWS::DynamoDB::Table) rather than `TableV2`: TableV2 with a customer-managed key cannot be
 * synthesized in an environment-agnostic stack (its replica SSE needs a concrete region), and the
 * personal data here stays in one region anyway, so TableV2's main gain (adding replicas in place) is moot.
 */
export class PlatformTable extends Construct {
  readonly spec: TableSpec;
  readonly table: dynamodb.Table;
  /** Set only for personal-data tables. */
  readonly key?: kms.Key;

  constructor(scope: Construct, id: string, props: PlatformTableProps) {
    super(scope, id);
    const { spec, deletionProtection } = props;
    this.spec = spec;
    const removalPolicy = deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // Personal data gets its own rotated key: access to it is then auditable in CloudTrail and revocable
    // independently of DynamoDB permissions. Other tables use the AWS-managed key (no key cost).
    if (spec.personalData) {
      this.key = new kms.Key(this, 'Key', {
        description: `DynamoDB table ${spec.name} (personal data)`,
        enableKeyRotation: true,
        removalPolicy,
      });
    }

    const attr = (name: string, numberKeys: string[] = []): dynamodb.Attribute => ({
      name,
      type: numberKeys.includes(name) ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING,
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attr(spec.partitionKey),
      sortKey: spec.sortKey ? attr(spec.sortKey) : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(this.key
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: this.key }
        : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
      deletionProtection,
      removalPolicy,
      timeToLiveAttribute: spec.ttlAttribute,
      // New images only: consumers act on what was written, and old images would put more personal data in the stream.
      stream: spec.stream ? dynamodb.StreamViewType.NEW_IMAGE : undefined,
    });
    for (const index of spec.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attr(index.partitionKey, index.numberKeys),
        sortKey: index.sortKey ? attr(index.sortKey, index.numberKeys) : undefined,
        // ALL: the access patterns read whole items from the indexes; narrowing projections is a later optimisation.
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
