/**
 * Every Lambda function of the platform: its handler file and exactly what it may touch. The CDK
 * construct turns `tables` into a grant plus the table's env var in one call; the local runtime turns it
 * into the same env vars. Least privilege starts here: a function lists only what its code uses.
 */
import type { ContactCipherAccess } from './keys';
import type { TableName } from './tables';
import type { WorkflowName } from './workflows';

export type TableAccess = 'read' | 'readWrite';

export interface FunctionSpec {
  /** Handler file, relative to the project root; it exports `handler`. */
  entry: string;
  kind: 'http' | 'step' | 'scheduled' | 'stream';
  tables: Partial<Record<TableName, TableAccess>>;
  /** State machines it starts (StartExecution) or reads (DescribeStateMachine for health). */
  startsWorkflows?: WorkflowName[];
  describesWorkflows?: WorkflowName[];
  /** State machines whose task tokens it completes (SendTaskSuccess/Failure/Heartbeat). */
  sendsTaskResults?: WorkflowName[];
  /** Stream consumer: the table whose stream (new images) it reads, and the entity it filters on. */
  consumesStreamOf?: { table: TableName; entity: string };
  /** Creates and disables officials' accounts: Cognito in AWS (OFFICIALS_USER_POOL_ID), local accounts on one machine. */
  managesOfficials?: boolean;
  /** Publishes SMS through SNS (no topic: direct to phone numbers). */
  sendsSms?: boolean;
  /** The evidence bucket: read (download links, upload checks) or readWrite (presigned uploads). */
  evidenceBucket?: 'read' | 'readWrite';
  /** What it may do with the contact key (lib/spec/keys.ts): only these functions ever see a plaintext contact. */
  contactCipher?: ContactCipherAccess;
  /** Needs the official token verifier configuration (JWT_ISSUER, JWT_AUDIENCE, JWT_JWKS_URL), and reads the registry (is the account disabled?). */
  verifiesTokens?: boolean;
  /** Exists in one-machine mode only; never deployed to the cloud. */
  localOnly?: boolean;
  timeoutSeconds?: number;
  memoryMb?: number;
}

export const functions = {
  complaintSubmit: {
    entry: 'lambdas/http/complaint-submit.ts',
    kind: 'http',
    tables: { complaints: 'readWrite', idempotency: 'readWrite', limits: 'readWrite' },
    startsWorkflows: ['complaint'],
    contactCipher: 'encrypt',
  },
  complaintTrack: {
    entry: 'lambdas/http/complaint-track.ts',
    kind: 'http',
    tables: { complaints: 'read', limits: 'readWrite' },
  },
  schoolsList: {
    entry: 'lambdas/http/schools-list.ts',
    kind: 'http',
    tables: { registry: 'read' },
  },
  health: {
    entry: 'lambdas/http/health.ts',
    kind: 'http',
    // registry: the working-day calendars, for the warnings
    tables: { complaints: 'read', registry: 'read' },
    describesWorkflows: ['complaint'],
  },
  openapi: {
    entry: 'lambdas/http/openapi.ts',
    kind: 'http',
    tables: {},
  },
  whoami: {
    entry: 'lambdas/http/whoami.ts',
    kind: 'http',
    tables: {},
    verifiesTokens: true,
  },
  devLogin: {
    entry: 'lambdas/http/dev-login.ts',
    kind: 'http',
    tables: { registry: 'readWrite', limits: 'readWrite' },
    localOnly: true,
  },
  caseQueue: {
    entry: 'lambdas/http/case-queue.ts',
    kind: 'http',
    tables: { complaints: 'read' },
    verifiesTokens: true,
  },
  caseGet: {
    entry: 'lambdas/http/case-get.ts',
    kind: 'http',
    // readWrite: reading a complainant's contact is itself recorded in the audit trail.
    tables: { complaints: 'readWrite', tasks: 'read' },
    contactCipher: 'decrypt',
    verifiesTokens: true,
  },
  complaintRate: {
    entry: 'lambdas/http/complaint-rate.ts',
    kind: 'http',
    tables: { complaints: 'readWrite', limits: 'readWrite' },
  },
  taskList: {
    entry: 'lambdas/http/task-list.ts',
    kind: 'http',
    tables: { tasks: 'read' },
    verifiesTokens: true,
  },
  taskComplete: {
    entry: 'lambdas/http/task-complete.ts',
    kind: 'http',
    // idempotency: the answer kept for a retry with the same Idempotency-Key.
    tables: { tasks: 'readWrite', complaints: 'readWrite', idempotency: 'readWrite' },
    sendsTaskResults: ['complaint'],
    verifiesTokens: true,
  },
  devOutbox: {
    entry: 'lambdas/http/dev-outbox.ts',
    kind: 'http',
    tables: { complaints: 'read' },
    localOnly: true,
  },
  noticePublish: {
    entry: 'lambdas/http/notice-publish.ts',
    kind: 'http',
    tables: { homework: 'readWrite', rectification: 'readWrite', registry: 'read' },
    verifiesTokens: true,
  },
  noticeBoard: {
    entry: 'lambdas/http/notice-board.ts',
    kind: 'http',
    tables: { homework: 'read', registry: 'read' },
  },
  adminSchoolCreate: { entry: 'lambdas/http/admin-school-create.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true },
  adminSchoolUpdate: { entry: 'lambdas/http/admin-school-update.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true },
  adminClassCreate: { entry: 'lambdas/http/admin-class-create.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true },
  adminClassUpdate: { entry: 'lambdas/http/admin-class-update.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true },
  adminInstitutionCreate: { entry: 'lambdas/http/admin-institution-create.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true },
  adminInstitutionUpdate: { entry: 'lambdas/http/admin-institution-update.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true },
  adminInstitutionList: { entry: 'lambdas/http/admin-institution-list.ts', kind: 'http', tables: { registry: 'read' }, verifiesTokens: true },
  adminUserCreate: { entry: 'lambdas/http/admin-user-create.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true, managesOfficials: true },
  adminUserList: { entry: 'lambdas/http/admin-user-list.ts', kind: 'http', tables: { registry: 'read' }, verifiesTokens: true },
  // A sheet of up to 5,000 rows is checked against the registry and written as transactions of 100 items.
  adminImport: { entry: 'lambdas/http/admin-import.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true, managesOfficials: true, timeoutSeconds: 60, memoryMb: 1024 },
  adminUserDisable: { entry: 'lambdas/http/admin-user-disable.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true, managesOfficials: true },
  adminUserUpdate: { entry: 'lambdas/http/admin-user-update.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true, managesOfficials: true },
  adminUserEnable: { entry: 'lambdas/http/admin-user-enable.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true, managesOfficials: true },
  adminSchoolList: { entry: 'lambdas/http/admin-school-list.ts', kind: 'http', tables: { registry: 'read' }, verifiesTokens: true },
  adminOrganisationGet: { entry: 'lambdas/http/admin-organisation-get.ts', kind: 'http', tables: { registry: 'read' }, verifiesTokens: true },
  adminOrganisationPut: { entry: 'lambdas/http/admin-organisation-put.ts', kind: 'http', tables: { registry: 'readWrite' }, verifiesTokens: true },
  adminAuditList: { entry: 'lambdas/http/admin-audit-list.ts', kind: 'http', tables: { registry: 'read' }, verifiesTokens: true },
  // One-machine sign-in with a local account (in AWS, Cognito signs officials in).
  authLogin: { entry: 'lambdas/http/auth-login.ts', kind: 'http', tables: { registry: 'readWrite', limits: 'readWrite' }, localOnly: true },
  authRefresh: { entry: 'lambdas/http/auth-refresh.ts', kind: 'http', tables: { registry: 'readWrite', limits: 'readWrite' }, localOnly: true },
  authPassword: { entry: 'lambdas/http/auth-password.ts', kind: 'http', tables: { registry: 'readWrite', limits: 'readWrite' }, verifiesTokens: true, localOnly: true },
  authLogout: { entry: 'lambdas/http/auth-logout.ts', kind: 'http', tables: { registry: 'readWrite', limits: 'readWrite' }, verifiesTokens: true, localOnly: true },
  calendarGet: {
    entry: 'lambdas/http/calendar-get.ts',
    kind: 'http',
    tables: { registry: 'read' },
  },
  calendarPut: {
    entry: 'lambdas/http/calendar-put.ts',
    kind: 'http',
    tables: { registry: 'readWrite' },
    verifiesTokens: true,
  },
  homeworkRulesGet: {
    entry: 'lambdas/http/homework-rules-get.ts',
    kind: 'http',
    tables: { registry: 'read' },
  },
  homeworkRulesPut: {
    entry: 'lambdas/http/homework-rules-put.ts',
    kind: 'http',
    tables: { registry: 'readWrite' },
    verifiesTokens: true,
  },
  planList: {
    entry: 'lambdas/http/plan-list.ts',
    kind: 'http',
    tables: { rectification: 'read' },
    evidenceBucket: 'read',
    verifiesTokens: true,
  },
  planGet: {
    entry: 'lambdas/http/plan-get.ts',
    kind: 'http',
    tables: { rectification: 'read' },
    evidenceBucket: 'read',
    verifiesTokens: true,
  },
  planOpen: {
    entry: 'lambdas/http/plan-open.ts',
    kind: 'http',
    tables: { rectification: 'readWrite', registry: 'read' },
    evidenceBucket: 'read',
    verifiesTokens: true,
  },
  itemAdd: {
    entry: 'lambdas/http/item-add.ts',
    kind: 'http',
    tables: { rectification: 'readWrite' },
    evidenceBucket: 'read',
    verifiesTokens: true,
  },
  itemEvidenceUpload: {
    entry: 'lambdas/http/item-evidence-upload.ts',
    kind: 'http',
    tables: { rectification: 'readWrite' },
    evidenceBucket: 'readWrite',
    verifiesTokens: true,
  },
  itemSubmit: {
    entry: 'lambdas/http/item-submit.ts',
    kind: 'http',
    tables: { rectification: 'readWrite' },
    evidenceBucket: 'read',
    verifiesTokens: true,
  },
  itemClose: {
    entry: 'lambdas/http/item-close.ts',
    kind: 'http',
    tables: { rectification: 'readWrite' },
    evidenceBucket: 'read',
    verifiesTokens: true,
  },
  itemReturn: {
    entry: 'lambdas/http/item-return.ts',
    kind: 'http',
    tables: { rectification: 'readWrite' },
    evidenceBucket: 'read',
    verifiesTokens: true,
  },
  ledgerOverdue: {
    entry: 'lambdas/http/ledger-overdue.ts',
    kind: 'http',
    tables: { rectification: 'read' },
    evidenceBucket: 'read',
    verifiesTokens: true,
  },
  ledgerExport: {
    entry: 'lambdas/http/ledger-export.ts',
    kind: 'http',
    tables: { rectification: 'read', registry: 'read' },
    verifiesTokens: true,
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  ledgerSummary: {
    entry: 'lambdas/http/ledger-summary.ts',
    kind: 'http',
    tables: { rectification: 'read', registry: 'read' },
    verifiesTokens: true,
  },
  schoolNotifications: {
    entry: 'lambdas/http/school-notifications.ts',
    kind: 'http',
    tables: { rectification: 'read' },
    verifiesTokens: true,
  },
  escalateOverdueItems: {
    entry: 'lambdas/scheduled/escalate-overdue-items.ts',
    kind: 'scheduled',
    tables: { rectification: 'readWrite' },
    timeoutSeconds: 120,
  },
  campaignCreate: {
    entry: 'lambdas/http/campaign-create.ts',
    kind: 'http',
    tables: { campaigns: 'readWrite', registry: 'read' },
    verifiesTokens: true,
  },
  campaignList: {
    entry: 'lambdas/http/campaign-list.ts',
    kind: 'http',
    tables: { campaigns: 'read' },
    verifiesTokens: true,
  },
  campaignGet: {
    entry: 'lambdas/http/campaign-get.ts',
    kind: 'http',
    tables: { campaigns: 'read', registry: 'read' },
    verifiesTokens: true,
  },
  campaignFormPut: {
    entry: 'lambdas/http/campaign-form-put.ts',
    kind: 'http',
    tables: { campaigns: 'readWrite' },
    verifiesTokens: true,
  },
  campaignTokens: {
    entry: 'lambdas/http/campaign-tokens.ts',
    kind: 'http',
    tables: { campaigns: 'readWrite', registry: 'read' },
    verifiesTokens: true,
  },
  campaignResults: {
    entry: 'lambdas/http/campaign-results.ts',
    kind: 'http',
    tables: { campaigns: 'read' },
    verifiesTokens: true,
  },
  campaignExport: {
    entry: 'lambdas/http/campaign-export.ts',
    kind: 'http',
    tables: { campaigns: 'read' },
    // Writes the export file (exports/ in the evidence bucket) and signs its download link.
    evidenceBucket: 'readWrite',
    verifiesTokens: true,
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  surveyGet: {
    entry: 'lambdas/http/survey-get.ts',
    kind: 'http',
    tables: { campaigns: 'read' },
  },
  surveyRespond: {
    entry: 'lambdas/http/survey-respond.ts',
    kind: 'http',
    // rectification: thresholds open items in the school's plan as answers arrive.
    tables: { campaigns: 'readWrite', rectification: 'readWrite', limits: 'readWrite', registry: 'read' }, // registry: the working-day calendar (item due dates)
  },
  campaignClock: {
    entry: 'lambdas/scheduled/campaign-clock.ts',
    kind: 'scheduled',
    tables: { campaigns: 'readWrite', registry: 'read', rectification: 'readWrite' },
    timeoutSeconds: 60,
  },
  triage: {
    entry: 'lambdas/steps/triage.ts',
    kind: 'step',
    tables: { complaints: 'readWrite', registry: 'read' },
  },
  openTask: {
    entry: 'lambdas/steps/open-task.ts',
    kind: 'step',
    tables: { tasks: 'readWrite', complaints: 'readWrite', registry: 'read' }, // registry: the working-day calendar
  },
  startRectification: {
    entry: 'lambdas/steps/start-rectification.ts',
    kind: 'step',
    tables: { complaints: 'readWrite', registry: 'read' }, // registry: the working-day calendar
  },
  raiseLedgerItem: {
    entry: 'lambdas/steps/raise-ledger-item.ts',
    kind: 'step',
    tables: { complaints: 'readWrite', rectification: 'readWrite', registry: 'read' }, // registry: the working-day calendar
  },
  closeCase: {
    entry: 'lambdas/steps/close-case.ts',
    kind: 'step',
    // Closing a case also closes the duplicates linked to it.
    tables: { complaints: 'readWrite' },
  },
  escalateOverdueTasks: {
    entry: 'lambdas/scheduled/escalate-overdue-tasks.ts',
    kind: 'scheduled',
    tables: { tasks: 'readWrite', complaints: 'readWrite', registry: 'read' }, // registry: the working-day calendar
    timeoutSeconds: 60,
  },
  redeliverDecisions: {
    entry: 'lambdas/scheduled/redeliver-decisions.ts',
    kind: 'scheduled',
    tables: { tasks: 'readWrite' },
    sendsTaskResults: ['complaint'],
    timeoutSeconds: 60,
  },
  sendSms: {
    entry: 'lambdas/stream/send-sms.ts',
    kind: 'stream',
    // readWrite: it marks each notification sent, so a redelivered stream record sends no second SMS.
    tables: { complaints: 'readWrite' },
    consumesStreamOf: { table: 'complaints', entity: 'notification' },
    sendsSms: true,
    contactCipher: 'decryptPhone',
  },
  startPendingWorkflows: {
    entry: 'lambdas/scheduled/start-pending-workflows.ts',
    kind: 'scheduled',
    tables: { complaints: 'readWrite' },
    startsWorkflows: ['complaint'],
    timeoutSeconds: 60,
  },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;
/**
 * An official's request is checked against the registry after its token (a disabled account is refused at
 * once, not when its token expires): every function that verifies tokens reads the registry.
 */
const withAccountCheck = (spec: FunctionSpec): FunctionSpec => (spec.verifiesTokens && !spec.tables.registry ? { ...spec, tables: { ...spec.tables, registry: 'read' } } : spec);
export const functionSpecs = Object.fromEntries(Object.entries(functions).map(([name, spec]) => [name, withAccountCheck(spec)])) as Record<FunctionName, FunctionSpec>;

/** The env var that carries a state machine's ARN to a function that starts it. */
export const workflowEnvVar = (name: WorkflowName): string => `${name.toUpperCase()}_STATE_MACHINE_ARN`;
