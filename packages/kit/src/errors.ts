/**
 * The one error type domain code throws. It carries a stable `code` (`AREA.WHAT`), the HTTP
 * status it maps to, and an optional cause; the kit's HTTP error handler turns it into an
 * RFC 9457 problem+json body. Domain code never imports HTTP classes: the status is data.
 */
export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  detail?: string;
  errors?: FieldError[];
  cause?: unknown;
  /** Extra response headers, for the few errors that need one (`Retry-After` on 429). */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, code: string, title: string, options: AppErrorOptions = {}) {
    super(title, { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** Shorthands for the statuses API.md uses, so call sites read as the contract does. */
export const errors = {
  badRequest: (code: string, title: string, options?: AppErrorOptions) => new AppError(400, code, title, options),
  unauthorized: (code: string, title: string, options?: AppErrorOptions) => new AppError(401, code, title, options),
  forbidden: (code: string, title: string, options?: AppErrorOptions) => new AppError(403, code, title, options),
  notFound: (code: string, title: string, options?: AppErrorOptions) => new AppError(404, code, title, options),
  conflict: (code: string, title: string, options?: AppErrorOptions) => new AppError(409, code, title, options),
  tooLarge: (code: string, title: string, options?: AppErrorOptions) => new AppError(413, code, title, options),
  unsupportedMediaType: (code: string, title: string, options?: AppErrorOptions) => new AppError(415, code, title, options),
  unprocessable: (code: string, title: string, options?: AppErrorOptions) => new AppError(422, code, title, options),
  tooManyRequests: (code: string, title: string, options?: AppErrorOptions) => new AppError(429, code, title, options),
  unavailable: (code: string, title: string, options?: AppErrorOptions) => new AppError(503, code, title, options),
};
