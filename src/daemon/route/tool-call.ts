/**
 * One run of a registered tool for a `route` request: the request as one JSON line on stdin, the
 * pinned executable with its registered arguments, the tool's timeout and output cap; the outcome read
 * by `interpret` (tool-output.ts). A tool that cannot run (its file is gone or not executable) is a
 * failed run that never started.
 */
import { stringListOf } from '../../core/json-value.js';
import { estimateTokensFromBytes } from '../../core/learning/savings.js';
import type { RouteParams, RouteToolResult } from '../../rpc/protocol.js';
import type { RoutableRow } from '../store/tools-repo.js';
import type { RoutedCall } from './route-savings.js';
import { interpret } from './tool-output.js';
import type { ToolRunner } from './tool-runner.js';

const STORED_INPUT_CHARS = 8192;

/** What one run of a registered tool gave. */
export interface ToolCall {
  ok: boolean;
  /** why the run failed; null on success */
  failure: string | null;
  result: RouteToolResult;
  /** bytes the tool wrote */
  bytes: number;
}

/** A finished run of a registered tool, as it is recorded. */
export interface RunRecord {
  request: string;
  cwd: string;
  startedAt: Date;
  endedAt: Date;
  call: ToolCall;
  toolTokens: number;
}

/** The request line written to the tool's stdin. */
export function toolRequest(p: RouteParams, cwd: string, t: RoutableRow): string {
  return `${JSON.stringify({
    input: p.input,
    cwd,
    workflowType: p.workflowType ?? null,
    pattern: { id: t.pattern_id, signature: t.signature },
    tool: t.name,
  })}\n`;
}

/** Runs the tool (or, with `problem`, records why it cannot run). */
export async function callTool(
  runner: ToolRunner,
  t: RoutableRow,
  request: string,
  cwd: string,
  problem: string | null,
): Promise<ToolCall> {
  if (problem !== null) {
    return {
      ok: false,
      failure: `the tool cannot run: ${problem}`,
      result: { exitCode: null, summary: problem, output: '', truncated: false, durationMs: 0 },
      bytes: 0,
    };
  }
  const outcome = await runner.run(String(t.id), {
    // the file that was pinned, not whatever the registered name resolves to by now
    file: t.pin_real_path ?? t.resolved_path,
    args: stringListOf(t.argv).slice(1),
    cwd,
    input: request,
    timeoutMs: t.timeout_ms,
    outputCapBytes: t.output_cap_bytes,
    env: { OUTLOOP_TOOL: t.name, OUTLOOP_SIGNATURE: t.signature },
  });
  const r = interpret(outcome, t.timeout_ms, t.output_cap_bytes);
  return {
    ok: r.ok,
    failure: r.failure,
    result: {
      exitCode: outcome.exitCode,
      summary: r.summary,
      output: r.output,
      truncated: r.truncated,
      durationMs: outcome.durationMs,
    },
    bytes: outcome.bytes,
  };
}

/** Tokens the caller reads back: ceil(bytes of summary + output / 4). */
export function answerTokens(result: RouteToolResult): number {
  return estimateTokensFromBytes(Buffer.byteLength(result.summary) + Buffer.byteLength(result.output));
}

/** The routed call's row: the request (its first STORED_INPUT_CHARS characters), outcome and answer tokens. */
export function routedCallOf(t: RoutableRow, r: RunRecord): RoutedCall {
  const { request, call } = r;
  return {
    toolName: t.name,
    command: stringListOf(t.argv).join(' '),
    signature: t.signature,
    cwd: r.cwd,
    inputJson: request.length > STORED_INPUT_CHARS ? `${request.slice(0, STORED_INPUT_CHARS)}…` : request.trimEnd(),
    inputBytes: Buffer.byteLength(request),
    responseBytes: call.bytes,
    exitCode: call.result.exitCode,
    isError: !call.ok,
    durationMs: call.result.durationMs,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt.toISOString(),
    toolId: t.id,
    result: JSON.stringify({
      ok: call.ok,
      reason: call.failure,
      summary: call.result.summary,
      toolTokens: r.toolTokens,
    }),
  };
}
