/** The envelope's top-level codes and the HTTP status each one maps to. */
export const ERROR_STATUS = {
  VALIDATION: 400,
  AUTHN: 401,
  AUTHZ: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMIT: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * An error a use case raises on purpose. `reason` is the module's own code
 * (e.g. CATALOG_SKU_TAKEN) and travels in details so clients can branch on it.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    status?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status ?? ERROR_STATUS[code];
  }

  toEnvelope(): ErrorEnvelope {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export interface ValidationIssue {
  in: 'body' | 'querystring' | 'params' | 'headers';
  path: string;
  message: string;
}

export const validationError = (issues: ValidationIssue[], message = 'The request is not valid.') =>
  new AppError('VALIDATION', message, { issues });

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} was not found.`);
