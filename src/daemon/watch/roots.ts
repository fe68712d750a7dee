import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The Claude Code transcript roots: ~/.claude/projects, ~/.config/claude/projects, $CLAUDE_CONFIG_DIR (comma list). */
export function defaultTranscriptRoots(env: Record<string, string | undefined>): string[] {
  const home = env['HOME'] || homedir();
  const roots = [join(home, '.claude', 'projects'), join(home, '.config', 'claude', 'projects')];
  for (const dir of (env['CLAUDE_CONFIG_DIR'] ?? '').split(',')) {
    const d = dir.trim();
    if (d) roots.push(join(resolve(d), 'projects'));
  }
  return [...new Set(roots)];
}

/** Roots that exist now (chokidar cannot watch a path that is not there). */
export function existingRoots(roots: string[]): { present: string[]; missing: string[] } {
  const present: string[] = [];
  const missing: string[] = [];
  for (const r of roots) (existsSync(r) ? present : missing).push(r);
  return { present, missing };
}
