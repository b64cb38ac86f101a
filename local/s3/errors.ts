/** An S3 error answer: the HTTP status and the `<Error><Code>` the SDK maps to an exception. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra elements of the error document (S3 adds e.g. CanonicalRequest to SignatureDoesNotMatch). */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const escapeXml = (s: string): string =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

export function errorXml(err: S3Error, resource: string, requestId: string): string {
  const fields = { Code: err.code, Message: err.message, ...err.details, Resource: resource, RequestId: requestId };
  const body = Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${body}</Error>`;
}

export const badRequest = (code: string, message: string): S3Error => new S3Error(400, code, message);
export const forbidden = (code: string, message: string, details?: Record<string, string>): S3Error => new S3Error(403, code, message, details);
export const notImplemented = (message: string): S3Error => new S3Error(501, 'NotImplemented', message);
