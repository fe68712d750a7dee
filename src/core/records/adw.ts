/** ADW state directories (`agents/<adw_id>/...`): ids, adw_state.json, phases, workflow runs. */
import type { TokenCounts, WorkflowRun } from '../types.js';
import { addTokens, summarizeAgentOutputWith } from './adw-agent.js';
import { emptyTokens } from '../usage/pricing.js';
import type { AgentSummary } from './adw-agent.js';
import { extractIssue, extractIssueText } from './adw-prompt.js';
import { isRecord, num, recordOf, str, strOf, tryParseJson, valueOf } from '../json-value.js';
import { countWords, toIsoUtc } from '../text.js';

export type { AgentSummary } from './adw-agent.js';
export { extractIssueText } from './adw-prompt.js';

const ADW_ID_RE = /^(?:(?:adw-)?[0-9a-f]{8}|adw_\d{9,13}_[0-9a-f]{4,32}|adw-\d{8}-\d{6})$/;

/** 8-hex (`a1b2c3d4`, also `adw-a1b2c3d4`), `adw_<epoch>_<hex>` or `adw-YYYYMMDD-HHMMSS`. */
export function isAdwId(s: string): boolean {
  return typeof s === 'string' && ADW_ID_RE.test(s);
}

export interface AdwState {
  adwId: string | null;
  issueNumber: number | null;
  /** `feature`, `bug`, `chore`, `patch`... (the leading `/` of `/feature` removed). */
  issueClass: string | null;
  /** Stated workflow (workflow_template / workflow_type / the ADW scripts in all_adws), normalized. */
  workflowType: string | null;
  modelSet: string | null;
  branchName: string | null;
  nlInput: string | null;
  startedAt: string | null;
  endedAt: string | null;
  raw: Record<string, unknown>;
}

export type AdwStateResult = { ok: true; state: AdwState } | { ok: false; reason: string };

/** Tolerant of the tac-5, tac-7 and tac-webbuilder schemas and camelCase variants; nulls allowed. */
export function parseAdwState(text: string): AdwStateResult {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, reason: 'empty' };
  const p = tryParseJson(text);
  if (!p.ok) return { ok: false, reason: 'invalid-json' };
  if (!isRecord(p.value)) return { ok: false, reason: 'not-an-object' };
  const o = p.value;
  const issue = recordOf(o['issue']);
  const klass = strOf(o, 'issue_class', 'issueClass', 'classification');
  const stated = strOf(o, 'workflow_template', 'workflowTemplate', 'workflow_type', 'workflowType', 'workflow');
  return {
    ok: true,
    state: {
      adwId: strOf(o, 'adw_id', 'adwId') ?? (typeof o['id'] === 'string' && isAdwId(o['id']) ? o['id'] : null),
      issueNumber:
        issueNumberOf(valueOf(o, 'issue_number', 'issueNumber')) ??
        issueNumberOf(issue?.['number']) ??
        issueNumberOf(o['issue']),
      issueClass: klass === null ? null : klass.replace(/^\//, '').trim().toLowerCase() || null,
      workflowType:
        stated !== null ? normalizeWorkflowType(stated) : workflowFromScripts(o['all_adws'] ?? o['allAdws']),
      modelSet: strOf(o, 'model_set', 'modelSet'),
      branchName: strOf(o, 'branch_name', 'branchName', 'branch'),
      nlInput: strOf(o, 'nl_input', 'nlInput') ?? (issue === null ? null : str(issue['body'])),
      startedAt: toIsoUtc(valueOf(o, 'start_time', 'startTime', 'started_at', 'startedAt', 'created_at', 'createdAt')),
      endedAt: toIsoUtc(valueOf(o, 'end_time', 'endTime', 'ended_at', 'endedAt', 'completed_at', 'completedAt')),
      raw: o,
    },
  };
}

function issueNumberOf(v: unknown): number | null {
  const n = num(v);
  if (n !== null) return Number.isInteger(n) && n > 0 ? n : null;
  if (typeof v !== 'string') return null;
  const m = /^\s*#?(\d{1,9})\s*$/.exec(v);
  return m?.[1] === undefined ? null : Number(m[1]);
}

const PHASE_TOKENS: readonly [string, readonly string[]][] = [
  ['plan', ['plan', 'planner', 'planning']],
  ['build', ['build', 'builder', 'implement', 'implementor', 'implementer']],
  ['test', ['test', 'tester', 'tests', 'testing']],
  ['review', ['review', 'reviewer']],
  ['document', ['document', 'documenter', 'documentation', 'docs']],
  ['ship', ['ship', 'shipper']],
];
export const PHASE_ORDER: readonly string[] = PHASE_TOKENS.map(([p]) => p);

/**
 * Phase of an agent directory, as cost_tracker.py maps it (planner→plan, builder→build,
 * test/tester→test, reviewer/review→review, documenter/documentation→document, shipper/ship→ship),
 * matched on whole name parts (not substrings) and extended with implementor→build.
 * Any other name (trailing `.`/`-` removed) is its own phase.
 */
export function agentPhase(agentDirName: string): string {
  const name = agentDirName
    .trim()
    .toLowerCase()
    .replace(/[.\-_\s]+$/, '');
  const tokens = name.split(/[^a-z0-9]+/).filter((t) => t !== '');
  for (const [phase, words] of PHASE_TOKENS) {
    if (tokens.some((t) => words.includes(t))) return phase;
  }
  return name === '' ? agentDirName : name;
}

/** `adw_sdlc_iso.py` → `sdlc`; `adw_plan_build_iso` → `plan_build`; `adw_sdlc_ZTE_iso` → `sdlc_zte`. */
export function normalizeWorkflowType(s: string): string {
  let t = s.trim().toLowerCase();
  t = t.slice(Math.max(t.lastIndexOf('/'), t.lastIndexOf('\\')) + 1);
  t = t
    .replace(/\.py$/, '')
    .replace(/^adw[_-]/, '')
    .replace(/_iso$/, '');
  if (t === 'sdlc_complete') return 'sdlc';
  if (t === 'sdlc_complete_zte') return 'sdlc_zte';
  return t;
}

function workflowFromScripts(v: unknown): string | null {
  if (!Array.isArray(v)) return null;
  const names = v.filter((x): x is string => typeof x === 'string').map(normalizeWorkflowType);
  const composite = names.find((n) => n.includes('_') || n.startsWith('sdlc') || n === 'patch');
  if (composite !== undefined) return composite;
  return composeFromPhases(new Set(names));
}

function composeFromPhases(phases: ReadonlySet<string>): string | null {
  const core = ['plan', 'build', 'test', 'review', 'document'];
  if (core.every((p) => phases.has(p))) return phases.has('ship') ? 'sdlc_zte' : 'sdlc';
  const present = PHASE_ORDER.filter((p) => phases.has(p));
  return present.length === 0 ? null : present.join('_');
}

/**
 * Workflow type: the stated one (normalized) when given; else from the agent directories:
 * patch agents alone → `patch`; plan+build+test+review+document → `sdlc` (+ship → `sdlc_zte`);
 * otherwise the phases present in order, as the ADW scripts are named (`plan`, `plan_build`,
 * `plan_build_test`, ...). Classifier, branch and PR agents add no phase.
 */
export function inferWorkflowType(agentNames: string[], stated: string | null): string | null {
  if (stated !== null && stated.trim() !== '') return normalizeWorkflowType(stated);
  const phases = new Set<string>();
  let patch = false;
  for (const a of agentNames) {
    const tokens = a.toLowerCase().split(/[^a-z0-9]+/);
    if (tokens.includes('patch') && !tokens.includes('review')) {
      patch = true;
      continue;
    }
    const p = agentPhase(a);
    if (PHASE_ORDER.includes(p)) phases.add(p);
  }
  if (patch && phases.size === 0) return 'patch';
  return composeFromPhases(phases);
}

export function summarizeAgentOutput(agentName: string, lines: string[]): AgentSummary {
  return summarizeAgentOutputWith(agentName, agentPhase(agentName), lines);
}

function hasOutput(a: AgentSummary): boolean {
  const t = a.tokens;
  return (
    a.hadResult || a.models.length > 0 || t.inputTokens + t.outputTokens + t.cacheCreationTokens + t.cacheReadTokens > 0
  );
}

function minTs(values: (string | null)[]): string | null {
  const v = values.filter((x): x is string => x !== null).sort();
  return v[0] ?? null;
}

function maxTs(values: (string | null)[]): string | null {
  const v = values.filter((x): x is string => x !== null).sort();
  return v[v.length - 1] ?? null;
}

export interface AssembleInput {
  adwId: string;
  stateDir: string;
  state: AdwState | null;
  agents: AgentSummary[];
  prompts: { name: string; text: string }[];
}

/**
 * One WorkflowRun from a state dir. status: any agent error → error; every agent with output
 * has a result line → success; else incomplete. costBasis: reported when every agent with output
 * has a result cost, else priced (each agent contributes its reported cost, else its priced one).
 */
export function assembleWorkflowRun(input: AssembleInput): WorkflowRun {
  const { state } = input;
  const active = input.agents.filter(hasOutput);
  const phases: string[] = [];
  for (const a of active) if (!phases.includes(a.phase)) phases.push(a.phase);
  phases.sort((x, y) => rank(x) - rank(y));
  const models: string[] = [];
  for (const a of active) for (const m of a.models) if (!models.includes(m)) models.push(m);
  let tokens: TokenCounts = emptyTokens();
  let costUsd = 0;
  for (const a of active) {
    tokens = addTokens(tokens, a.tokens);
    costUsd += a.reportedCostUsd ?? a.pricedCostUsd;
  }
  const reported = active.length > 0 && active.every((a) => a.reportedCostUsd !== null);
  let status: WorkflowRun['status'] = 'incomplete';
  if (input.agents.some((a) => a.isError)) status = 'error';
  else if (active.length > 0 && active.every((a) => a.hadResult)) status = 'success';
  const issue = extractIssue(input.prompts);
  const nlInput = state?.nlInput ?? extractIssueText(input.prompts);
  const startedAt = state?.startedAt ?? minTs(active.map((a) => a.firstTs));
  const endedAt = state?.endedAt ?? maxTs(active.map((a) => a.lastTs));
  let durationMs: number | null = null;
  if (startedAt !== null && endedAt !== null && endedAt >= startedAt) {
    durationMs = Date.parse(endedAt) - Date.parse(startedAt);
  } else if (active.some((a) => a.durationMs !== null)) {
    durationMs = active.reduce((s, a) => s + (a.durationMs ?? 0), 0);
  }
  return {
    adwId: input.adwId,
    issueNumber: state?.issueNumber ?? issue?.number ?? null,
    issueClass: state?.issueClass ?? null,
    workflowType: inferWorkflowType(
      (active.length > 0 ? active : input.agents).map((a) => a.agentName),
      state?.workflowType ?? null,
    ),
    phases,
    models,
    tokens,
    costUsd,
    costBasis: reported ? 'reported' : 'priced',
    durationMs,
    status,
    nlInput,
    wordCount: countWords(nlInput),
    startedAt,
    endedAt,
    stateDir: input.stateDir,
  };
}

function rank(phase: string): number {
  const i = PHASE_ORDER.indexOf(phase);
  return i < 0 ? PHASE_ORDER.length : i;
}
