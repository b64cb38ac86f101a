/**
 * The one route table: method + path → function + auth rule + contract. The CDK HTTP API, the local
 * gateway and the OpenAPI document (GET /api/openapi.json) are all generated from it.
 */
import { z } from 'zod';
import type { FunctionName } from './functions';
import {
  AccessCodeHeaders,
  ComplaintPublicView,
  ComplaintReceipt,
  ComplaintSubmission,
  OfficialCaseView,
  QueuePage,
  QueueQuery,
  RatingAnswer,
  RatingRequest,
  ReceiptPath,
} from '../../lambdas/domain/complaints/schemas';
import { CompleteTaskRequest, TaskIdPath, TaskView } from '../../lambdas/domain/tasks/schemas';
import { Notice, NoticeCreated, NoticeQuery, NoticeRequest } from '../../lambdas/domain/homework/schemas';
import { RuleSetSchema } from '../../lambdas/domain/homework/rules';
import {
  CloseRequest,
  ExportQuery,
  Item,
  ItemIdPath,
  NewItemRequest,
  Plan,
  PlanIdPath,
  PlansQuery,
  ReturnRequest,
  SubmitRequest,
} from '../../lambdas/domain/rectification/schemas';
import { EvidenceUploadRequest } from '../../lambdas/platform/evidence-schemas';
import { DevLoginRequest, DevLoginResponse, Official, PublicSchool } from '../../lambdas/domain/registry/schemas';
import { Health, IdempotencyKeyHeader } from '../../lambdas/platform/schemas';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path syntax: /api/complaints/{receiptNo} */
  path: string;
  function: FunctionName;
  /** public: no token; official: a valid JWT (Cognito in AWS, the local issuer on one machine). */
  auth: 'public' | 'official';
  /** Exists in one-machine mode only (POST /api/dev/login). */
  localOnly?: boolean;
  summary: string;
  request?: { body?: z.ZodType; path?: z.ZodType; query?: z.ZodType; headers?: z.ZodType };
  /** Success responses by status code; error responses use the ApiError envelope. */
  responses: Record<number, z.ZodType>;
  /** Error statuses this route answers with (besides 500). */
  errors: number[];
}

export const routes: RouteSpec[] = [
  {
    method: 'POST',
    path: '/api/complaints',
    function: 'complaintSubmit',
    auth: 'public',
    summary: 'File a complaint (anonymous allowed); answers with a receipt number and a secret access code',
    request: { body: ComplaintSubmission, headers: IdempotencyKeyHeader },
    responses: { 201: ComplaintReceipt },
    errors: [400, 409, 413, 429],
  },
  {
    method: 'GET',
    path: '/api/complaints/{receiptNo}',
    function: 'complaintTrack',
    auth: 'public',
    summary: "Track a complaint with its receipt number and access code: the citizen's public view",
    request: { path: ReceiptPath, headers: AccessCodeHeaders },
    responses: { 200: ComplaintPublicView },
    errors: [400, 404, 429],
  },
  {
    method: 'POST',
    path: '/api/complaints/{receiptNo}/rating',
    function: 'complaintRate',
    auth: 'public',
    summary: 'Rate the handling of a closed complaint, once, with its access code',
    request: { path: ReceiptPath, headers: AccessCodeHeaders, body: RatingRequest },
    responses: { 201: RatingAnswer },
    errors: [400, 404, 409, 413, 429],
  },
  {
    method: 'GET',
    path: '/api/tasks',
    function: 'taskList',
    auth: 'official',
    summary: "The caller's open tasks (every human step of every workflow), earliest due first",
    responses: { 200: TaskView.array() },
    errors: [401],
  },
  {
    method: 'POST',
    path: '/api/tasks/{taskId}/complete',
    function: 'taskComplete',
    auth: 'official',
    summary: 'Complete a task with one of its decisions: exactly once (409 when no longer open)',
    request: { path: TaskIdPath, body: CompleteTaskRequest },
    responses: { 200: TaskView },
    errors: [400, 401, 403, 404, 409, 413],
  },
  {
    method: 'GET',
    path: '/api/cases',
    function: 'caseQueue',
    auth: 'official',
    summary: "The official queue: a unit's cases (or all, for supervisors) by status, newest first, paginated",
    request: { query: QueueQuery },
    responses: { 200: QueuePage },
    errors: [400, 401, 403],
  },
  {
    method: 'GET',
    path: '/api/cases/{receiptNo}',
    function: 'caseGet',
    auth: 'official',
    summary: "A case with its audit trail; the complainant's contact only for the handling unit and supervisors",
    request: { path: ReceiptPath },
    responses: { 200: OfficialCaseView },
    errors: [400, 401, 403, 404],
  },
  {
    method: 'GET',
    path: '/api/dev/outbox',
    function: 'devOutbox',
    auth: 'public',
    localOnly: true,
    summary: 'One-machine mode only: the notifications that would be sent as SMS in AWS, newest first',
    responses: { 200: z.array(z.looseObject({ receiptNo: z.string(), message: z.string() })) },
    errors: [],
  },
  {
    method: 'POST',
    path: '/api/homework/notices',
    function: 'noticePublish',
    auth: 'official',
    summary: "A school administrator publishes a class's homework of a day; the rules check it at once and each violation opens a rectification item",
    request: { body: NoticeRequest },
    responses: { 201: NoticeCreated },
    errors: [400, 401, 403, 409, 413],
  },
  {
    method: 'GET',
    path: '/api/homework/notices',
    function: 'noticeBoard',
    auth: 'public',
    summary: 'The public notice board: a school (and date), or a class',
    request: { query: NoticeQuery },
    responses: { 200: Notice.array() },
    errors: [400],
  },
  {
    method: 'GET',
    path: '/api/homework/rules',
    function: 'homeworkRulesGet',
    auth: 'public',
    summary: "The district's current homework rule set (rules as data, versioned)",
    responses: { 200: RuleSetSchema },
    errors: [],
  },
  {
    method: 'PUT',
    path: '/api/admin/homework-rules',
    function: 'homeworkRulesPut',
    auth: 'official',
    summary: 'The admin replaces the rule set with a newer version',
    request: { body: RuleSetSchema },
    responses: { 200: RuleSetSchema },
    errors: [400, 401, 403, 409],
  },
  {
    method: 'GET',
    path: '/api/rectification/plans',
    function: 'planList',
    auth: 'official',
    summary: "A school's plans, newest first (supervisors: any school; a school administrator: its own)",
    request: { query: PlansQuery },
    responses: { 200: Plan.array() },
    errors: [400, 401, 403],
  },
  {
    method: 'POST',
    path: '/api/rectification/plans',
    function: 'planOpen',
    auth: 'official',
    summary: "A supervisor opens (or finds) a school's current plan",
    request: { body: PlansQuery },
    responses: { 200: Plan },
    errors: [400, 401, 403],
  },
  {
    method: 'GET',
    path: '/api/rectification/plans/{planId}',
    function: 'planGet',
    auth: 'official',
    summary: 'A plan with its items, their evidence (download links) and history',
    request: { path: PlanIdPath },
    responses: { 200: Plan },
    errors: [400, 401, 403, 404],
  },
  {
    method: 'POST',
    path: '/api/rectification/plans/{planId}/items',
    function: 'itemAdd',
    auth: 'official',
    summary: 'Add an item (a supervisor; or the school, for self-inspection)',
    request: { path: PlanIdPath, body: NewItemRequest },
    responses: { 201: Item },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'POST',
    path: '/api/rectification/items/{itemId}/evidence',
    function: 'itemEvidenceUpload',
    auth: 'official',
    summary: 'The school asks to upload an evidence file (image or PDF, at most 10 MB): answers a presigned URL',
    request: { path: ItemIdPath, body: EvidenceUploadRequest },
    responses: { 201: z.object({ fileId: z.string(), upload: z.object({ url: z.string(), method: z.literal('PUT'), headers: z.record(z.string(), z.string()), expiresAt: z.string() }) }) },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'POST',
    path: '/api/rectification/items/{itemId}/submit',
    function: 'itemSubmit',
    auth: 'official',
    summary: 'The school submits an item with its note and uploaded evidence',
    request: { path: ItemIdPath, body: SubmitRequest },
    responses: { 200: Item },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'POST',
    path: '/api/rectification/items/{itemId}/close',
    function: 'itemClose',
    auth: 'official',
    summary: 'A supervisor verifies and closes (销号) a submitted item; the plan closes with its last item',
    request: { path: ItemIdPath, body: CloseRequest },
    responses: { 200: Item },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'POST',
    path: '/api/rectification/items/{itemId}/return',
    function: 'itemReturn',
    auth: 'official',
    summary: 'A supervisor sends a submitted item back with a reason',
    request: { path: ItemIdPath, body: ReturnRequest },
    responses: { 200: Item },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'GET',
    path: '/api/rectification/overdue',
    function: 'ledgerOverdue',
    auth: 'official',
    summary: "The supervisor's escalation list: items past their due date, not closed",
    responses: { 200: Item.array() },
    errors: [401, 403],
  },
  {
    method: 'GET',
    path: '/api/rectification/export',
    function: 'ledgerExport',
    auth: 'official',
    summary: 'The ledger as a file (CSV or XLSX): one school or the district',
    request: { query: ExportQuery },
    responses: { 200: z.string() },
    errors: [400, 401, 403],
  },
  {
    method: 'GET',
    path: '/api/rectification/summary',
    function: 'ledgerSummary',
    auth: 'official',
    summary: 'District summary: plans open and closed, items by status, overdue by school',
    responses: { 200: z.looseObject({ plans: z.object({ open: z.number(), closed: z.number() }) }) },
    errors: [401, 403],
  },
  {
    method: 'GET',
    path: '/api/notifications',
    function: 'schoolNotifications',
    auth: 'official',
    summary: "A school administrator's notifications (overdue items), newest first",
    responses: { 200: z.array(z.looseObject({ message: z.string(), createdAt: z.string() })) },
    errors: [401, 403],
  },
  {
    method: 'GET',
    path: '/api/schools',
    function: 'schoolsList',
    auth: 'public',
    summary: 'Schools with their classes, grades and enrolment',
    responses: { 200: PublicSchool.array() },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/health',
    function: 'health',
    auth: 'public',
    summary: 'Ready once the API, the database and the workflow engine answer',
    responses: { 200: Health },
    errors: [503],
  },
  {
    method: 'GET',
    path: '/api/openapi.json',
    function: 'openapi',
    auth: 'public',
    summary: 'This API as an OpenAPI 3.1 document, generated from the route table and its zod schemas',
    responses: { 200: z.looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }) },
    errors: [],
  },
  {
    method: 'GET',
    path: '/api/me',
    function: 'whoami',
    auth: 'official',
    summary: "The signed-in official's identity: role and scope",
    responses: { 200: Official },
    errors: [401],
  },
  {
    method: 'POST',
    path: '/api/dev/login',
    function: 'devLogin',
    auth: 'public',
    localOnly: true,
    summary: 'One-machine mode only: a token for a seeded demo user',
    request: { body: DevLoginRequest },
    responses: { 200: DevLoginResponse },
    errors: [400, 404],
  },
];

export const cloudRoutes = routes.filter((r) => !r.localOnly);
