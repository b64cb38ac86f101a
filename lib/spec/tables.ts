/**
 * The one table spec: read by the CDK stack (lib/constructs/table.ts) and by the local runtime
 * (local/dynamodb/create-tables.ts). Every GSI here serves an access pattern written beside it.
 */
export type KeyType = 'S' | 'N';

export interface IndexSpec {
  name: string;
  partitionKey: string;
  sortKey?: string;
  /** Attributes are string-typed unless listed here. */
  numberKeys?: string[];
  purpose: string;
}

export interface TableSpec {
  /** Logical name: the CDK construct id, the local table name, and the env var prefix (COMPLAINTS_TABLE). */
  name: TableName;
  partitionKey: string;
  sortKey?: string;
  indexes: IndexSpec[];
  ttlAttribute?: string;
  /** Holds personal data: encrypted with a customer-managed KMS key in AWS. */
  personalData: boolean;
  /** Emits a DynamoDB stream (new images) for consumers such as the SMS sender. */
  stream?: boolean;
  accessPatterns: string[];
}

export type TableName = 'complaints' | 'registry' | 'idempotency' | 'tasks' | 'homework' | 'rectification' | 'campaigns' | 'limits';

export const tables: Record<TableName, TableSpec> = {
  complaints: {
    name: 'complaints',
    partitionKey: 'pk',
    sortKey: 'sk',
    personalData: true,
    indexes: [
      {
        name: 'pendingWorkflow',
        partitionKey: 'pendingWorkflowPk',
        sortKey: 'pendingWorkflowSk',
        purpose: 'sparse outbox: complaints stored but whose workflow start is not yet confirmed',
      },
      {
        name: 'byUnitStatus',
        partitionKey: 'unitPk',
        sortKey: 'unitSk',
        purpose: "official queue: a unit's cases by status and submission time",
      },
      {
        name: 'bySubject',
        partitionKey: 'subjectPk',
        sortKey: 'subjectSk',
        purpose: 'duplicate linking: open primary cases about the same institution or address (duplicates and closed cases are not in it)',
      },
      {
        name: 'byStatus',
        partitionKey: 'statusPk',
        sortKey: 'statusSk',
        purpose: 'supervisor queue across units: cases by public status and submission time',
      },
      {
        name: 'outbox',
        partitionKey: 'outboxPk',
        sortKey: 'outboxSk',
        purpose: 'notifications to complainants, newest last (the SMS sender reads the table stream in AWS)',
      },
    ],
    stream: true,
    accessPatterns: [
      'get a case by receipt number: GetItem pk=CASE#<receiptNo>, sk=CASE',
      'read the audit trail of a case: Query pk=CASE#<receiptNo>, sk begins_with EVENT#',
      'read the contact of a case (restricted roles): GetItem pk=CASE#<receiptNo>, sk=CONTACT',
      'allocate the next receipt number of a year: UpdateItem ADD on pk=COUNTER#receipt#<year>, sk=COUNTER',
      'complaints whose workflow start is unconfirmed: Query index pendingWorkflow, pendingWorkflowPk=WORKFLOW_START',
      "a unit's queue: Query index byUnitStatus, unitPk=UNIT#<unit>, unitSk begins_with <status>#",
      'open primary cases about a subject submitted before a case: Query index bySubject, subjectPk=SUBJECT#<normalised name or address>, subjectSk <= submittedAt',
      'cases in a status, all units: Query index byStatus, statusPk=STATUS#<status>',
      'notifications of the platform: Query index outbox, outboxPk=NOTIFICATION (local outbox page; SMS in AWS via the stream)',
    ],
  },
  registry: {
    name: 'registry',
    partitionKey: 'pk',
    sortKey: 'sk',
    personalData: false,
    // Session items of local accounts (SESSION#<hash>) expire with their working day.
    ttlAttribute: 'expiresAt',
    indexes: [
      {
        name: 'byKind',
        partitionKey: 'kind',
        sortKey: 'kindSk',
        purpose: 'list one kind of registry entry (schools with their classes, institutions, users)',
      },
    ],
    accessPatterns: [
      'a school with its classes: Query pk=SCHOOL#<schoolId>',
      'all schools with their classes: Query index byKind, kind=school (school and class items, kindSk=<schoolId>#...)',
      'an institution by normalised name: GetItem pk=INSTITUTION#<normalised name>, sk=INSTITUTION',
      'all institutions (triage fuzzy match): Query index byKind, kind=institution',
      'the working-day calendars an admin entered: Query pk=CONFIG#calendar (sk YEAR#<yyyy>, one item a year)',
      'a user by username: GetItem pk=USER#<username>, sk=USER (also read on every official request: disabled, role and scope, session generation)',
      'the audit trail newest first: Query index byKind, kind=audit, descending (about filtered in the Query); of one record: Query pk=AUDIT#<about>#<id>, descending',
      'the entered units and departments: Query index byKind, kind=org',
      'a session by its refresh token: GetItem pk=SESSION#<sha256 of the token>, sk=SESSION',
    ],
  },
  tasks: {
    name: 'tasks',
    partitionKey: 'pk',
    personalData: false,
    indexes: [
      {
        name: 'byAssignee',
        partitionKey: 'assigneePk',
        sortKey: 'assigneeSk',
        purpose: "an official's inbox: open tasks of a unit, department or role, earliest due first (sparse: closed tasks leave it)",
      },
      {
        name: 'openByDue',
        partitionKey: 'openPk',
        sortKey: 'openSk',
        purpose: 'escalation: open, not yet escalated tasks by due time (sparse)',
      },
      {
        name: 'pendingDelivery',
        partitionKey: 'deliveryPk',
        sortKey: 'deliverySk',
        purpose: 'decisions recorded but not yet confirmed to the workflow engine (sparse outbox)',
      },
    ],
    accessPatterns: [
      'a task: GetItem pk=TASK#<taskId>',
      'a workflow step (shared by a task and its escalation): GetItem pk=STEP#<stepId>',
      "an official's open tasks: Query index byAssignee, assigneePk=UNIT#<unit> | DEPT#<department> | ROLE#supervisor",
      'overdue tasks: Query index openByDue, openPk=OPEN, openSk < now',
      'undelivered decisions: Query index pendingDelivery, deliveryPk=PENDING',
    ],
  },
  homework: {
    name: 'homework',
    partitionKey: 'pk',
    sortKey: 'sk',
    personalData: false,
    indexes: [
      {
        name: 'bySchoolDate',
        partitionKey: 'schoolPk',
        sortKey: 'schoolSk',
        purpose: "the public notice board of a school, by date and class",
      },
    ],
    accessPatterns: [
      "a class's notice of a day: GetItem pk=CLASS#<classId>, sk=NOTICE#<date>",
      "a class's notices of a week (rolling average): Query pk=CLASS#<classId>, sk BETWEEN NOTICE#<monday> AND NOTICE#<date>",
      "a school's board: Query index bySchoolDate, schoolPk=SCHOOL#<schoolId>, schoolSk begins_with <date>",
    ],
  },
  rectification: {
    name: 'rectification',
    partitionKey: 'pk',
    sortKey: 'sk',
    personalData: false,
    indexes: [
      {
        name: 'bySchool',
        partitionKey: 'schoolPk',
        sortKey: 'schoolSk',
        purpose: "a school's plans, newest first",
      },
      {
        name: 'openItemsByDue',
        partitionKey: 'openPk',
        sortKey: 'openSk',
        purpose: 'overdue escalation: items not yet closed, by due date (sparse)',
      },
    ],
    accessPatterns: [
      'a plan with its items: Query pk=PLAN#<planId>',
      'an item: GetItem pk=PLAN#<planId>, sk=ITEM#<itemId> (the item id starts with its plan id)',
      "a school's open plan: GetItem pk=SCHOOL#<schoolId>, sk=OPEN_PLAN (one at a time: a conditional pointer)",
      "a school's plans: Query index bySchool, schoolPk=SCHOOL#<schoolId>",
      'open items due before a date: Query index openItemsByDue, openPk=OPEN_ITEM, openSk < <date>',
      "a school's notifications: Query pk=SCHOOL#<schoolId>, sk begins_with NOTIFICATION#",
    ],
  },
  campaigns: {
    name: 'campaigns',
    partitionKey: 'pk',
    sortKey: 'sk',
    // Survey answers are about families; tokens are stored only as hashes.
    personalData: true,
    ttlAttribute: 'expiresAt',
    indexes: [
      {
        name: 'active',
        partitionKey: 'activePk',
        sortKey: 'activeSk',
        purpose: 'the campaign clock: campaigns that may still open or close a round (sparse)',
      },
      {
        name: 'byCreated',
        partitionKey: 'listPk',
        sortKey: 'listSk',
        purpose: 'the campaign list, newest first (campaign items only: listPk=CAMPAIGN, listSk=<createdAt>#<campaignId>)',
      },
    ],
    accessPatterns: [
      'a campaign with its form versions and rounds: Query pk=CAMPAIGN#<campaignId>',
      'a token: GetItem pk=TOKEN#<sha256(token)>, sk=TOKEN (conditional update when used: each answers once)',
      'the live results of a round: Query pk=AGG#<campaignId>#<round> (one counter item per class, however many responses)',
      'the responses of a round (export): Query pk=RESPONSE#<campaignId>#<round>, paginated',
      'campaigns to tick: Query index active, activePk=ACTIVE',
      'the campaign list, newest first, optionally by status: Query index byCreated, listPk=CAMPAIGN, ScanIndexForward=false (status filtered in the Query)',
    ],
  },
  idempotency: {
    name: 'idempotency',
    partitionKey: 'pk',
    personalData: true,
    ttlAttribute: 'expiresAt',
    indexes: [],
    accessPatterns: [
      'claim or replay an idempotency key: conditional Put / GetItem pk=IDEMPOTENCY#<route>#<sha256(key)>',
    ],
  },
  limits: {
    name: 'limits',
    partitionKey: 'pk',
    // Clients appear only as truncated hashes of their network address; counters live one window plus a margin.
    personalData: false,
    ttlAttribute: 'expiresAt',
    indexes: [],
    accessPatterns: [
      "count a client's requests in a window: conditional UpdateItem ADD pk=CLIENT#<limit>#<sha256(address)>#<window start>",
      'count wrong access codes for a receipt number: UpdateItem ADD pk=ACCESS#<receiptNo>#<window>#<window start>; GetItem before checking',
    ],
  },
};

export const tableList: TableSpec[] = Object.values(tables);

/** The environment variable that carries a table's physical name to a handler. */
export const tableEnvVar = (name: TableName): string => `${name.toUpperCase()}_TABLE`;
