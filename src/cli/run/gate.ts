/**
 * `outloop run --pattern SIG` runs only the approved operation it names: one simple command whose
 * signature is SIG, while `<state dir>/offload.json` is present, switched on and lists SIG. So the
 * wrapper the hook writes can never run more than a permission rule for the original would have judged.
 */
import { readFileSync } from 'node:fs';
import { offloadEntry, parseOffloadFile, simpleCommand, type OffloadEntry } from '../../core/offload/offload-file.js';
import { extractOperation } from '../../core/learning/operation.js';
import { offloadFilePath } from '../../rpc/paths.js';

export type Gate = { ok: true; entry: OffloadEntry } | { ok: false; reason: string };

/** Whether `command` may run for `pattern` (the reason to refuse it, if not). */
export function checkPattern(command: string, pattern: string, stateDir: string, cwd: string): Gate {
  const simple = simpleCommand(command);
  if (!simple.ok) return { ok: false, reason: `not one simple command (${simple.reason})` };
  const signature = extractOperation(command, cwd)?.signature ?? null;
  if (signature !== pattern)
    return { ok: false, reason: `the command is operation ${signature ?? '(none)'}, not ${pattern}` };
  const path = offloadFilePath(stateDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, reason: `${path} is missing: nothing is offloaded` };
  }
  const file = parseOffloadFile(text);
  if (file === null) return { ok: false, reason: `${path} is unreadable or of another version` };
  if (!file.enabled) return { ok: false, reason: 'offload is switched off' };
  const entry = offloadEntry(file, pattern);
  if (entry === null) return { ok: false, reason: `pattern ${pattern} is not offloaded` };
  return { ok: true, entry };
}
