export type AppErrorCode =
  'not_found' | 'invalid_argument' | 'conflict' | 'unavailable' | 'illegal_transition' | 'internal';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function notFound(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('not_found', message, details);
}
export function invalidArgument(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('invalid_argument', message, details);
}
export function conflict(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('conflict', message, details);
}

export function getErrorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

export function isNodeError(e: unknown): e is Error & { code?: string; errno?: number } {
  return e instanceof Error && 'code' in e;
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
