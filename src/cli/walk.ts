import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['node_modules', '.git', 'trees', '.venv', 'venv', '__pycache__', 'dist']);

/** Regular files below the roots with their sizes (symlinks not followed), for progress. */
export function listFiles(roots: string[], onProblem: (path: string, reason: string) => void): { path: string; size: number }[] {
  const out: { path: string; size: number }[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const p = stack.pop();
    if (p === undefined) break;
    try {
      const st = lstatSync(p);
      if (st.isFile()) out.push({ path: p, size: st.size });
      else if (st.isDirectory()) for (const e of readdirSync(p).sort().reverse()) if (!SKIP.has(e)) stack.push(join(p, e));
    } catch (e) {
      onProblem(p, e instanceof Error ? e.message : String(e));
    }
  }
  return out;
}
