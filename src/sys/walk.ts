/**
 * A directory walk that never follows a symlink (so a symlink loop cannot trap it). Import graph:
 * node:fs and node:path only.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface TreeWalk {
  /** every path below the roots that is not a directory (a root included), with its lstat */
  visit(path: string, st: Stats): void;
  /** a path that could not be looked at or a directory that could not be listed, with the error's message */
  onError(path: string, message: string): void;
  /** entries (not roots) whose name this returns true for are left out, with everything below them */
  skip?(name: string): boolean;
}

/** Walks the roots depth first, each directory's entries in name order. */
export function walkTree(roots: readonly string[], w: TreeWalk): void {
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const p = stack.pop();
    if (p === undefined) break;
    let st: Stats;
    let entries: string[] | null = null;
    try {
      st = lstatSync(p);
      if (st.isDirectory()) entries = readdirSync(p);
    } catch (e) {
      w.onError(p, e instanceof Error ? e.message : String(e));
      continue;
    }
    if (entries === null) w.visit(p, st);
    else for (const e of entries.sort().reverse()) if (w.skip?.(e) !== true) stack.push(join(p, e));
  }
}
