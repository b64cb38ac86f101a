/** A small typed client of the platform's HTTP API for end-to-end tests: what a front end would do. */
/** A JSON answer, read loosely: tests assert its shape with expect(). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface Receipt {
  receiptNo: string;
  accessCode: string;
  status: string;
}
export interface TaskView {
  taskId: string;
  kind: string;
  title: string;
  subjectId: string;
  status: string;
  dueAt: string;
  overdue: boolean;
  escalated: boolean;
  decisions: string[];
  assignee: { unit?: string; department?: string; role: string };
}
export interface PublicView {
  receiptNo: string;
  status: string;
  timeline: Array<{ at: string; status: string; note?: string }>;
  outcome?: string;
}

export class ApiClient {
  private tokens = new Map<string, string>();
  constructor(public url: string) {}

  /** After a restart the platform listens elsewhere, and its tokens name the old address as issuer. */
  moveTo(url: string): void {
    this.url = url;
    this.tokens.clear();
  }

  async call(method: string, path: string, opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Json; headers: Record<string, string> }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json, headers: Object.fromEntries(res.headers) };
  }

  async token(username: string): Promise<string> {
    let t = this.tokens.get(username);
    if (!t) {
      const res = await this.call('POST', '/api/dev/login', { body: { username } });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
      t = res.body.token as string;
      this.tokens.set(username, t);
    }
    return t;
  }

  async as(username: string, method: string, path: string, body?: unknown) {
    return this.call(method, path, { body, token: await this.token(username) });
  }

  async file(complaint: unknown): Promise<Receipt> {
    const res = await this.call('POST', '/api/complaints', { body: complaint });
    if (res.status !== 201) throw new Error(`file: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Receipt;
  }

  async track(r: Receipt): Promise<PublicView> {
    const res = await this.call('GET', `/api/complaints/${r.receiptNo}`, { headers: { 'x-access-code': r.accessCode } });
    if (res.status !== 200) throw new Error(`track: ${res.status}`);
    return res.body as PublicView;
  }

  async tasks(username: string): Promise<TaskView[]> {
    const res = await this.as(username, 'GET', '/api/tasks');
    if (res.status !== 200) throw new Error(`tasks ${username}: ${res.status}`);
    return res.body as TaskView[];
  }

  /** Waits until `username` has an open task of that kind for that case. */
  async taskFor(username: string, kind: string, receiptNo: string, ms = 20_000): Promise<TaskView> {
    const deadline = Date.now() + ms;
    for (;;) {
      const task = (await this.tasks(username)).find((t) => t.kind === kind && t.subjectId === receiptNo);
      if (task) return task;
      if (Date.now() > deadline) throw new Error(`${username} got no ${kind} task for ${receiptNo} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** `idempotencyKey`: the same for every retry of one decision, so a retry gets the first answer. */
  async complete(username: string, taskId: string, body: unknown, idempotencyKey?: string) {
    return this.call('POST', `/api/tasks/${taskId}/complete`, { body, token: await this.token(username), ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}) });
  }

  async until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`condition not reached within ${ms} ms: ${JSON.stringify(v).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  async advanceClock(ms: number) {
    const res = await this.call('POST', '/_local/clock', { body: { advanceMs: ms } });
    if (res.status !== 200) throw new Error(`clock: ${res.status}`);
    return res.body as { now: string };
  }

  async runSchedule(name: string) {
    const res = await this.call('POST', `/_local/schedules/${name}`);
    if (res.status !== 200) throw new Error(`schedule ${name}: ${res.status}`);
    return res.body.result as unknown;
  }
}
