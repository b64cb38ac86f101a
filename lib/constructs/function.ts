import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { FunctionName, FunctionSpec, TableAccess } from '../spec/functions';
import { workflowEnvVar } from '../spec/functions';
import { tableEnvVar } from '../spec/tables';
import type { OfficialTokenIssuer } from './http-api';
import type { PlatformTable } from './table';
import type { PlatformWorkflow } from './workflow';

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
 * useTable / startsWorkflow / describesWorkflow, each of which grants AND sets the matching env var, so a
 * handler never sees a table name it has no permission on (or holds a permission it has no name for).
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
        // Stack traces point at the TypeScript sources through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        // Local esbuild only: no Docker on build machines.
        forceDockerBundling: false,
        target: 'node22',
        // CJS: esbuild converts the ESM-only middy to CommonJS; no top-level await is used by the handlers.
        format: OutputFormat.CJS,
        minify: true,
        sourceMap: true,
        // Mappings are enough for stack traces; leaving the sources out keeps the bundles small.
        sourcesContent: false,
        // Ship the SDK version the tests ran against instead of whatever the runtime happens to carry.
        bundleAwsSDK: true,
        // Only problems on the console, not a size table per function.
        logLevel: LogLevel.WARNING,
      },
    });
    this.functionSpec = spec;
  }

  /** Grants read or read/write on the table (and its key) and passes its name as `<NAME>_TABLE`. */
  useTable(table: PlatformTable, access: TableAccess): this {
    if (access === 'readWrite') {
      table.table.grantReadWriteData(this);
    } else {
      table.table.grantReadData(this);
    }
    this.addEnvironment(tableEnvVar(table.spec.name), table.table.tableName);
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

  /** Passes the official token issuer's public configuration (no secret: JWTs are verified with public keys). */
  verifiesTokensFrom(tokens: OfficialTokenIssuer): this {
    this.addEnvironment('JWT_ISSUER', tokens.issuer);
    this.addEnvironment('JWT_AUDIENCE', tokens.audience);
    this.addEnvironment('JWT_JWKS_URL', `${tokens.issuer}/.well-known/jwks.json`);
    return this;
  }
}
