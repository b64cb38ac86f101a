/** Typed domain errors; the HTTP error handler maps each to its status and the API's error envelope. */
export interface FieldIssue {
  field: string;
  message: string;
  in?: 'body' | 'path' | 'query' | 'header';
}

export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  readonly details?: FieldIssue[];
  readonly headers?: Record<string, string>;
  constructor(message: string, details?: FieldIssue[], headers?: Record<string, string>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
    this.headers = headers;
  }
}

export class InvalidInputError extends DomainError {
  readonly statusCode = 400;
  readonly code = 'invalid_input';
}
export class UnauthorizedError extends DomainError {
  readonly statusCode = 401;
  readonly code = 'unauthorized';
}
export class ForbiddenError extends DomainError {
  readonly statusCode = 403;
  readonly code = 'forbidden';
}
/** A local account signed in with its one-time password: nothing but the password change until it is changed. */
export class PasswordChangeRequiredError extends DomainError {
  readonly statusCode = 403;
  readonly code = 'password_change_required';
}
export class NotFoundError extends DomainError {
  readonly statusCode = 404;
  readonly code = 'not_found';
}
export class ConflictError extends DomainError {
  readonly statusCode = 409;
  readonly code: string;
  constructor(message: string, code = 'conflict') {
    super(message);
    this.code = code;
  }
}
export class PayloadTooLargeError extends DomainError {
  readonly statusCode = 413;
  readonly code = 'payload_too_large';
}
export class UnsupportedMediaTypeError extends DomainError {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';
}
export class ServiceUnavailableError extends DomainError {
  readonly statusCode = 503;
  readonly code = 'service_unavailable';
}
export class TooManyRequestsError extends DomainError {
  readonly statusCode = 429;
  readonly code = 'too_many_requests';
  constructor(message: string, retryAfterSeconds: number) {
    super(message, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
