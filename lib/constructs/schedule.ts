import { type CfnElement, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { DISTRICT_TIME_ZONE, type ScheduleSpec } from '../spec/schedules';

export interface PlatformScheduleProps {
  spec: ScheduleSpec;
  target: lambda.IFunction;
}

/** One EventBridge Scheduler schedule from its spec, invoking its handler. */
export class PlatformSchedule extends Construct {
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: PlatformScheduleProps) {
    super(scope, id);
    const { spec } = props;
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `${spec.name}: ${spec.purpose}`.slice(0, 512),
      // Expressions are written in EventBridge Scheduler syntax in the spec; the local scheduler reads the same.
      schedule: spec.expression.startsWith('cron(')
        ? scheduler.ScheduleExpression.expression(spec.expression, TimeZone.of(DISTRICT_TIME_ZONE))
        : scheduler.ScheduleExpression.expression(spec.expression),
      target: new LambdaInvoke(props.target, {
        // Schedules fire again soon and the handlers catch up on what was missed: retrying an old firing
        // would only duplicate the next one.
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      }),
    });

    // cdk-nag (test/infra/cdk-nag.test.ts): the target creates (or reuses) one role per target function at
    // stack level; find it through the role ARN the schedule uses.
    const stack = Stack.of(this);
    const cfnTarget = (this.schedule.node.defaultChild as scheduler.CfnSchedule).target as scheduler.CfnSchedule.TargetProperty;
    const role = stack.node.children.find((c): c is iam.Role => c instanceof iam.Role && c.roleArn === cfnTarget.roleArn);
    if (!role) throw new Error(`Schedule ${spec.name}: cannot find the role of its target`);
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'lambda:InvokeFunction on <function ARN>:* is CDK\'s grantInvoke covering the versions and aliases of the one target function.',
          appliesTo: [`Resource::<${stack.getLogicalId(props.target.node.defaultChild as CfnElement)}.Arn>:*`],
        },
      ],
      true,
    );
  }
}
