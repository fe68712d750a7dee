/**
 * The JSON-RPC 2.0 envelope around every message. The daemon checks each request line before any
 * method is dispatched: the line parses, a batch is neither empty nor too large, each request has
 * `jsonrpc: "2.0"`, a method string, an id that survives the round trip and params that are an
 * object or an array; faults are answered here with the standard codes, and what passes goes to the
 * dispatcher. Clients read the daemon's lines back as responses or notifications (readIncoming).
 */
import { JSONRPC_CODES, type WireError } from './error-codes.js';

/** Requests in one batch line at most. */
export const MAX_BATCH = 100;

export type RequestId = string | number | null;

/** A request whose envelope is sound; `params` is still unchecked for its method. */
export interface EnvelopeRequest {
  jsonrpc: '2.0';
  method: string;
  /** absent for a notification, which gets no answer */
  id?: RequestId;
  params?: object;
}

export interface ErrorResponse {
  jsonrpc: '2.0';
  id: RequestId;
  error: WireError;
}

export interface SuccessResponse {
  jsonrpc: '2.0';
  id: RequestId;
  result: unknown;
}

export type Response = SuccessResponse | ErrorResponse;

/** What answers one sound request: its response, or null for a notification. */
export type Dispatch = (request: EnvelopeRequest) => PromiseLike<Response | null>;

/** An error answer; `data` is left out when there is none. */
export function errorResponse(id: RequestId, code: number, message: string, data?: WireError['data']): ErrorResponse {
  const error: WireError = { code, message };
  if (data != null) error.data = data;
  return { jsonrpc: '2.0', id, error };
}

/** The answer to a line longer than the connection's limit, just before the connection closes. */
export function lineTooLongResponse(limit: number): ErrorResponse {
  return errorResponse(null, JSONRPC_CODES.invalidRequest, `message too large (limit ${limit} bytes)`);
}

/**
 * Answers one line: a single request, or a batch whose answers come back as one array (no array
 * when every request of the batch was a notification). Null: nothing to send.
 */
export async function answerLine(line: string, dispatch: Dispatch): Promise<Response | Response[] | null> {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return errorResponse(null, JSONRPC_CODES.parseError, 'Parse error');
  }
  if (!Array.isArray(msg)) return answerOne(msg, dispatch);
  const fault = batchFault(msg);
  if (fault) return fault;
  const answers = await Promise.all(msg.map((m: unknown) => answerOne(m, dispatch)));
  const responses = answers.filter((r): r is Response => r !== null);
  return responses.length > 0 ? responses : null;
}

function batchFault(batch: unknown[]): ErrorResponse | null {
  if (batch.length === 0) return errorResponse(null, JSONRPC_CODES.invalidRequest, 'Invalid Request: empty batch');
  if (batch.length > MAX_BATCH)
    return errorResponse(null, JSONRPC_CODES.invalidRequest, `Invalid Request: batch larger than ${MAX_BATCH}`);
  return null;
}

function answerOne(msg: unknown, dispatch: Dispatch): PromiseLike<Response | null> {
  const checked = checkRequest(msg);
  return checked.ok ? dispatch(checked.request) : Promise.resolve(checked.response);
}

export type Checked = { ok: true; request: EnvelopeRequest } | { ok: false; response: ErrorResponse };

/** The request itself when its envelope is sound, else the error answer for it. */
export function checkRequest(msg: unknown): Checked {
  const response = envelopeFault(msg);
  return response ? { ok: false, response } : { ok: true, request: msg as EnvelopeRequest };
}

function envelopeFault(msg: unknown): ErrorResponse | null {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    return errorResponse(null, JSONRPC_CODES.invalidRequest, 'Invalid Request');
  }
  const req = msg as Record<string, unknown>;
  // An id is echoed back as given: one that does not survive the round trip (2^53+1, 1e999 read
  // as Infinity, 1.5) would answer a request the caller never made.
  const id = typeof req['id'] === 'string' || Number.isSafeInteger(req['id']) ? (req['id'] as string | number) : null;
  if (req['id'] !== undefined && req['id'] !== null && id === null) {
    return errorResponse(
      null,
      JSONRPC_CODES.invalidRequest,
      'Invalid Request: id must be a string, a safe integer or null',
    );
  }
  if (req['jsonrpc'] !== '2.0' || typeof req['method'] !== 'string') {
    return errorResponse(
      id,
      JSONRPC_CODES.invalidRequest,
      'Invalid Request: jsonrpc must be "2.0" and method a string',
    );
  }
  if (req['params'] !== undefined && (typeof req['params'] !== 'object' || req['params'] === null)) {
    return errorResponse(id, JSONRPC_CODES.invalidParams, 'Invalid params: must be an object or array', {
      kind: 'invalid_argument',
    });
  }
  return null;
}

/** A line from the daemon: a notification (a method and no id) or a response to a request. */
export type Incoming =
  { kind: 'notification'; method: string; params: unknown } | { kind: 'response'; message: Record<string, unknown> };

/** Reads one line from the daemon; null for a blank line or one that is not a JSON object. */
export function readIncoming(line: string): Incoming | null {
  if (line.trim() === '') return null;
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as Record<string, unknown>;
  if (typeof m['method'] === 'string' && m['id'] === undefined) {
    return { kind: 'notification', method: m['method'], params: m['params'] };
  }
  return { kind: 'response', message: m };
}
