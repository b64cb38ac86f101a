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

export interface Me {
  username: string;
  role: 'admin' | 'supervisor' | 'group_officer' | 'department_officer' | 'school_admin';
  unit?: Unit;
  department?: Department;
  schoolId?: string;
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
}

export const session = {
  get(): Session | undefined {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<Session>;
      return typeof parsed.token === 'string' && typeof parsed.username === 'string' ? { username: parsed.username, token: parsed.token } : undefined;
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
  headers?: Record<string, string>;
  auth?: boolean;
}

async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.auth) {
    const s = session.get();
    if (s) headers.authorization = `Bearer ${s.token}`;
  }
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
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

export const api = {
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
  devLogin: (username: string) => request<{ token: string }>('POST', '/api/dev/login', { body: { username } }),
  me: () => request<Me>('GET', '/api/me', { auth: true }),
  tasks: () => request<Task[]>('GET', '/api/tasks', { auth: true }),
  completeTask: (taskId: string, body: CompleteTaskRequest) => request<Task>('POST', `/api/tasks/${seg(taskId)}/complete`, { body, auth: true }),
  caseDetail: (receiptNo: string) => request<OfficialCaseView>('GET', `/api/cases/${seg(receiptNo)}`, { auth: true }),
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
