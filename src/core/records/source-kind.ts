/**
 * Which kind of agent record a file holds, from its path (layout) and, when the layout does not
 * say, from its first line (content). Pure string logic: both `/` and `\` separators.
 */
import { isAdwId } from './adw.js';

export type SourceKind =
  'spool' | 'hook-jsonl' | 'hook-array' | 'transcript' | 'stream-jsonl' | 'stream-array' | 'adw-state' | 'adw-prompt';

export interface SourceInfo {
  kind: SourceKind;
  /** ADW id for files inside `agents/<adw_id>/` */
  adwId: string | null;
  /** the ADW agent folder (e.g. `sdlc_planner`) for agent outputs and prompts */
  agentName: string | null;
  /** `<root>/agents/<adw_id>` for ADW files */
  adwDir: string | null;
}

const OUTPUT_FILES = new Set(['raw_output.jsonl', 'cc_raw_output.jsonl']);
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  'trees',
  '.venv',
  'venv',
  '__pycache__',
  'dist',
  '.next',
  'build',
  'target',
]);

function parts(path: string): string[] {
  return path.split(/[\\/]+/).filter((p) => p !== '');
}

/** Directories never worth descending into (worktrees, dependencies, VCS data). */
export function isSkippedDir(name: string): boolean {
  return SKIP_DIRS.has(name);
}

function adwInfo(ps: string[], path: string): SourceInfo | null {
  const i = ps.lastIndexOf('agents');
  if (i < 0 || i + 2 >= ps.length) return null;
  const adwId = ps[i + 1] ?? '';
  if (!isAdwId(adwId)) return null;
  const rest = ps.slice(i + 2);
  const file = rest[rest.length - 1] ?? '';
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const prefix = path.startsWith(sep) ? sep : '';
  const adwDir = prefix + ps.slice(0, i + 2).join(sep);
  const base: Omit<SourceInfo, 'kind'> = { adwId, agentName: null, adwDir };
  if (rest.length === 1 && file === 'adw_state.json') return { ...base, kind: 'adw-state' };
  if (rest.length >= 2 && file.endsWith('.txt') && rest[rest.length - 2] === 'prompts') {
    return { ...base, kind: 'adw-prompt', agentName: rest.length >= 3 ? (rest[rest.length - 3] ?? null) : null };
  }
  if (rest.length === 2) {
    const agentName = rest[0] ?? null;
    if (OUTPUT_FILES.has(file)) return { ...base, kind: 'stream-jsonl', agentName };
    if (file === 'raw_output.json') return { ...base, kind: 'stream-array', agentName };
  }
  return null;
}

/** Kind from the path alone; null when the layout does not say (see `sniffKind`). */
export function classifyPath(path: string, spoolDir: string | null = null): SourceInfo | null {
  const none = { adwId: null, agentName: null, adwDir: null };
  if (spoolDir !== null) {
    const sp = parts(spoolDir).join('/');
    const pp = parts(path);
    if (pp.slice(0, -1).join('/') === sp) {
      const f = pp[pp.length - 1] ?? '';
      return f.endsWith('.json') && !f.startsWith('.') ? { kind: 'spool', ...none } : null;
    }
  }
  // SKIP_DIRS are skipped while walking below a root (watcher, walk), not matched against the
  // root's own ancestors: a state dir under /srv/build/ is still a state dir.
  const ps = parts(path);
  const adw = adwInfo(ps, path);
  if (adw) return adw;
  if (ps.includes('agents') && ps.some(isAdwId)) return null;
  const file = ps[ps.length - 1] ?? '';
  const lower = file.toLowerCase();
  const inLogs = ps.slice(0, -1).some((p) => p.toLowerCase() === 'logs');
  if (inLogs && lower.endsWith('.json')) return { kind: 'hook-array', ...none };
  if (inLogs && lower.endsWith('.jsonl')) return { kind: 'hook-jsonl', ...none };
  if (lower.endsWith('.jsonl') && ps.slice(0, -1).some((p) => p.toLowerCase() === 'projects'))
    return { kind: 'transcript', ...none };
  return null;
}

/** Kind of a `.jsonl`/`.json` file from its first non-empty line (or first array element). */
export function sniffKind(firstLine: string): SourceKind | null {
  const t = firstLine.trimStart();
  if (t.startsWith('[')) {
    if (/"(hook_event_name|hookEventName)"\s*:/.test(t)) return 'hook-array';
    if (/"type"\s*:\s*"(system|assistant|user|result)"/.test(t) && /"session_id"\s*:/.test(t)) return 'stream-array';
    return null;
  }
  if (!t.startsWith('{')) return null;
  if (/"(hook_event_name|hookEventName)"\s*:/.test(t)) return 'hook-jsonl';
  if (/"input_data"\s*:/.test(t) && /"status_line_output"|"rate_limits"/.test(t)) return 'hook-jsonl';
  if (/"sessionId"\s*:/.test(t) || /"type"\s*:\s*"(summary|file-history-snapshot|queue-operation|ai-title)"/.test(t))
    return 'transcript';
  if (/"session_id"\s*:/.test(t) && /"type"\s*:\s*"(system|assistant|user|result|rate_limit_event)"/.test(t))
    return 'stream-jsonl';
  return null;
}
