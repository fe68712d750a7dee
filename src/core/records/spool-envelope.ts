/**
 * The spool envelope: the one JSON line of every file in `<state dir>/spool/`, written by `outloop hook`
 * and `outloop run`, read by the daemon.
 *
 * - a hook event: `{"v":1,"receivedAt":ISO,"payload":"<stdin as received>"}`;
 * - a hook event whose stdin is not valid UTF-8 (it cannot go into a JSON string losslessly):
 *   `{"v":1,"receivedAt":ISO,"error":"stdin is not valid UTF-8","payloadBase64":"<the exact bytes>"}`,
 *   which the reader refuses with that error;
 * - an offloaded run's report: `{"v":1,"receivedAt":ISO,"run":RunReport}`.
 *
 * Reading accepts any `v` (1 is the only version written) and refuses anything else with a reason, which
 * the daemon quarantines. Import graph: pure core only (the bundled hook builds its line from here).
 */
import { isRecord, tryParseJson } from '../json-value.js';
import type { RunReport } from '../offload/offload-file.js';
import { parseRunReport } from '../offload/run-report.js';

export const SPOOL_ENVELOPE_VERSION = 1;

/** The error an envelope carries when the hook's stdin was not valid UTF-8. */
export const NOT_UTF8_ERROR = 'stdin is not valid UTF-8';

export type SpoolEnvelope =
  | { v: typeof SPOOL_ENVELOPE_VERSION; receivedAt: string; payload: string }
  | { v: typeof SPOOL_ENVELOPE_VERSION; receivedAt: string; error: string; payloadBase64: string }
  | { v: typeof SPOOL_ENVELOPE_VERSION; receivedAt: string; run: RunReport };

/** What a spool file holds: a hook payload, a run report, or why it is refused. */
export type SpoolRecord =
  | { kind: 'hook'; payload: string; receivedAt: string | null }
  | { kind: 'run'; run: RunReport }
  | { kind: 'bad'; reason: string };

const line = (e: SpoolEnvelope): string => `${JSON.stringify(e)}\n`;

/** The spool line of one hook payload (stdin decoded as UTF-8). */
export function hookEnvelopeLine(payload: string, receivedAt: string): string {
  return line({ v: SPOOL_ENVELOPE_VERSION, receivedAt, payload });
}

/** The spool line of a hook stdin that is not valid UTF-8: its bytes in base64, refused by the reader. */
export function undecodedHookEnvelopeLine(payloadBase64: string, receivedAt: string): string {
  return line({ v: SPOOL_ENVELOPE_VERSION, receivedAt, error: NOT_UTF8_ERROR, payloadBase64 });
}

/** The spool line of one `outloop run` report. */
export function runEnvelopeLine(run: RunReport, receivedAt: string): string {
  return line({ v: SPOOL_ENVELOPE_VERSION, receivedAt, run });
}

/**
 * Reads one spool file's text. A `run` member makes it a run report (refused whole when any field is
 * wrong); otherwise it needs a string `payload`; an envelope carrying `error` is refused with it.
 */
export function parseSpoolEnvelope(text: string): SpoolRecord {
  const parsed = tryParseJson(text);
  const envelope = parsed.ok && isRecord(parsed.value) ? parsed.value : null;
  if (envelope !== null && 'run' in envelope) {
    const run = parseRunReport(envelope['run']);
    return run.ok ? { kind: 'run', run: run.run } : { kind: 'bad', reason: `spool: bad run report: ${run.reason}` };
  }
  if (envelope === null || typeof envelope['payload'] !== 'string') {
    const reason =
      envelope !== null && 'error' in envelope
        ? `spool: ${String(envelope['error'])}`
        : 'spool file is not an outloop envelope';
    return { kind: 'bad', reason };
  }
  const receivedAt = typeof envelope['receivedAt'] === 'string' ? envelope['receivedAt'] : null;
  return { kind: 'hook', payload: envelope['payload'], receivedAt };
}
