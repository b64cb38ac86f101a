/**
 * The security headers of every API answer, in one place: the handler adapter sets them on each
 * function's response (so they hold whichever way the API is reached: CloudFront, the execute-api URL, the
 * one-machine gateway), the local gateway on its own answers (404, 413 …), and CloudFront's response headers
 * policy on /api/* (answers API Gateway makes itself, e.g. the JWT authorizer's 401).
 * An API answer is JSON, never a page: nothing may load, frame or sniff it.
 */
export const API_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-site',
} as const;
