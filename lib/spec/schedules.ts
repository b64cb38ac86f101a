/**
 * Schedules: EventBridge Scheduler in AWS, the local scheduler on one machine; both fire the same handler.
 * Expressions use EventBridge Scheduler syntax: rate(N minute[s]|hour[s]|day[s]) or cron(...). A cron
 * runs in district time (DISTRICT_TIME_ZONE, UTC+08:00 all year) in AWS and on one machine alike; on one
 * machine it follows the platform's clock, so moving the clock past midnight fires a daily schedule.
 */

/** The time zone of every cron schedule: the district's (China keeps no daylight saving). */
export const DISTRICT_TIME_ZONE = 'Asia/Shanghai';
import type { FunctionName } from './functions';

export interface ScheduleSpec {
  name: string;
  expression: string;
  target: FunctionName;
  /** Also fire once as soon as the local platform starts (catches up what was missed while down). */
  fireOnLocalStart: boolean;
  purpose: string;
}

export const schedules: ScheduleSpec[] = [
  {
    name: 'start-pending-workflows',
    expression: 'rate(1 minute)',
    target: 'startPendingWorkflows',
    fireOnLocalStart: true,
    purpose: 'recover complaints acknowledged with 201 whose workflow start was not confirmed (crash between write and StartExecution)',
  },
  {
    name: 'escalate-overdue-tasks',
    expression: 'rate(1 minute)',
    target: 'escalateOverdueTasks',
    fireOnLocalStart: true,
    purpose: 'a task past its SLA (Chinese working days) gets a task of the same kind for the supervisor; the case is flagged overdue',
  },
  {
    name: 'redeliver-decisions',
    expression: 'rate(1 minute)',
    target: 'redeliverDecisions',
    fireOnLocalStart: true,
    purpose: 'send to the workflow engine any decision recorded whose SendTaskSuccess was not confirmed (crash in between)',
  },
  {
    name: 'escalate-overdue-rectification-items',
    // Just after the district's midnight: an item due yesterday is overdue from the first minutes of today
    // (a rate(1 day) fires at whatever hour the stack was deployed).
    expression: 'cron(5 0 * * ? *)',
    target: 'escalateOverdueItems',
    fireOnLocalStart: true,
    purpose: 'rectification items past their due date are flagged overdue once, on the supervisor’s escalation list, and the school is notified',
  },
  {
    name: 'campaign-clock',
    expression: 'rate(1 minute)',
    target: 'campaignClock',
    fireOnLocalStart: true,
    purpose: 'open and close questionnaire rounds on time (one-off and recurring), remind before closing; what was missed while down happens at the next tick',
  },
];
