import { METHODS, type QuarantineFileGroup, type QuarantineListResult } from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import type { HandlerMap } from '../server.js';
import { reasonKey, type QuarantineGroupRow } from '../store/quarantine-repo.js';

/** Longest sample line sent (characters). */
const SAMPLE_CHARS = 120;

function sampleText(excerpt: Buffer): string {
  // control characters would break the one-line table; JSON keeps the text as it was
  let text = '';
  for (const ch of excerpt.toString('utf8')) {
    const c = ch.codePointAt(0) ?? 0;
    text += c < 0x20 || c === 0x7f ? ' ' : ch;
  }
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS - 1)}…` : text;
}

/**
 * Kept rows and counted lines grouped by file and reason (numbers in a reason do not split a
 * group), files with the most lines first. The sample is the first kept line of the group.
 */
export function groupQuarantine(
  rows: QuarantineGroupRow[],
  keepPerFile: number,
  pathFilter?: string,
): QuarantineListResult {
  const files = new Map<string, QuarantineFileGroup>();
  for (const r of rows) {
    if (pathFilter && !r.path.includes(pathFilter)) continue;
    let f = files.get(r.path);
    if (!f) files.set(r.path, (f = { path: r.path, kept: 0, total: 0, reasons: [] }));
    const key = reasonKey(r.reason);
    let g = f.reasons.find((x) => reasonKey(x.reason) === key);
    if (!g) {
      g = { reason: r.reason, kept: 0, total: 0, sampleOffset: r.offset, sample: sampleText(r.excerpt) };
      f.reasons.push(g);
    } else if (g.kept === 0 && r.kept > 0) {
      g.reason = r.reason;
      g.sampleOffset = r.offset;
      g.sample = sampleText(r.excerpt);
    }
    g.kept += r.kept;
    g.total += r.kept + r.counted;
    f.kept += r.kept;
    f.total += r.kept + r.counted;
  }
  const list = [...files.values()].sort((a, b) => b.total - a.total || a.path.localeCompare(b.path));
  for (const f of list) f.reasons.sort((a, b) => b.total - a.total || a.reason.localeCompare(b.reason));
  return {
    keepPerFile,
    kept: list.reduce((n, f) => n + f.kept, 0),
    total: list.reduce((n, f) => n + f.total, 0),
    files: list,
  };
}

/** `quarantine/list`: what could not be parsed, by file and reason, including lines only counted. */
export function quarantineHandlers(deps: DaemonDeps): HandlerMap {
  const q = deps.store.quarantine;
  return {
    [METHODS.quarantineList]: (p) => groupQuarantine(q.groups(), q.keepPerFile, p.path),
  };
}
