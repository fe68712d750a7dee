/**
 * The built-in runner `route` uses for an offloaded pattern that has no enabled tool of its own.
 *
 * Candidates: patterns with the offload flag on, an approved status (approved, implemented, active) and
 * a compactor family, while the kill switch is on; a pattern whose signature has a registered tool
 * (enabled or not: a disabled tool means a person or its record said stop) is left to that tool. Each is a matcher document of its stored examples, its signature and a few
 * phrases of its family and target ("run the backend tests").
 *
 * What runs is only the pattern's own recorded command: the newest call of the pattern, recorded before
 * offload was turned on for it (what the person had seen when approving, not a later command that
 * happens to share the signature), that is one simple command (core/offload/offload-file.ts `simpleCommand`) and
 * has an existing absolute cwd, run as
 * `bash -c` in that cwd with stderr joined to stdout (as the agent's Bash tool shows it), a timeout
 * and an output cap. The request's text is matched, never run. The output is compacted with
 * `compact()`; the caller gets the compact text, and the saving is measured: `outputSaving()`
 * (core/learning/savings) of the output's raw tokens against the compact text's (ceil(bytes / 4)
 * both): the tokens left out, priced as input with the pattern's model. A dry run reports the
 * pattern's expected saving per use, as the router's dry run does (route-savings.ts). The command's
 * exit status is part of the answer (failing tests are a result); a run that could not start, was
 * killed, timed out, passed the cap or exited 126/127 (not runnable) answers `llm`.
 */
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { compact, type CompactFamily } from '../../core/compact/index.js';
import { simpleCommand } from '../../core/offload/offload-file.js';
import type { PatternStatus } from '../../core/types.js';
import { stringListOf } from '../../core/json-value.js';
import type { RouteParams, RouteResult, RouteToolResult } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Store } from '../store/store.js';
import {
  expectedSavingOf,
  measuredCompaction,
  recordRouted,
  type MeasuredSaving,
  type RoutedCall,
} from './route-savings.js';
import type { RunOutcome, ToolRunner } from './tool-runner.js';
import { familyOfRow } from '../offload/pattern-offload.js';

export const BUILTIN_TOOL = 'outloop-run';
export const BUILTIN_TIMEOUT_MS = 600_000;
export const BUILTIN_OUTPUT_CAP_BYTES = 8 * 1024 * 1024;
/** recorded calls looked at to find the command to run */
const EXAMPLE_CALLS = 20;

export interface BuiltinTarget {
  patternId: number;
  signature: string;
  status: PatternStatus;
  family: CompactFamily;
  confidence: number;
  /** when offload was turned on: only calls recorded until then may run */
  since: string | null;
  /** matcher texts */
  texts: string[];
}

const FAMILY_PHRASES: Readonly<Record<CompactFamily, readonly string[]>> = {
  test: ['run the tests', 'run the {t} tests'],
  build: ['build', 'build the {t}', 'type check the {t}'],
  lint: ['lint', 'lint the {t}', 'run the linter'],
  format: ['format the code', 'format the {t}'],
  install: ['install the dependencies', 'install the {t} dependencies'],
  git: ['git {s}', 'show the git {s}'],
  generic: [],
};

/** Phrases a request for this pattern is likely to use, from its family, subcategory and target. */
export function builtinPhrases(signature: string, family: CompactFamily): string[] {
  const [, sub = '', target = 'all'] = signature.split(':');
  return FAMILY_PHRASES[family]
    .filter((p) => !p.includes('{t}') || target !== 'all')
    .map((p) => p.replaceAll('{t}', target).replaceAll('{s}', sub));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const SUMMARY_MAX_CHARS = 300;

/** The output's last non-empty line (ANSI left out), as the summary when the compactor read none. */
function lastLine(output: string): string {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').split(/\r?\n|\r/);
  const last = lines.map((l) => l.trim()).findLast((l) => l !== '') ?? '(no output)';
  return last.length <= SUMMARY_MAX_CHARS ? last : `${last.slice(0, SUMMARY_MAX_CHARS - 1)}…`;
}

function failureOf(o: RunOutcome): string | null {
  if (o.spawnError !== null) return `bash could not be started (${o.spawnError})`;
  if (o.overCap) return `output passed the ${BUILTIN_OUTPUT_CAP_BYTES}-byte cap; the command was killed`;
  if (o.timedOut) return `timed out after ${BUILTIN_TIMEOUT_MS / 1000} s; the command's process group was killed`;
  if (o.signal !== null) return `killed by ${o.signal}`;
  if (o.exitCode === 126 || o.exitCode === 127) return `exit code ${o.exitCode}: the command could not be run here`;
  return null;
}

export class BuiltinRoute {
  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly runner: ToolRunner,
  ) {}

  /** Changes whenever the candidates may have (the router's cache key). */
  fingerprint(): string {
    return this.store.offload.fingerprint();
  }

  /** The offloaded patterns `route` may run, without those whose signature has a registered tool (`withTool`). */
  targets(withTool: ReadonlySet<string>): BuiltinTarget[] {
    if (!this.store.offload.enabled()) return [];
    const out: BuiltinTarget[] = [];
    for (const row of this.store.offload.offloaded()) {
      if (withTool.has(row.signature)) continue;
      const family = familyOfRow(row);
      if (family === null) continue;
      out.push({
        patternId: row.id,
        signature: row.signature,
        status: row.status,
        family,
        confidence: row.confidence,
        since: row.offload_changed_at,
        texts: [...stringListOf(row.examples), row.signature, ...builtinPhrases(row.signature, family)],
      });
    }
    return out;
  }

  /**
   * The newest command of the pattern recorded by `since` that may run: one simple command with an
   * existing cwd.
   */
  commandFor(patternId: number, since: string | null): { command: string; cwd: string } | null {
    const untilMs = since === null ? Number.NaN : Date.parse(since);
    if (!Number.isFinite(untilMs)) return null;
    for (const r of this.store.offload.exampleRuns(patternId, untilMs, EXAMPLE_CALLS)) {
      if (r.cwd === null || !isAbsolute(r.cwd) || !simpleCommand(r.command).ok) continue;
      if (isDir(r.cwd)) return { command: r.command, cwd: r.cwd };
    }
    return null;
  }

  /**
   * The answer for a request whose best match is `t`: `llm` below the threshold, else the run (or,
   * dry, what would run). `base` is the router's `llm` answer with the match's scores.
   */
  async answer(base: RouteResult, t: BuiltinTarget, atThreshold: boolean, p: RouteParams): Promise<RouteResult> {
    const view: RouteResult = { ...base, pattern: { id: t.patternId, signature: t.signature, status: t.status } };
    if (!atThreshold) {
      return {
        ...view,
        reason: `best match ${t.signature} (offloaded) has similarity ${view.similarity}, below the threshold ${view.threshold}`,
      };
    }
    const found = this.commandFor(t.patternId, t.since);
    if (found === null) {
      return {
        ...view,
        reason: `cannot run ${t.signature}: none of its calls recorded before it was offloaded is one simple command with an existing directory`,
      };
    }
    const withTool = { ...view, tool: { name: BUILTIN_TOOL, argv: ['bash', '-c', found.command] } };
    if (view.dryRun) {
      const s = expectedSavingOf(this.store, t.patternId);
      return {
        ...withTool,
        decision: 'tool',
        tokensSaved: s.tokensSaved,
        costSavedUsd: s.usd,
        reason: `dry run: would run \`${found.command}\` in ${found.cwd} and compact its output (${t.family})`,
      };
    }
    return this.run(withTool, t, p, found);
  }

  private async run(
    view: RouteResult,
    t: BuiltinTarget,
    p: RouteParams,
    { command, cwd }: { command: string; cwd: string },
  ): Promise<RouteResult> {
    const startedAt = new Date();
    const outcome = await this.runner.run(`builtin:${t.patternId}`, {
      file: 'bash',
      // the stored command only; `exec 2>&1` first so stderr interleaves with stdout
      args: ['-c', `exec 2>&1\n${command}`],
      cwd,
      input: '',
      timeoutMs: BUILTIN_TIMEOUT_MS,
      outputCapBytes: BUILTIN_OUTPUT_CAP_BYTES,
      env: { OUTLOOP_TOOL: BUILTIN_TOOL, OUTLOOP_SIGNATURE: t.signature },
    });
    const failure = failureOf(outcome);
    const output = new TextDecoder().decode(Buffer.concat([outcome.stdout, outcome.stderr]));
    const c = compact(command, output, outcome.exitCode);
    const ok = failure === null;
    const measured = ok ? measuredCompaction(this.store, t.patternId, c.rawTokens, c.compactTokens) : null;
    const endedAt = new Date(Math.max(Date.now(), startedAt.getTime() + outcome.durationMs));
    const result: RouteToolResult = {
      exitCode: outcome.exitCode,
      summary: c.facts.summary ?? lastLine(output),
      output: c.text,
      truncated: outcome.overCap,
      durationMs: outcome.durationMs,
    };
    this.record(t, p, { command, cwd, startedAt, endedAt, outcome, ok, failure, c }, measured);
    if (measured === null) return { ...view, result, reason: `${BUILTIN_TOOL} ${t.signature} failed: ${failure}` };
    const { tokensSaved, usd } = measured.saving;
    this.hub.publish(
      'savings',
      `ran ${t.signature} for a route request: ${c.rawTokens} → ${c.compactTokens} tokens (saved ${tokensSaved})`,
      { patternId: t.patternId },
    );
    return {
      ...view,
      decision: 'tool',
      result,
      tokensSaved,
      costSavedUsd: usd,
      reason: `ran \`${command}\` (exit ${outcome.exitCode ?? '?'}), compacted ${c.rawTokens} → ${c.compactTokens} tokens (${c.tool})`,
    };
  }

  /** The routed call, and on success its measured saving and the pattern's routed run, in one transaction. */
  private record(
    t: BuiltinTarget,
    p: RouteParams,
    r: {
      command: string;
      cwd: string;
      startedAt: Date;
      endedAt: Date;
      outcome: RunOutcome;
      ok: boolean;
      failure: string | null;
      c: ReturnType<typeof compact>;
    },
    measured: MeasuredSaving | null,
  ): void {
    const request = JSON.stringify({
      input: p.input.slice(0, 8192),
      pattern: { id: t.patternId, signature: t.signature },
    });
    const call: RoutedCall = {
      toolName: BUILTIN_TOOL,
      command: r.command,
      signature: t.signature,
      cwd: r.cwd,
      inputJson: request,
      inputBytes: Buffer.byteLength(request),
      responseBytes: r.outcome.bytes,
      exitCode: r.outcome.exitCode,
      isError: !r.ok || r.outcome.exitCode !== 0,
      durationMs: r.outcome.durationMs,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt.toISOString(),
      toolId: null,
      result: JSON.stringify({
        ok: r.ok,
        reason: r.failure,
        family: r.c.family,
        compactor: r.c.tool,
        rawTokens: r.c.rawTokens,
        compactTokens: r.c.compactTokens,
      }),
    };
    this.store.tx(() => recordRouted(this.store, call, measured));
  }
}
