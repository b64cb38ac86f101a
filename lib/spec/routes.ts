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
