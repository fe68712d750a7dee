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
  /** Hours between scheduled discovery runs (the plan: weekly). */
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

function num(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

/** Reads the config; a missing file gives defaults, an invalid one gives defaults plus a warning. */
export function loadConfig(stateDir: string): { config: DaemonConfig; warning: string | null } {
  const path = join(stateDir, 'config.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { config: { ...DEFAULT_CONFIG }, warning: null };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { config: { ...DEFAULT_CONFIG }, warning: `${path} is not valid JSON (${getErrorMessage(e)}); using defaults` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config: { ...DEFAULT_CONFIG }, warning: `${path} must hold a JSON object; using defaults` };
  }
  const r = raw as Record<string, unknown>;
  const repo = r['issueRepo'];
  const issueRepo = typeof repo === 'string' && isRepoSpec(repo) ? repo : null;
  const repoWarning =
    repo !== undefined && repo !== null && issueRepo === null
      ? `${path}: issueRepo must be "OWNER/NAME"; scheduled discovery will not file issues`
      : r['autoCreateIssues'] === true && issueRepo === null
        ? `${path}: autoCreateIssues needs issueRepo ("OWNER/NAME"); scheduled discovery writes Markdown suggestions only`
        : null;
  const watch = Array.isArray(r['watch']) ? r['watch'].filter((w): w is string => typeof w === 'string' && w.length > 0) : [];
  return {
    config: {
      watch,
      watchDefaultTranscripts: typeof r['watchDefaultTranscripts'] === 'boolean' ? r['watchDefaultTranscripts'] : true,
      routeThreshold: num(r['routeThreshold'], DEFAULT_CONFIG.routeThreshold, 0, 100),
      tokenBudget: num(r['tokenBudget'], DEFAULT_CONFIG.tokenBudget, 1, 1e12),
      budgetWarnPct: num(r['budgetWarnPct'], DEFAULT_CONFIG.budgetWarnPct, 1, 100),
      approvalAboveUsd: num(r['approvalAboveUsd'], DEFAULT_CONFIG.approvalAboveUsd, 0, 1e9),
      analyzeIntervalHours: num(r['analyzeIntervalHours'], DEFAULT_CONFIG.analyzeIntervalHours, 1, 24 * 365),
      autoCreateIssues: r['autoCreateIssues'] === true,
      issueRepo,
      quarantineKeepPerFile: Math.floor(num(r['quarantineKeepPerFile'], DEFAULT_CONFIG.quarantineKeepPerFile, 0, 1_000_000)),
    },
    warning: repoWarning,
  };
}
