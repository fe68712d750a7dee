import { AppError, type AppErrorCode } from '../core/errors.js';

/** Standard JSON-RPC 2.0 codes for protocol faults. */
export const JSONRPC_CODES = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

/** Application codes live outside the reserved -32768..-32000 range. */
export const APP_CODES: Record<AppErrorCode, number> = {
  not_found: -31001,
  invalid_argument: -31002,
  conflict: -31003,
  unavailable: -31004,
  illegal_transition: -31005,
  internal: -31099,
};

export interface WireError {
  code: number;
  message: string;
  data?: { kind: string; [k: string]: unknown };
}

export function appErrorToWire(e: AppError): WireError {
  return {
    code: e.code === 'invalid_argument' ? JSONRPC_CODES.invalidParams : APP_CODES[e.code],
    message: e.message,
    data: { ...(e.details ?? {}), kind: e.code },
  };
}

const KINDS = new Set<string>(Object.keys(APP_CODES));

/** Rebuilds an AppError on the client side from a wire error. */
export function wireToAppError(err: { code: number; message: string; data?: unknown }): AppError {
  const data = (err.data ?? {}) as Record<string, unknown>;
  const kind = typeof data['kind'] === 'string' && KINDS.has(data['kind']) ? (data['kind'] as AppErrorCode) : null;
  const code: AppErrorCode =
    kind ??
    (err.code === JSONRPC_CODES.invalidParams
      ? 'invalid_argument'
      : err.code === JSONRPC_CODES.methodNotFound
        ? 'not_found'
        : 'internal');
  const details: Record<string, unknown> = { ...data, rpcCode: err.code };
  delete details['kind'];
  return new AppError(code, err.message, details);
}
