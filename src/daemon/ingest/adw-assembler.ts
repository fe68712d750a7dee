import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  assembleWorkflowRun,
  parseAdwState,
  summarizeAgentOutput,
  type AdwState,
  type AgentSummary,
} from '../../core/records/adw.js';
import { streamJsonArrayLines } from '../../core/records/stream-json.js';
import type { WorkflowRun } from '../../core/types.js';

const OUTPUT_NAMES = ['raw_output.jsonl', 'cc_raw_output.jsonl'];

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function promptsIn(dir: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const f of listDir(dir).sort()) {
    if (!f.endsWith('.txt')) continue;
    const text = readText(join(dir, f));
    if (text !== null) out.push({ name: f.slice(0, -4), text });
  }
  return out;
}

/** The lines of an agent's output: the `.jsonl` when it has content, else the `raw_output.json` array. */
function agentLines(agentDir: string): string[] {
  for (const name of OUTPUT_NAMES) {
    const text = readText(join(agentDir, name));
    if (text !== null && text.trim() !== '') return text.split('\n').filter((l) => l.trim() !== '');
  }
  const arr = readText(join(agentDir, 'raw_output.json'));
  return arr ? streamJsonArrayLines(arr) : [];
}

export type AssembleOutcome =
  { ok: true; run: WorkflowRun; stateError: string | null } | { ok: false; reason: string; retry: boolean };

/**
 * Reads `agents/<adw_id>/` whole (state, each agent's output, prompts) into one WorkflowRun.
 * A half-written state file (state writes are not atomic) is reported so the caller retries on
 * the next change; with `final` (the file has settled, or an explicit ingest) the run is built
 * without it and `stateError` says why.
 */
export function assembleFromDir(adwDir: string, adwId: string, opts: { final?: boolean } = {}): AssembleOutcome {
  let state: AdwState | null = null;
  let stateError: string | null = null;
  const stateText = readText(join(adwDir, 'adw_state.json'));
  if (stateText !== null && stateText.trim() !== '') {
    const parsed = parseAdwState(stateText);
    if (parsed.ok) state = parsed.state;
    else if (!opts.final) return { ok: false, reason: `adw_state.json: ${parsed.reason}`, retry: true };
    else stateError = parsed.reason;
  }
  const agents: AgentSummary[] = [];
  const prompts = promptsIn(join(adwDir, 'prompts'));
  for (const entry of listDir(adwDir).sort()) {
    const dir = join(adwDir, entry);
    if (entry === 'prompts' || !isDir(dir)) continue;
    prompts.push(...promptsIn(join(dir, 'prompts')));
    const lines = agentLines(dir);
    if (lines.length === 0 && !listDir(dir).some((f) => f.startsWith('raw_output') || f === 'cc_raw_output.jsonl'))
      continue;
    agents.push(summarizeAgentOutput(entry, lines));
  }
  if (state === null && agents.length === 0 && prompts.length === 0) {
    return {
      ok: false,
      reason: stateError ? `adw_state.json: ${stateError}` : 'nothing to read yet',
      retry: stateError === null,
    };
  }
  return { ok: true, run: assembleWorkflowRun({ adwId, stateDir: adwDir, state, agents, prompts }), stateError };
}

export function adwIdOf(adwDir: string): string {
  return basename(adwDir);
}
