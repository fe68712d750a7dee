/**
 * The root of an ADW workflow's worktree, for showing its paths relatively when no call recorded a
 * cwd (stream-json output names the cwd only in its `init` line). ADW runs each workflow in
 * `<project>/trees/<adw_id>`: the first file path under such a directory gives it, on POSIX and
 * Windows alike (compared case-insensitively for drive and UNC paths).
 */
import type { CallFacts } from '../context/facts.js';
import { isAbsolutePath, isWindowsPath, normalizePath } from '../paths.js';

/** `<project>/trees/<workflowId>` from the first absolute path under one, else null. */
export function worktreeRoot(facts: readonly (CallFacts | null)[], workflowId: string): string | null {
  if (workflowId === '' || workflowId.includes('/') || workflowId.includes('\\')) return null;
  const marker = `/trees/${workflowId}`;
  for (const f of facts) {
    if (f === null || f.cwd !== null) continue;
    for (const p of [...f.loads, ...f.uses, ...f.mentions]) {
      const root = rootIn(p, marker);
      if (root !== null) return root;
    }
  }
  return null;
}

function rootIn(p: string, marker: string): string | null {
  if (!isAbsolutePath(p)) return null;
  const np = normalizePath(p);
  const hay = isWindowsPath(np) ? np.toLowerCase() : np;
  const at = hay.indexOf(isWindowsPath(np) ? marker.toLowerCase() : marker);
  if (at < 0) return null;
  const end = at + marker.length;
  // the marker is a whole segment: `/trees/abc` but not `/trees/abcd`
  if (end !== np.length && np.charCodeAt(end) !== 47) return null;
  return np.slice(0, end);
}
