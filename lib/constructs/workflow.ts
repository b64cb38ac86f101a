import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { FunctionName } from '../spec/functions';
import type { WorkflowSpec } from '../spec/workflows';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface PlatformWorkflowProps {
  spec: WorkflowSpec;
  /** The deployed functions; every function named in `spec.functionArns` must be among them. */
  functions: Partial<Record<FunctionName, lambda.IFunction>>;
  deletionProtection: boolean;
}

/**
 * One STANDARD state machine from its ASL file: `DefinitionBody.fromFile` + `definitionSubstitutions`,
 * so the file in lib/workflows is exactly what runs, in AWS and on the local engine alike. Every
 * `${Variable}` of the file must have a function in the spec and vice versa: synth fails otherwise,
 * rather than a deployment.
 */
export class PlatformWorkflow extends Construct {
  readonly spec: WorkflowSpec;
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: PlatformWorkflowProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;

    const file = path.join(PROJECT_ROOT, spec.definitionFile);
    const asl = fs.readFileSync(file, 'utf8');
    JSON.parse(asl); // a broken file fails synth, not the deployment
    const used = new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    for (const variable of used) {
      if (!(variable in spec.functionArns)) {
        throw new Error(`Workflow ${spec.name}: \${${variable}} in ${spec.definitionFile} has no entry in functionArns`);
      }
    }
    const invoked = Object.entries(spec.functionArns).map(([variable, functionName]) => {
      const fn = props.functions[functionName];
      if (!fn) throw new Error(`Workflow ${spec.name}: \${${variable}} names function ${functionName}, which is not deployed`);
      if (!used.has(variable)) throw new Error(`Workflow ${spec.name}: \${${variable}} is not used in ${spec.definitionFile}`);
      return { variable, fn };
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(file),
      definitionSubstitutions: Object.fromEntries(invoked.map(({ variable, fn }) => [variable, fn.functionArn])),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'Logs', {
          retention: logs.RetentionDays.THREE_MONTHS,
          removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        }),
        // Errors only, without inputs/outputs: execution data carries complainants' personal data.
        level: sfn.LogLevel.ERROR,
        includeExecutionData: false,
      },
    });

    // Exactly the functions the definition invokes, nothing broader.
    for (const { fn } of invoked) {
      fn.grantInvoke(this.stateMachine);
    }

    // cdk-nag (test/infra/cdk-nag.test.ts).
    NagSuppressions.addResourceSuppressions(
      this.stateMachine,
      [
        {
          id: 'AwsSolutions-SF1',
          reason: 'Level ERROR on purpose (see the log settings above): every failure is logged, without execution data; ALL would log every state transition for volume and cost, and X-Ray tracing is enabled for the rest.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'X-Ray (tracingEnabled) actions support no resource-level permissions ("*"); <function ARN>:* is CDK\'s grantInvoke covering the versions and aliases of exactly the functions the definition invokes.',
          appliesTo: ['Resource::*', ...invoked.map(({ fn }) => `Resource::<${Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*`)],
        },
      ],
      true,
    );
  }
}
