/**
 * The one client of the platform's HTTP API (../shared/API.md): typed requests and answers, the error
 * envelope as an ApiError, the official's token from sessionStorage. Same origin unless VITE_API_URL.
 */

export const CATEGORIES = ['unlicensed_tutoring', 'licensed_violation', 'teacher_paid_tutoring', 'homework_burden', 'after_school_service', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const UNITS = ['group_1', 'group_2', 'group_3', 'group_4', 'school_supervision', 'teacher_conduct'] as const;
export type Unit = (typeof UNITS)[number];

export const DEPARTMENTS = ['education', 'public_security', 'market_regulation', 'civil_affairs', 'housing_construction', 'emergency_management'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export type PublicStatus = 'received' | 'accepted' | 'investigating' | 'joint_enforcement' | 'rectifying' | 'closed';

export interface ComplaintRequest {
  category: Category;
  description: string;
  subject: { institutionName?: string; address?: string; schoolName?: string; teacherName?: string };
  occurredOn?: string;
  contact?: { name?: string; phone?: string };
  anonymous?: boolean;
}
export interface Receipt {
  receiptNo: string;
  accessCode: string;
  status: PublicStatus;
}
export interface PublicCaseView {
  receiptNo: string;
  category: Category;
  status: PublicStatus;
  submittedAt: string;
  timeline: Array<{ at: string; status: PublicStatus; note?: string }>;
  outcome?: string;
}

export type TaskKind = 'accept_case' | 'investigate' | 'department_signoff' | 'reinspect';
export interface Task {
  taskId: string;
  kind: TaskKind;
  title: string;
  subjectId: string;
  status: 'open' | 'completed' | 'superseded';
  openedAt: string;
  dueAt: string;
  overdue: boolean;
  escalated: boolean;
  decisions: string[];
  assignee: { unit?: Unit; department?: Department; role: string };
}
export interface CompleteTaskRequest {
  decision: string;
  comment?: string;
  data?: Record<string, string | number | string[]>;
}

export interface AuditEvent {
  id: string;
  type: string;
  time: string;
  actor?: string;
  data?: Record<string, unknown>;
}
export interface OfficialCaseView {
  receiptNo: string;
  category: Category;
  status: PublicStatus;
  description: string;
  subject: ComplaintRequest['subject'];
  submittedAt: string;
  anonymous: boolean;
  unit?: Unit;
  overdue?: boolean;
  duplicates?: string[];
  contact?: { name?: string; phone?: string };
  auditTrail: AuditEvent[];
}

export interface SchoolClass {
  classId: string;
  grade: number;
  name: string;
  enrolled: number;
}
export interface School {
  schoolId: string;
  name: string;
  classes: SchoolClass[];
}

export type HomeworkKind = 'written' | 'reading' | 'exercise' | 'labour' | 'practice';
export interface HomeworkNotice {
  noticeId: string;
  schoolId: string;
  classId: string;
  grade: number;
  date: string;
  items: Array<{ subject: string; content: string; kind: HomeworkKind; minutes: number }>;
  writtenMinutes: number;
  totalMinutes: number;
  violations: Array<{ rule: string; ruleSet: string; message: string; items?: number[] }>;
  publishedAt: string;
}

export type ItemStatus = 'open' | 'submitted' | 'returned' | 'closed';
export interface Evidence {
  fileId: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedAt: string;
  downloadUrl?: string;
}
export interface RectificationItem {
  itemId: string;
  planId: string;
  schoolId: string;
  source: 'notice_violation' | 'self_inspection' | 'complaint_case' | 'survey_signal';
  sourceRef?: string;
  description: string;
  measure: string;
  owner: string;
  dueOn: string;
  status: ItemStatus;
  overdue: boolean;
  evidence: Evidence[];
  history: Array<{ at: string; action: string; by: string; note?: string }>;
  closedOn?: string;
  closedBy?: string;
}
export interface RectificationPlan {
  planId: string;
  schoolId: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt?: string;
  items: RectificationItem[];
}
export interface EvidenceSlot {
  fileId: string;
  upload: { url: string; method?: string; headers: Record<string, string> };
}

export interface CaseSummary {
  receiptNo: string;
  category: Category;
  status: PublicStatus;
  unit?: Unit;
  submittedAt: string;
  overdue: boolean;
  duplicateOf?: string;
}
export type CampaignStatus = 'scheduled' | 'open' | 'closed';
export interface CampaignListEntry {
  campaignId: string;
  title: string;
  status: CampaignStatus;
  createdAt: string;
  createdBy: string;
  classCount: number;
}
export interface CampaignListPage {
  items: CampaignListEntry[];
  cursor?: string;
}
export interface CaseQueuePage {
  items: CaseSummary[];
  cursor?: string;
}
export interface CaseQueueQuery {
  status?: PublicStatus;
  unit?: Unit;
  overdue?: boolean;
  limit?: number;
  cursor?: string;
}

export type CampaignSchedule = { opensAt: string; closesAt: string } | { cron: string; openForDays: number };
export interface Threshold {
  question: string;
  values: string[];
  moreThan: number;
  minResponses?: number;
  description?: string;
}
export interface CampaignRequest {
  title: string;
  form: SurveyForm;
  audience: { classIds: string[] };
  schedule: CampaignSchedule;
  thresholds: Threshold[];
}
export interface CampaignRound {
  round: number;
  opensAt: string;
  closesAt: string;
  status: 'open' | 'closed';
  formVersion: number;
  enrolled: number;
}
export interface Campaign {
  campaignId: string;
  title: string;
  status: 'scheduled' | 'open' | 'closed';
  formVersion: number;
  audience: { classIds: string[] };
  schedule: unknown;
  thresholds: Threshold[];
  rounds: CampaignRound[];
  nextOpensAt?: string;
}
export interface Tokens {
  round: number;
  classId: string;
  tokens: string[];
}
export type QuestionType = 'radiogroup' | 'checkbox' | 'dropdown' | 'boolean' | 'rating' | 'text' | 'comment';
export interface QuestionResult {
  type: QuestionType;
  title: string;
  answered: number;
  counts?: Record<string, number>;
  mean?: number | null;
  distribution?: Record<string, number>;
  trueRate?: number | null;
}
export interface CampaignResults {
  campaignId: string;
  round: number;
  status: 'open' | 'closed';
  formVersion: number;
  responses: number;
  enrolled: number;
  participationRate: number;
  questions: Record<string, QuestionResult>;
  byClass: Record<string, { responses: number; enrolled: number; participationRate: number }>;
}

export interface NewItemRequest {
  description: string;
  measure: string;
  owner: string;
  dueOn: string;
  source?: RectificationItem['source'];
  sourceRef?: string;
}
type ItemCounts = Record<ItemStatus, number>;
export interface DistrictSummary {
  generatedAt: string;
  plans: { open: number; closed: number };
  items: ItemCounts;
  overdueBySchool: Array<{ schoolId: string; name: string; overdue: number }>;
  schools: Array<{ schoolId: string; name: string; openPlanId?: string; items: ItemCounts; overdue: number }>;
}
export type ExportFormat = 'csv' | 'xlsx';

export const ROLES = ['admin', 'supervisor', 'group_officer', 'department_officer', 'school_admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Me {
  username: string;
  role: Role;
  /** Set by the console after a local sign-in with the one-time password: only its change is open. */
  mustChangePassword?: boolean;
  unit?: Unit;
  department?: Department;
  schoolId?: string;
}

/** GET /api/health: the platform's clock (which tests and demos may pin away from the real time) and what an operator must act on. */
export interface HealthWarning {
  code: string;
  year?: number;
  message: string;
}
export interface Health {
  status: string;
  now: string;
  warnings?: HealthWarning[];
}

export type CalendarSource = 'bundled' | 'admin' | 'missing';
/** One year of public holidays and make-up working days (调休), as SLAs count them. */
export interface CalendarYear {
  year: number;
  source: CalendarSource;
  holidays: string[];
  workdays: string[];
  updatedBy?: string;
  updatedAt?: string;
}
export interface CalendarRequest {
  holidays: string[];
  workdays: string[];
}

// Administration (API.md "Administration")
export type SchoolStage = 'primary' | 'junior' | 'nine_year';
export const SCHOOL_STAGES: SchoolStage[] = ['primary', 'junior', 'nine_year'];
export interface AdminSchool {
  schoolId: string;
  name: string;
  stage: SchoolStage;
  area: Unit;
  noHomeworkWeekdays: number[];
  classes: SchoolClass[];
}
export interface SchoolRequest {
  schoolId: string;
  name: string;
  stage: SchoolStage;
  area: Unit;
  noHomeworkWeekdays?: number[];
}
export type InstitutionStatus = 'licensed' | 'unlicensed' | 'revoked';
export const INSTITUTION_STATUSES: InstitutionStatus[] = ['licensed', 'unlicensed', 'revoked'];
export type InstitutionKind = 'subject' | 'non_subject';
export interface InstitutionRequest {
  name: string;
  address: string;
  area: Unit;
  kind: InstitutionKind;
  status: InstitutionStatus;
  licenceNo?: string;
  aliases?: string[];
}
export interface AdminInstitution extends InstitutionRequest {
  institutionId: string;
  aliases: string[];
}
export interface UserRequest {
  username: string;
  displayName: string;
  role: Role;
  unit?: Unit;
  department?: Department;
  schoolId?: string;
}
export interface AdminUser extends Partial<Pick<UserRequest, 'displayName'>>, Omit<UserRequest, 'displayName'> {
  disabled: boolean;
  createdAt?: string;
  /** Answered once, when the account is made on one machine. */
  initialPassword?: string;
}
export type OrgScope = 'units' | 'departments';
export interface OrgUnit {
  scope: OrgScope;
  code: string;
  name: string;
  head?: string;
  phone?: string;
  entered: boolean;
  updatedBy?: string;
  updatedAt?: string;
}
export interface Organisation {
  units: OrgUnit[];
  departments: OrgUnit[];
}
export type AuditSubject = 'school' | 'class' | 'institution' | 'user' | 'calendar' | 'unit' | 'department';
export const AUDIT_SUBJECTS: AuditSubject[] = ['school', 'class', 'institution', 'user', 'unit', 'department'];
export interface AuditRecord {
  about: AuditSubject;
  id: string;
  action: 'created' | 'updated' | 'disabled' | 'enabled';
  by: string;
  at: string;
  changes: Record<string, unknown>;
  import?: { importId: string; row: number };
}
export interface AuditPage {
  items: AuditRecord[];
  cursor?: string;
}
export type ImportKind = 'schools' | 'classes' | 'institutions' | 'users';
export const IMPORT_KINDS: ImportKind[] = ['schools', 'classes', 'institutions', 'users'];
export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  errors: Array<{ row: number; column: string; message: string }>;
  ignoredColumns: string[];
  accounts?: Array<{ username: string; initialPassword: string }>;
}

/** A SurveyJS JSON form, passed to survey-core as it is. */
export type SurveyForm = Record<string, unknown>;
export interface OpenSurvey {
  campaignId: string;
  form: SurveyForm;
}
export type SurveyAnswers = Record<string, unknown>;

export interface ErrorDetail {
  field: string;
  message: string;
  in?: string;
}

/** A non-2xx answer in the API's envelope (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
  /** Field path → first message, for field-level display. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) if (!(d.field in out)) out[d.field] = d.message;
    return out;
  }
}

interface ErrorEnvelope {
  error?: { code?: string; message?: string; details?: ErrorDetail[] };
  message?: string;
}

const BASE: string = (import.meta.env.VITE_API_URL as string | undefined)?.replace(/\/$/, '') ?? '';
const SESSION_KEY = 'dr.official';

export interface Session {
  username: string;
  token: string;
  /** One-machine sessions: gets the next ID token when this one expires (POST /api/auth/refresh). */
  refreshToken?: string;
}

/** POST /api/auth/login, /refresh, /password and /api/dev/login answer a session. */
export interface SessionTokens {
  token: string;
  refreshToken: string;
  expiresIn: number;
  mustChangePassword: boolean;
}

export const session = {
  get(): Session | undefined {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<Session>;
      return typeof parsed.token === 'string' && typeof parsed.username === 'string'
        ? { username: parsed.username, token: parsed.token, ...(typeof parsed.refreshToken === 'string' ? { refreshToken: parsed.refreshToken } : {}) }
        : undefined;
    } catch {
      return undefined;
    }
  },
  set(s: Session): void {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  },
  clear(): void {
    sessionStorage.removeItem(SESSION_KEY);
  },
};

interface RequestOptions {
  body?: unknown;
  /** A file sent as it is (the import's CSV or XLSX), instead of a JSON body. */
  file?: Blob;
  /** A 401 is final (the refresh itself, sign-in). */
  noRefresh?: boolean;
  headers?: Record<string, string>;
  auth?: boolean;
}

/** One refresh at a time: parallel requests that all met an expired token wait for the same new one. */
let refreshing: Promise<boolean> | undefined;
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const s = session.get();
    if (!s?.refreshToken) return false;
    try {
      const next = await request<SessionTokens>('POST', '/api/auth/refresh', { body: { refreshToken: s.refreshToken }, noRefresh: true });
      session.set({ username: s.username, token: next.token, refreshToken: next.refreshToken });
      return true;
    } catch {
      return false;
    }
  })().finally(() => (refreshing = undefined));
  return refreshing;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  try {
    return await send<T>(method, path, opts);
  } catch (e) {
    // An expired ID token of a one-machine session: once more with the next one.
    if (e instanceof ApiError && e.status === 401 && opts.auth && !opts.noRefresh && (await refreshSession())) return send<T>(method, path, opts);
    throw e;
  }
}

async function send<T>(method: string, path: string, opts: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.file) headers['content-type'] = opts.file.type || 'application/octet-stream';
  if (opts.auth) {
    const s = session.get();
    if (s) headers.authorization = `Bearer ${s.token}`;
  }
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, { method, headers, body: opts.file ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const env = (json ?? {}) as ErrorEnvelope;
    throw new ApiError(res.status, env.error?.code ?? String(res.status), env.error?.message ?? env.message ?? res.statusText, env.error?.details ?? []);
  }
  return json as T;
}

const q = (params: Record<string, string | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) s.set(k, v);
  const str = s.toString();
  return str ? `?${str}` : '';
};
const seg = encodeURIComponent;

/** Browsers set these themselves; a presigned PUT lists them but fetch may not send them. */
const FORBIDDEN_HEADERS = new Set(['content-length', 'host', 'connection']);

/** The file name of a Content-Disposition header (RFC 6266 filename* first), if any. */
function dispositionName(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1];
}

/**
 * Downloads an authenticated file: a plain link cannot carry the bearer token, so fetch it with the
 * Authorization header (following a 303 to the bucket, which drops the header across origins), then
 * hand the blob to the browser as a download.
 */
async function downloadFile(path: string, fallbackName: string): Promise<string> {
  const headers: Record<string, string> = {};
  const s = session.get();
  if (s) headers.authorization = `Bearer ${s.token}`;
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, { headers, redirect: 'follow' });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (!res.ok) {
    let env: ErrorEnvelope = {};
    try {
      env = (await res.json()) as ErrorEnvelope;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, env.error?.code ?? String(res.status), env.error?.message ?? env.message ?? res.statusText, env.error?.details ?? []);
  }
  const blob = await res.blob();
  const urlName = decodeURIComponent(new URL(res.url, window.location.href).pathname.split('/').pop() ?? '');
  const fileName = dispositionName(res.headers.get('content-disposition')) ?? (/\.(csv|xlsx)$/i.test(urlName) ? urlName : fallbackName);
  const objectUrl = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = objectUrl;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
  return fileName;
}

/** A fresh Idempotency-Key: one per request a user means once (a complaint, a decision), kept across its retries. */
export const newIdempotencyKey = (): string => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

export const api = {
  health: () => request<Health>('GET', '/api/health'),
  calendar: (year: number) => request<CalendarYear>('GET', `/api/calendar/${year}`),

  // citizens
  fileComplaint: (body: ComplaintRequest, idempotencyKey: string) =>
    request<Receipt>('POST', '/api/complaints', { body, headers: { 'idempotency-key': idempotencyKey } }),
  trackComplaint: (receiptNo: string, accessCode: string) =>
    request<PublicCaseView>('GET', `/api/complaints/${seg(receiptNo)}`, { headers: { 'x-access-code': accessCode } }),
  rateComplaint: (receiptNo: string, accessCode: string, body: { score: number; comment?: string }) =>
    request<unknown>('POST', `/api/complaints/${seg(receiptNo)}/rating`, { body, headers: { 'x-access-code': accessCode } }),
  survey: (campaignId: string) => request<OpenSurvey>('GET', `/api/surveys/${seg(campaignId)}`),
  answerSurvey: (campaignId: string, token: string, answers: SurveyAnswers) =>
    request<unknown>('POST', `/api/surveys/${seg(campaignId)}/responses`, { body: { token, answers } }),
  schools: () => request<School[]>('GET', '/api/schools'),
  notices: (schoolId: string, date: string, classId?: string) => request<HomeworkNotice[]>('GET', `/api/homework/notices${q({ schoolId, date, classId })}`),

  // officials
  devLogin: (username: string) => request<SessionTokens>('POST', '/api/dev/login', { body: { username } }),
  login: (username: string, password: string) => request<SessionTokens>('POST', '/api/auth/login', { body: { username, password }, noRefresh: true }),
  changePassword: (currentPassword: string, newPassword: string) => request<SessionTokens>('POST', '/api/auth/password', { body: { currentPassword, newPassword }, auth: true }),
  logout: () => request<undefined>('POST', '/api/auth/logout', { auth: true, noRefresh: true }),
  me: () => request<Me>('GET', '/api/me', { auth: true }),
  tasks: () => request<Task[]>('GET', '/api/tasks', { auth: true }),
  /** The same key for every retry of one decision: a retry after a lost answer gets the first answer, not a 409. */
  completeTask: (taskId: string, body: CompleteTaskRequest, idempotencyKey: string) =>
    request<Task>('POST', `/api/tasks/${seg(taskId)}/complete`, { body, auth: true, headers: { 'idempotency-key': idempotencyKey } }),
  caseDetail: (receiptNo: string) => request<OfficialCaseView>('GET', `/api/cases/${seg(receiptNo)}`, { auth: true }),
  caseQueue: (query: CaseQueueQuery) =>
    request<CaseQueuePage>(
      'GET',
      `/api/cases${q({ status: query.status, unit: query.unit, overdue: query.overdue ? 'true' : undefined, limit: query.limit ? String(query.limit) : undefined, cursor: query.cursor })}`,
      { auth: true },
    ),
  createCampaign: (body: CampaignRequest) => request<Campaign>('POST', '/api/campaigns', { body, auth: true }),
  campaigns: (query: { status?: CampaignStatus; cursor?: string; limit?: number }) =>
    request<CampaignListPage>('GET', `/api/campaigns${q({ status: query.status, cursor: query.cursor, limit: query.limit ? String(query.limit) : undefined })}`, { auth: true }),
  campaign: (campaignId: string) => request<Campaign>('GET', `/api/campaigns/${seg(campaignId)}`, { auth: true }),
  issueTokens: (campaignId: string, body: { classId: string; count: number }) =>
    request<Tokens>('POST', `/api/campaigns/${seg(campaignId)}/tokens`, { body, auth: true }),
  campaignResults: (campaignId: string, round?: number) =>
    request<CampaignResults>('GET', `/api/campaigns/${seg(campaignId)}/results${q({ round: round ? String(round) : undefined })}`, { auth: true }),
  exportCampaign: (campaignId: string, format: ExportFormat, round?: number) =>
    downloadFile(`/api/campaigns/${seg(campaignId)}/export${q({ format, round: round ? String(round) : undefined })}`, `${campaignId}.${format}`),
  putCalendar: (year: number, body: CalendarRequest) => request<CalendarYear>('PUT', `/api/admin/calendar/${year}`, { body, auth: true }),

  // the admin
  adminSchools: () => request<AdminSchool[]>('GET', '/api/admin/schools', { auth: true }),
  createSchool: (body: SchoolRequest) => request<AdminSchool>('POST', '/api/admin/schools', { body, auth: true }),
  updateSchool: (schoolId: string, body: Partial<Omit<SchoolRequest, 'schoolId'>>) => request<AdminSchool>('PUT', `/api/admin/schools/${seg(schoolId)}`, { body, auth: true }),
  createClass: (schoolId: string, body: SchoolClass) => request<SchoolClass>('POST', `/api/admin/schools/${seg(schoolId)}/classes`, { body, auth: true }),
  updateClass: (schoolId: string, classId: string, body: Partial<Omit<SchoolClass, 'classId'>>) =>
    request<SchoolClass>('PUT', `/api/admin/schools/${seg(schoolId)}/classes/${seg(classId)}`, { body, auth: true }),
  adminInstitutions: (query: { status?: InstitutionStatus; q?: string }) => request<AdminInstitution[]>('GET', `/api/admin/institutions${q(query)}`, { auth: true }),
  createInstitution: (body: InstitutionRequest) => request<AdminInstitution>('POST', '/api/admin/institutions', { body, auth: true }),
  updateInstitution: (institutionId: string, body: Partial<InstitutionRequest>) => request<AdminInstitution>('PUT', `/api/admin/institutions/${seg(institutionId)}`, { body, auth: true }),
  adminUsers: () => request<AdminUser[]>('GET', '/api/admin/users', { auth: true }),
  createUser: (body: UserRequest) => request<AdminUser>('POST', '/api/admin/users', { body, auth: true }),
  updateUser: (username: string, body: Omit<UserRequest, 'username'>) => request<AdminUser>('PUT', `/api/admin/users/${seg(username)}`, { body, auth: true }),
  disableUser: (username: string) => request<AdminUser>('POST', `/api/admin/users/${seg(username)}/disable`, { auth: true }),
  enableUser: (username: string) => request<AdminUser>('POST', `/api/admin/users/${seg(username)}/enable`, { auth: true }),
  organisation: () => request<Organisation>('GET', '/api/admin/organisation', { auth: true }),
  putOrgUnit: (scope: OrgScope, code: string, body: { name: string; head?: string; phone?: string }) =>
    request<OrgUnit>('PUT', `/api/admin/organisation/${scope}/${seg(code)}`, { body, auth: true }),
  audit: (query: { about?: AuditSubject; id?: string; cursor?: string; limit?: number }) =>
    request<AuditPage>('GET', `/api/admin/audit${q({ about: query.about, id: query.id, cursor: query.cursor, limit: query.limit ? String(query.limit) : undefined })}`, { auth: true }),
  importSheet: (kind: ImportKind, file: File, dryRun: boolean) =>
    request<ImportReport>('POST', `/api/admin/import${q({ kind, dryRun: dryRun ? 'true' : undefined })}`, { file, auth: true }),

  overdueItems: () => request<RectificationItem[]>('GET', '/api/rectification/overdue', { auth: true }),
  ledgerSummary: () => request<DistrictSummary>('GET', '/api/rectification/summary', { auth: true }),
  addItem: (planId: string, body: NewItemRequest) => request<RectificationItem>('POST', `/api/rectification/plans/${seg(planId)}/items`, { body, auth: true }),
  exportLedger: (format: ExportFormat, schoolId?: string) => downloadFile(`/api/rectification/export${q({ format, schoolId })}`, `ledger${schoolId ? `-${schoolId}` : ''}.${format}`),
  plans: (schoolId: string) => request<RectificationPlan[]>('GET', `/api/rectification/plans${q({ schoolId })}`, { auth: true }),
  evidenceSlot: (itemId: string, file: { fileName: string; contentType: string; size: number }) =>
    request<EvidenceSlot>('POST', `/api/rectification/items/${seg(itemId)}/evidence`, { body: file, auth: true }),
  submitItem: (itemId: string, body: { note: string; evidence: string[] }) =>
    request<RectificationItem>('POST', `/api/rectification/items/${seg(itemId)}/submit`, { body, auth: true }),
  closeItem: (itemId: string, note?: string) =>
    request<RectificationItem>('POST', `/api/rectification/items/${seg(itemId)}/close`, { body: note ? { note } : {}, auth: true }),
  returnItem: (itemId: string, reason: string) =>
    request<RectificationItem>('POST', `/api/rectification/items/${seg(itemId)}/return`, { body: { reason }, auth: true }),

  /** Uploads a file straight to the bucket with a presigned PUT; answers its file id. */
  async uploadEvidence(itemId: string, file: File): Promise<string> {
    const slot = await api.evidenceSlot(itemId, { fileName: file.name, contentType: file.type, size: file.size });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(slot.upload.headers ?? {})) if (!FORBIDDEN_HEADERS.has(k.toLowerCase())) headers[k] = v;
    let res: Response;
    try {
      res = await fetch(slot.upload.url, { method: slot.upload.method ?? 'PUT', headers, body: file });
    } catch {
      throw new ApiError(0, 'network', 'network');
    }
    if (!res.ok) throw new ApiError(res.status, 'upload_failed', `upload ${res.status}`);
    return slot.fileId;
  },
};
