import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getErrorMessage } from '../core/errors.js';

/** `<state dir>/config.json`: every field optional. */
export interface DaemonConfig {
  /** Extra roots to watch (hook logs, ADW project roots, transcript dirs). */
  watch: string[];
  /** Watch the default Claude transcript roots (default true). */
  watchDefaultTranscripts: boolean;
  routeThreshold: number;
  tokenBudget: number;
  budgetWarnPct: number;
  approvalAboveUsd: number;
  /** Hours between scheduled discovery runs (default: weekly, 168). */
  analyzeIntervalHours: number;
  /** Scheduled discovery files GitHub issues (needs `issueRepo`); off by default: it writes Markdown only. */
  autoCreateIssues: boolean;
  /** `OWNER/NAME` the scheduled run files into when autoCreateIssues is on. */
  issueRepo: string | null;
  /** Unparsable lines kept as rows per file; the rest are only counted (per file and reason). */
  quarantineKeepPerFile: number;
}

export const DEFAULT_CONFIG: DaemonConfig = {
  watch: [],
  watchDefaultTranscripts: true,
  routeThreshold: 70,
  tokenBudget: 5_000_000,
  budgetWarnPct: 80,
  approvalAboveUsd: 5,
  analyzeIntervalHours: 24 * 7,
  autoCreateIssues: false,
  issueRepo: null,
  quarantineKeepPerFile: 100,
};

/** `OWNER/NAME` or `HOST/OWNER/NAME`, as `gh --repo` takes it. */
export function isRepoSpec(repo: string): boolean {
  return (
    /^(?:[A-Za-z0-9.-]+\/)?[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo) &&
    !repo.split('/').some((p) => p === '.' || p === '..')
  );
}

/** The numeric fields: their range, checked per field so that a bad one is named and only it ignored. */
const NUMBER_FIELDS = {
  routeThreshold: [0, 100],
  tokenBudget: [1, 1e12],
  budgetWarnPct: [1, 100],
  approvalAboveUsd: [0, 1e9],
  analyzeIntervalHours: [1, 24 * 365],
  quarantineKeepPerFile: [0, 1_000_000],
} as const satisfies Partial<Record<keyof DaemonConfig, readonly [number, number]>>;

const BOOLEAN_FIELDS = ['watchDefaultTranscripts', 'autoCreateIssues'] as const;

const KNOWN_FIELDS = new Set<string>([...Object.keys(DEFAULT_CONFIG)]);

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The `watch` list: paths (a relative one is taken from the state dir); every other entry is named and skipped. */
function readWatch(v: unknown, path: string, warn: (w: string) => void): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    warn(`${path}: watch ignored: must be a list of paths, got ${show(v)}`);
    return [];
  }
  const out: string[] = [];
  v.forEach((entry: unknown, i) => {
    if (typeof entry === 'string' && entry.trim() !== '' && !entry.includes('\0')) out.push(entry);
    else warn(`${path}: watch[${i}] ignored: must be a path, got ${show(entry)}`);
  });
  return out;
}

/** Reads the config; a missing file gives defaults; every field that is ignored is named in `warnings`. */
export function loadConfig(stateDir: string): { config: DaemonConfig; warnings: string[] } {
  const path = join(stateDir, 'config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { config: { ...DEFAULT_CONFIG }, warnings: [] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return {
      config: { ...DEFAULT_CONFIG },
      warnings: [`${path} is not valid JSON (${getErrorMessage(e)}); using defaults`],
    };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config: { ...DEFAULT_CONFIG }, warnings: [`${path} must hold a JSON object; using defaults`] };
  }
  const r = raw as Record<string, unknown>;
  const warnings: string[] = [];
  const warn = (w: string): void => void warnings.push(w);
  const config: DaemonConfig = { ...DEFAULT_CONFIG, watch: readWatch(r['watch'], path, warn) };
  for (const [field, [min, max]] of Object.entries(NUMBER_FIELDS) as [
    keyof typeof NUMBER_FIELDS,
    readonly [number, number],
  ][]) {
    const v = r[field];
    if (v === undefined) continue;
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) config[field] = v;
    else
      warn(`${path}: ${field} ignored: must be a number from ${min} to ${max}, got ${show(v)}; using ${config[field]}`);
  }
  for (const field of BOOLEAN_FIELDS) {
    const v = r[field];
    if (v === undefined) continue;
    if (typeof v === 'boolean') config[field] = v;
    else warn(`${path}: ${field} ignored: must be true or false, got ${show(v)}; using ${config[field]}`);
  }
  const repo = r['issueRepo'];
  config.issueRepo = typeof repo === 'string' && isRepoSpec(repo) ? repo : null;
  if (repo !== undefined && repo !== null && config.issueRepo === null) {
    warn(`${path}: issueRepo must be "OWNER/NAME"; scheduled discovery will not file issues`);
  } else if (config.autoCreateIssues && config.issueRepo === null) {
    warn(
      `${path}: autoCreateIssues needs issueRepo ("OWNER/NAME"); scheduled discovery writes Markdown suggestions only`,
    );
  }
  for (const key of Object.keys(r)) if (!KNOWN_FIELDS.has(key)) warn(`${path}: unknown field ${show(key)} ignored`);
  config.quarantineKeepPerFile = Math.floor(config.quarantineKeepPerFile);
  return { config, warnings };
}
