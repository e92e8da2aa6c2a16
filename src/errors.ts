/**
 * Failures the user can act on. Every message says what happened and what to do next;
 * `code` lets callers (CLI, Discord boundary) branch without parsing text.
 */
export type NewsdeskErrorCode =
  | 'CONFIG_INVALID'
  | 'DECODE_FAILED'
  | 'FILE_TOO_LARGE'
  | 'FILE_BINARY'
  | 'FILE_EMPTY'
  | 'PARSE_FAILED'
  | 'UNSUPPORTED_FORMAT'
  | 'INDEX_CORRUPT'
  | 'STORE_FAILED'
  | 'STORE_DAMAGED'
  | 'NOT_FOUND';

export class NewsdeskError extends Error {
  readonly code: NewsdeskErrorCode;
  constructor(code: NewsdeskErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NewsdeskError';
    this.code = code;
  }
}

export function isNewsdeskError(error: unknown, code?: NewsdeskErrorCode): error is NewsdeskError {
  return error instanceof NewsdeskError && (code === undefined || error.code === code);
}

/** A short, log-safe description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
