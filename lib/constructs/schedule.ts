import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { ScheduleSpec } from '../spec/schedules';

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
      schedule: scheduler.ScheduleExpression.expression(spec.expression),
      target: new LambdaInvoke(props.target, {
        // Schedules fire again soon and the handlers catch up on what was missed: retrying an old firing
        // would only duplicate the next one.
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      }),
    });
  }
}
