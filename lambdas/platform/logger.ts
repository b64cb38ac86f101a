/**
 * Structured JSON logs to stdout (CloudWatch in AWS). Never pass request bodies: complaint texts and
 * contact data are personal. As a second line of defence, values under personal keys are redacted and
 * anything that looks like a mainland mobile number is masked.
 */
const PERSONAL_KEYS = /^(phone|contact|name|accesscode|access_code|x-access-code|authorization|token|description|password)$/i;
// Also with the country code (+86 / 86 / 0086) and written in groups (138-0013-8000, 138 0013 8000),
// as SDK error messages and user input may carry it.
const MOBILE = /(?<!\d)(?:(?:\+|00)?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g;

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return value.replace(MOBILE, '1**********');
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: scrub(value.message, depth + 1), stack: value.stack?.replace(MOBILE, '1**********') };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = PERSONAL_KEYS.test(k) ? '[redacted]' : scrub(v, depth + 1);
    return out;
  }
  return value;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const quiet = process.env.LOG_LEVEL === 'silent';

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (quiet) return;
  const line = JSON.stringify({ level, time: new Date().toISOString(), message: scrub(message), ...(fields ? (scrub(fields) as object) : {}) });
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n');
  else process.stdout.write(line + '\n');
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => (process.env.LOG_LEVEL === 'debug' ? write('debug', m, f) : undefined),
  info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => write('error', m, f),
};
