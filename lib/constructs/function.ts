import * as path from 'node:path';
import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';
import { NagSuppressions } from 'cdk-nag';
import type { FunctionName, FunctionSpec, TableAccess } from '../spec/functions';
import { lambdaBundling } from './bundling';
import { workflowEnvVar } from '../spec/functions';
import { tableEnvVar } from '../spec/tables';
import { contactKey, type ContactCipherAccess } from '../spec/keys';
import type { EvidenceBucket } from './evidence-bucket';
import type { OfficialTokenIssuer } from './http-api';
import type { OriginVerifyHeader } from './origin-verify';
import type { PlatformTable } from './table';
import type { PlatformWorkflow } from './workflow';

/** The logical id of a construct's CloudFormation resource, as cdk-nag names it in its findings (`<Id.Arn>`). */
const logicalIdOf = (construct: IConstruct): string => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

/** The project root: entries in the spec are relative to it, and esbuild runs from it. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface PlatformFunctionProps {
  name: FunctionName;
  spec: FunctionSpec;
  /** Keeps the log group when the stack is deleted (logs are the audit trail of what a function did). */
  deletionProtection: boolean;
}

/**
 * One Lambda function from its spec, with the platform's defaults. Permissions are added only through
 * the methods below (useTable, startsWorkflow, ...), each of which grants AND wires what the grant is for
 * (an env var, an event source), so a handler never sees a table name it has no permission on (or holds
 * a permission it has no use for).
 */
export class PlatformFunction extends NodejsFunction {
  readonly functionSpec: FunctionSpec;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    const { spec, name } = props;
    if (spec.localOnly) {
      throw new Error(`Function ${name} is localOnly and must never be deployed`);
    }
    super(scope, id, {
      description: `${name} (${spec.entry})`,
      entry: path.join(PROJECT_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      // Graviton: cheaper per GB-second and at least as fast for this I/O-bound code.
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 256,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      tracing: lambda.Tracing.ACTIVE,
      // Created here (not by Lambda on first invoke) so retention and removal are ours, not "never expire".
      logGroup: new logs.LogGroup(scope, `${id}LogGroup`, {
        retention: logs.RetentionDays.THREE_MONTHS,
        removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      }),
      environment: {
        // Stack traces point at the TypeScript sources through the bundled source maps. Weighed against
        // cold start (bench/cold-start.ts): Node reads and parses the whole map at load, about 13 ms of a
        // bare DynamoDB handler's init and 15-25 ms of a function's. Without it, every cold start is that much
        // shorter, but stack traces in CloudWatch are minified. Kept: an error's location matters more.
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        // Local esbuild only: no Docker on build machines.
        forceDockerBundling: false,
        ...lambdaBundling,
      },
    });
    this.functionSpec = spec;
    // cdk-nag (test/infra/cdk-nag.test.ts): what every function has by construction.
    NagSuppressions.addResourceSuppressions(
      this,
      [
        {
          id: 'AwsSolutions-L1',
          reason: 'nodejs22.x on purpose (a supported LTS runtime): the bundles are built for target node22 and the infra tests pin it; moving to a newer runtime is a deliberate upgrade, not something to follow the check for.',
        },
        {
          id: 'AwsSolutions-IAM4',
          reason: 'AWSLambdaBasicExecutionRole (CDK attaches it to every function role) grants only the CloudWatch Logs writes (CreateLogGroup, CreateLogStream, PutLogEvents) a function needs for its logs; the log group itself is created by the stack with retention.',
          appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so CDK grants them on "*". (sendsSms adds sns:Publish on "*" for the same reason, see there.)',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
  }

  /** Suppresses cdk-nag AwsSolutions-IAM5 on this function's role policies for exactly these findings. */
  private suppressWildcards(reason: string, appliesTo: string[]): void {
    NagSuppressions.addResourceSuppressions(this, [{ id: 'AwsSolutions-IAM5', reason, appliesTo }], true);
  }

  /** Grants read or read/write on the table (and its key) and passes its name as `<NAME>_TABLE`. */
  useTable(table: PlatformTable, access: TableAccess): this {
    if (access === 'readWrite') {
      table.table.grantReadWriteData(this);
    } else {
      table.table.grantReadData(this);
    }
    const tableArn = `<${logicalIdOf(table.table)}.Arn>`;
    this.suppressWildcards('CDK\'s table grants cover the table\'s global secondary indexes as <table ARN>/index/*: the wildcard is the indexes of this one table.', [
      `Resource::${tableArn}/index/*`,
    ]);
    if (access === 'readWrite' && table.key) {
      this.suppressWildcards(
        'CDK\'s grantReadWriteData on a table with a customer-managed key grants kms:ReEncrypt* and kms:GenerateDataKey* on that table\'s own key only, not on "*".',
        ['Action::kms:ReEncrypt*', 'Action::kms:GenerateDataKey*'],
      );
    }
    this.addEnvironment(tableEnvVar(table.spec.name), table.table.tableName);
    return this;
  }

  /**
   * Counts abuse limits per viewer address: passes the secret the CloudFront distribution sends as
   * x-origin-verify, so the handler believes CloudFront-Viewer-Address only on requests that came
   * through it (lambdas/platform/rate-limit.ts).
   */
  trustsViewerAddressFrom(originVerify: OriginVerifyHeader): this {
    this.addEnvironment('ORIGIN_VERIFY_SECRET', originVerify.value);
    return this;
  }

  /** Grants StartExecution on the state machine and passes its ARN. */
  startsWorkflow(workflow: PlatformWorkflow): this {
    workflow.stateMachine.grantStartExecution(this);
    this.addEnvironment(workflowEnvVar(workflow.spec.name), workflow.stateMachine.stateMachineArn);
    return this;
  }

  /** Grants only DescribeStateMachine (the health check asks whether the workflow engine answers). */
  describesWorkflow(workflow: PlatformWorkflow): this {
    workflow.stateMachine.grant(this, 'states:DescribeStateMachine');
    this.addEnvironment(workflowEnvVar(workflow.spec.name), workflow.stateMachine.stateMachineArn);
    return this;
  }

  /**
   * Allows SendTaskSuccess/Failure/Heartbeat on this state machine only (the actions of
   * `grantTaskResponse`). No env var: the task token carries the execution, so the handler needs no ARN.
   *
   * In a policy of its own rather than through `grantTaskResponse`, which writes to the role's default
   * policy: the function resource depends on that policy, and the state machine depends on every function
   * it invokes (their ARNs are in its definition), so for a function the workflow invokes that also
   * completes tasks the default policy would close a circular dependency. Nothing depends on this
   * policy, so CloudFormation creates it after the state machine.
   */
  sendsTaskResultsTo(workflow: PlatformWorkflow): this {
    new iam.Policy(this, `SendsTaskResultsTo${workflow.node.id}`, {
      roles: [this.role!],
      statements: [
        new iam.PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: [workflow.stateMachine.stateMachineArn],
        }),
      ],
    });
    return this;
  }

  /**
   * Invokes the function with the table's stream (new images), only for INSERTs of items of `entity`:
   * the filter runs in Lambda's poller, so the other writes to the table cost no invocation. The event
   * source grants read on the stream and decrypt on the table's key.
   */
  consumesStreamOf(table: PlatformTable, entity: string): this {
    if (!table.table.tableStreamArn) {
      throw new Error(`Function ${this.node.id}: table ${table.spec.name} has no stream (set stream: true in its spec)`);
    }
    this.addEventSource(
      new DynamoEventSource(table.table, {
        // LATEST: a new consumer must not replay a day of old notifications.
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 10,
        // A poison record is isolated by halving the batch instead of blocking the shard until it expires.
        bisectBatchOnError: true,
        retryAttempts: 5,
        // The handler answers batchItemFailures: Lambda resumes from the first failed record instead of
        // retrying the whole batch (the handler's claim makes the records after it harmless to repeat).
        reportBatchItemFailures: true,
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual(entity) } } },
          }),
        ],
      }),
    );
    return this;
  }

  /**
   * Creates and disables officials' Cognito accounts (the admin routes): AdminCreateUser, AdminDeleteUser
   * (undoing a creation whose registry write failed), AdminDisableUser, AdminEnableUser and AdminUpdateUserAttributes on the officials' pool only, and
   * its id as OFFICIALS_USER_POOL_ID (one grant, one variable, one call).
   */
  managesOfficialsIn(userPool: cognito.IUserPool): this {
    this.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminDeleteUser', 'cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser', 'cognito-idp:AdminUpdateUserAttributes'], resources: [userPool.userPoolArn] }),
    );
    this.addEnvironment('OFFICIALS_USER_POOL_ID', userPool.userPoolId);
    return this;
  }

  /**
   * Allows sns:Publish for SMS sent straight to phone numbers. Such a publish has no topic, so the only
   * possible resource is `*`; and SNS has no condition key for Publish that could narrow it (sns:Protocol
   * and sns:Endpoint apply to Subscribe only). The handler publishes with PhoneNumber and nothing else.
   */
  sendsSms(): this {
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    this.suppressWildcards('sns:Publish to a phone number has no topic, so "*" is the only possible resource, and SNS has no condition key to narrow Publish (see above).', ['Resource::*']);
    return this;
  }

  /**
   * Allows GetObject (read) or GetObject + PutObject (readWrite) on the evidence objects and passes the
   * bucket as EVIDENCE_BUCKET. The function presigns URLs: the browser then acts with these permissions,
   * so there is no delete and no list (HeadObject of a missing key is then a 403, which the evidence store
   * reads as "not uploaded"). The key grants are what SSE-KMS needs: Decrypt to read, GenerateDataKey to write.
   */
  usesEvidenceBucket(evidence: EvidenceBucket, access: 'read' | 'readWrite'): this {
    const write = access === 'readWrite';
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: write ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
        resources: [evidence.bucket.arnForObjects('*')],
      }),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
        resources: [evidence.key.keyArn],
      }),
    );
    this.suppressWildcards('Evidence keys are generated per upload (evidence/<itemId>/<uuid>, exports/...); the function presigns URLs for any of them, so the grant is on the bucket\'s objects (<bucket ARN>/*), with Get/Put only and no list or delete.', [
      `Resource::<${logicalIdOf(evidence.bucket)}.Arn>/*`,
    ]);
    this.addEnvironment('EVIDENCE_BUCKET', evidence.bucket.bucketName);
    return this;
  }

  /**
   * Allows kms:Encrypt (encrypt) or kms:Decrypt (decrypt, decryptPhone) on the contact key and passes its
   * ARN as CONTACT_KEY_ID. Only for contact ciphertexts: the grant requires the contact `purpose` in the
   * encryption context, and decryptPhone also `field` = phone, so the SMS sender can never read a name.
   */
  usesContactKey(key: kms.IKey, access: ContactCipherAccess): this {
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [access === 'encrypt' ? 'kms:Encrypt' : 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: {
          StringEquals: {
            'kms:EncryptionContext:purpose': contactKey.purpose,
            ...(access === 'decryptPhone' ? { 'kms:EncryptionContext:field': 'phone' } : {}),
          },
        },
      }),
    );
    this.addEnvironment(contactKey.envVar, key.keyArn);
    return this;
  }

  /** Passes the official token issuer's public configuration (no secret: JWTs are verified with public keys). */
  verifiesTokensFrom(tokens: OfficialTokenIssuer): this {
    this.addEnvironment('JWT_ISSUER', tokens.issuer);
    this.addEnvironment('JWT_AUDIENCE', tokens.audience);
    this.addEnvironment('JWT_JWKS_URL', `${tokens.issuer}/.well-known/jwks.json`);
    return this;
  }
}
