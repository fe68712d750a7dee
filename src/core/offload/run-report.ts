/**
 * The report of one `outloop run`, as its spool envelope carries it (core/records/spool-envelope):
 * written by `outloop run`, read back by the daemon. Reading is strict: a report missing a field or with
 * a field of the wrong type is refused whole (and quarantined by the caller), never half-stored.
 */
import { isRecord } from '../json-value.js';
import type { RunReport } from './offload-file.js';
import { COMPACT_FAMILIES, type CompactFamily } from '../compact/types.js';

/** `r-` + lower-case hex: also the kept log's file name, so nothing else may pass. */
export const RUN_ID = /^r-[0-9a-f]{8,40}$/;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string';
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isTime = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));

/** Why a `run` value is not a RunReport, or null when it is one. */
export function runReportProblem(v: unknown): string | null {
  if (!isRecord(v)) return 'run is not an object';
  if (!isText(v['id']) || !RUN_ID.test(v['id'])) return 'run.id is not r-<hex>';
  if (!isTextOrNull(v['signature']) || v['signature'] === '') return 'run.signature is not a signature or null';
  if (!isText(v['command']) || v['command'].trim() === '') return 'run.command is empty';
  if (!isText(v['cwd'])) return 'run.cwd is not a string';
  if (!isCount(v['exitCode'])) return 'run.exitCode is not an exit status';
  if (!isTextOrNull(v['signal'])) return 'run.signal is not a string or null';
  if (!isTime(v['startedAt']) || !isTime(v['endedAt'])) return 'run.startedAt/endedAt is not a time';
  if (!COMPACT_FAMILIES.includes(v['family'] as CompactFamily)) return 'run.family is not a compact family';
  if (!isText(v['tool'])) return 'run.tool is not a string';
  for (const k of ['durationMs', 'rawBytes', 'rawTokens', 'compactTokens'] as const)
    if (!isCount(v[k])) return `run.${k} is not a count`;
  if (!isTextOrNull(v['sessionId'])) return 'run.sessionId is not a string or null';
  return null;
}

/** The report of a `run` envelope value, or the reason it is refused. */
export function parseRunReport(v: unknown): { ok: true; run: RunReport } | { ok: false; reason: string } {
  const problem = runReportProblem(v);
  if (problem !== null || !isRecord(v)) return { ok: false, reason: problem ?? 'run is not an object' };
  const run: RunReport = {
    id: v['id'] as string,
    signature: v['signature'] as string | null,
    command: v['command'] as string,
    cwd: v['cwd'] as string,
    exitCode: v['exitCode'] as number,
    signal: v['signal'] as string | null,
    startedAt: v['startedAt'] as string,
    endedAt: v['endedAt'] as string,
    durationMs: v['durationMs'] as number,
    family: v['family'] as CompactFamily,
    tool: v['tool'] as string,
    rawBytes: v['rawBytes'] as number,
    rawTokens: v['rawTokens'] as number,
    compactTokens: v['compactTokens'] as number,
    sessionId: (v['sessionId'] as string | null) || null,
  };
  return { ok: true, run };
}
