/**
 * The abuse limits of the public routes, one source for the handlers (lambdas/platform/rate-limit.ts),
 * the route table (429 in `errors`), the OpenAPI document and SECURITY.md. The same counters run in AWS
 * and on one machine: they live in the `limits` table, so every Lambda container and every local
 * process shares them. The stage throttle and the WAF rate rule (lib/constructs) sit in front in AWS.
 */
export interface ClientLimit {
  /** Requests one client may make in one window (fixed windows, counted in DynamoDB). */
  perWindow: number;
  windowSeconds: number;
  /** Overrides perWindow when set (tests, or a district behind one school NAT that needs more). */
  envVar: string;
  purpose: string;
}

export interface FailureCap {
  /** Wrong attempts allowed per subject in each window; the tightest window that is full answers 429. */
  windows: Array<{ failures: number; windowSeconds: number }>;
  /** The counters' key prefix in the limits table. */
  keyPrefix: string;
  /** What the 429 says. */
  refusal: string;
  purpose: string;
}

export const clientLimits = {
  publicWrites: {
    perWindow: 20,
    windowSeconds: 60,
    envVar: 'PUBLIC_WRITES_PER_MINUTE',
    purpose: 'anonymous POSTs (complaints, ratings, survey answers) per client address and minute',
  },
  accessCodeChecks: {
    perWindow: 60,
    windowSeconds: 60,
    envVar: 'ACCESS_CODE_CHECKS_PER_MINUTE',
    purpose: 'tracking reads (receipt number + access code) per client address and minute',
  },
} satisfies Record<string, ClientLimit>;

export type ClientLimitName = keyof typeof clientLimits;

export const failureCaps = {
  accessCode: {
    // A citizen mistyping a 12-character code a few times is fine; a guesser gets 5 tries per quarter
    // hour and 20 per day for one receipt number, from any number of addresses.
    windows: [
      { failures: 5, windowSeconds: 15 * 60 },
      { failures: 20, windowSeconds: 24 * 3600 },
    ],
    keyPrefix: 'ACCESS',
    refusal: 'Too many wrong access codes for this receipt number: please wait and try again',
    purpose: 'wrong access codes per receipt number, whoever sends them',
  },
  signIn: {
    // One machine's local accounts (POST /api/auth/login; Cognito has its own in AWS): an official who
    // mistypes twice is fine; a guesser gets 5 passwords per account and quarter hour, 20 a day, from any
    // number of addresses. Counted per account, not per address: a school's officials share one NAT.
    windows: [
      { failures: 5, windowSeconds: 15 * 60 },
      { failures: 20, windowSeconds: 24 * 3600 },
    ],
    keyPrefix: 'SIGNIN',
    refusal: 'Too many failed sign-ins for this account: wait a quarter of an hour, or ask the administrator',
    purpose: 'wrong passwords per username (locked for the rest of the window), whoever sends them',
  },
} satisfies Record<string, FailureCap>;
