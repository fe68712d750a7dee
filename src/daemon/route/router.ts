/**
 * `route`: should this request run a registered tool instead of the LLM?
 *
 * Candidates are the enabled tools of approved or active patterns (tool and pattern share the
 * signature), and the offloaded patterns without such a tool, run by the built-in runner
 * (builtin-runner.ts: the pattern's own recorded command, its output compacted). Each is one
 * matcher document (core/route/matcher.ts, BM25): the pattern's example inputs, the tool's trigger phrases
 * and the signature's words, with the pattern's confidence. The index is rebuilt when the routable set or one of its patterns changes (checked on every request through a
 * cheap fingerprint query, so an approval routes on the very next request).
 *
 * Decision: the approval is the decision to automate, so the request's similarity decides: the
 * best-scored candidate (score = 0.8 similarity + 0.2 confidence, which ranks) whose similarity is at
 * or above the threshold (config `routeThreshold`, default 70; `threshold` per call) runs. Anything
 * else, and every tool failure, answers `llm` with the reason.
 *
 * Savings of a successful run (written to `cost_savings_log` as `pattern_offload` with a
 * `tool_calls` row, and added to the pattern as a measured routed run):
 * - tool tokens = ceil(bytes of what the caller gets back (summary + output) / 4);
 * - tokens saved = max(0, the pattern's average LLM tokens per use − tool tokens);
 * - cost saved = max(0, the pattern's average LLM cost per use − the tool tokens priced as input
 *   with the pattern's model; 0 when the model is unknown), rounded to 4 decimals.
 * A dry run reports the expected figures from the pattern's averages and runs nothing.
 *
 * Tool health: every real run counts in the tool's record; once it has at least MIN_RUNS runs and a
 * success rate below MIN_SUCCESS_RATE, the tool is disabled (with the reason, shown by `tools
 * list`) until someone enables it again.
 */
import { REPLAY_KEY } from '../../core/learning/savings-replay.js';
import { randomUUID } from 'node:crypto';
import { Matcher, type MatchDoc } from '../../core/route/matcher.js';
import { inputTokensCostUsd } from '../../core/usage/pricing.js';
import { estimateTokensFromBytes, roundUsd } from '../../core/learning/savings.js';
import { stringListOf } from '../../core/json-value.js';
import type { RouteParams, RouteResult, RouteToolResult } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { BuiltinRoute, BuiltinTarget } from './builtin-runner.js';
import type { Store } from '../store/store.js';
import type { RoutableRow, ToolRow } from '../store/tools-repo.js';
import { interpret } from './tool-output.js';
import { executableProblem, pinProblem, runCwd } from './tool-registry.js';
import type { ToolRunner } from './tool-runner.js';
import { toSummary } from '../handlers/pattern-view.js';

export const MIN_RUNS = 5;
export const MIN_SUCCESS_RATE = 0.8;
export const DEFAULT_ROUTE_THRESHOLD = 70;
const STORED_INPUT_CHARS = 8192;

export interface RouterOptions {
  store: Store;
  hub: Hub;
  logger: Logger;
  runner: ToolRunner;
  /** default threshold (config routeThreshold) */
  threshold?: number;
  /** cwd for tools with the `inherit` policy */
  daemonCwd?: string;
  /** the built-in runner of offloaded patterns (none: registered tools only) */
  builtin?: BuiltinRoute;
}

interface Index {
  key: string;
  matcher: Matcher;
  targets: Map<number, RoutableRow>;
  /** by matcher id: minus the pattern id (tool ids are positive) */
  builtins: Map<number, BuiltinTarget>;
}

function healthProblem(t: ToolRow): string | null {
  if (t.runs < MIN_RUNS || t.successes / t.runs >= MIN_SUCCESS_RATE) return null;
  const pct = Math.round((t.successes / t.runs) * 1000) / 10;
  return `success rate ${pct}% over ${t.runs} runs is below ${MIN_SUCCESS_RATE * 100}%`;
}

export class Router {
  #index: Index | null = null;
  readonly #o: RouterOptions;

  constructor(o: RouterOptions) {
    this.#o = o;
  }

  get threshold(): number {
    return this.#o.threshold ?? DEFAULT_ROUTE_THRESHOLD;
  }

  /** Number of routable tools and built-in targets in the current index (rebuilding it if stale). */
  get routableCount(): number {
    const { targets, builtins } = this.index();
    return targets.size + builtins.size;
  }

  /** Forces a rebuild on the next request. */
  invalidate(): void {
    this.#index = null;
  }

  private index(): Index {
    const { tools } = this.#o.store;
    const builtin = this.#o.builtin;
    const key = `${tools.version}|${tools.routableFingerprint()}|${builtin?.fingerprint() ?? ''}`;
    if (this.#index !== null && this.#index.key === key) return this.#index;
    const rows = tools.routable();
    const targets = new Map<number, RoutableRow>();
    const builtins = new Map<number, BuiltinTarget>();
    const docs: MatchDoc[] = [];
    // a pattern with a registered tool (even a disabled one) is that tool's to route
    for (const b of builtin?.targets(new Set(tools.all().map((t) => t.signature))) ?? []) {
      builtins.set(-b.patternId, b);
      docs.push({ id: -b.patternId, texts: b.texts, confidence: b.confidence });
    }
    for (const r of rows) {
      targets.set(r.id, r);
      docs.push({
        id: r.id,
        texts: [...stringListOf(r.pattern_examples), ...stringListOf(r.triggers), r.signature],
        confidence: r.pattern_confidence,
      });
    }
    this.#index = { key, matcher: new Matcher(docs), targets, builtins };
    return this.#index;
  }

  async route(p: RouteParams): Promise<RouteResult> {
    const threshold = p.threshold ?? this.threshold;
    const dryRun = p.dryRun === true;
    const llm: RouteResult = {
      decision: 'llm',
      pattern: null,
      confidence: 0,
      similarity: 0,
      score: 0,
      threshold,
      tool: null,
      result: null,
      tokensSaved: 0,
      costSavedUsd: 0,
      dryRun,
      reason: '',
    };
    if (p.input.trim() === '') return { ...llm, reason: 'empty input: nothing to match' };
    const { matcher, targets, builtins } = this.index();
    if (targets.size === 0 && builtins.size === 0) {
      return { ...llm, reason: 'no routable tool: register a tool for an approved pattern (outloop tools register)' };
    }
    const scored = matcher.score(p.input);
    const pick = scored.find((s) => s.similarity >= threshold);
    const top = pick ?? scored[0];
    const b = top === undefined ? undefined : builtins.get(top.id);
    if (top !== undefined && b !== undefined && this.#o.builtin)
      return this.#o.builtin.answer(
        { ...llm, confidence: top.confidence, similarity: top.similarity, score: top.score },
        b,
        pick !== undefined,
        p,
      );
    const target = top === undefined ? undefined : targets.get(top.id);
    if (top === undefined || target === undefined) return { ...llm, reason: 'no approved pattern matches the request' };
    const view: RouteResult = {
      ...llm,
      pattern: { id: target.pattern_id, signature: target.signature, status: target.pattern_status },
      confidence: top.confidence,
      similarity: top.similarity,
      score: top.score,
      tool: { name: target.name, argv: stringListOf(target.argv) },
    };
    if (pick === undefined) {
      return {
        ...view,
        reason: `best match ${target.signature} (tool ${target.name}) has similarity ${top.similarity}, below the threshold ${threshold}`,
      };
    }
    const changed = pinProblem(target);
    if (changed !== null) return { ...view, reason: this.disableChanged(target, changed) };
    const problem = executableProblem(target.pin_real_path ?? target.resolved_path);
    const where = runCwd(target, p.cwd, this.#o.daemonCwd ?? process.cwd());
    if ('problem' in where) return { ...view, reason: `cannot run tool ${target.name}: ${where.problem}` };
    if (dryRun) {
      if (problem) return { ...view, reason: `dry run: tool ${target.name} cannot run: ${problem}` };
      const econ = this.economics(target.pattern_id);
      const toolTokens = econ?.avgTokensWithTool ?? 0;
      return {
        ...view,
        decision: 'tool',
        tokensSaved: econ ? Math.max(0, econ.avgTokensWithLlm - toolTokens) : 0,
        costSavedUsd: econ ? roundUsd(Math.max(0, econ.avgCostWithLlmUsd - econ.avgCostWithToolUsd)) : 0,
        reason: `dry run: would run ${target.name} (similarity ${top.similarity} ≥ threshold ${threshold}); savings are the pattern's expected figures`,
      };
    }
    return this.run(view, target, p, where.cwd, problem);
  }

  /** A tool whose executable is not the one registered is disabled until registered again. */
  private disableChanged(t: RoutableRow, changed: string): string {
    const { store, hub, logger } = this.#o;
    const reason = `disabled automatically: ${changed}`;
    store.tools.setEnabled(t.id, false, reason);
    hub.publish('warning', `tool ${t.name} ${reason}`, { patternId: t.pattern_id });
    logger.warn(`tool ${t.name} ${reason}`);
    return `tool ${t.name} ${reason}`;
  }

  private economics(patternId: number): ReturnType<typeof toSummary> | null {
    const row = this.#o.store.patterns.get(patternId);
    return row ? toSummary(row, undefined, null, this.#o.store.replay.forSignature(REPLAY_KEY, row.signature)) : null;
  }

  private async run(
    view: RouteResult,
    t: RoutableRow,
    p: RouteParams,
    cwd: string,
    problem: string | null,
  ): Promise<RouteResult> {
    const { store, hub, runner } = this.#o;
    const argv = stringListOf(t.argv);
    const request = `${JSON.stringify({
      input: p.input,
      cwd,
      workflowType: p.workflowType ?? null,
      pattern: { id: t.pattern_id, signature: t.signature },
      tool: t.name,
    })}\n`;
    const startedAt = new Date();
    let ok: boolean;
    let failure: string | null;
    let result: RouteToolResult;
    let bytes = 0;
    if (problem !== null) {
      ok = false;
      failure = `the tool cannot run: ${problem}`;
      result = { exitCode: null, summary: problem, output: '', truncated: false, durationMs: 0 };
    } else {
      const outcome = await runner.run(String(t.id), {
        // the file that was pinned, not whatever the registered name resolves to by now
        file: t.pin_real_path ?? t.resolved_path,
        args: argv.slice(1),
        cwd,
        input: request,
        timeoutMs: t.timeout_ms,
        outputCapBytes: t.output_cap_bytes,
        env: { OUTLOOP_TOOL: t.name, OUTLOOP_SIGNATURE: t.signature },
      });
      const r = interpret(outcome, t.timeout_ms, t.output_cap_bytes);
      ok = r.ok;
      failure = r.failure;
      bytes = outcome.bytes;
      result = {
        exitCode: outcome.exitCode,
        summary: r.summary,
        output: r.output,
        truncated: r.truncated,
        durationMs: outcome.durationMs,
      };
    }
    const endedAt = new Date(Math.max(Date.now(), startedAt.getTime() + result.durationMs));
    const toolTokens = estimateTokensFromBytes(Buffer.byteLength(result.summary) + Buffer.byteLength(result.output));
    const econ = ok ? this.economics(t.pattern_id) : null;
    const model = ok ? (store.patterns.get(t.pattern_id)?.model ?? null) : null;
    const llmTokens = econ?.avgTokensWithLlm ?? 0;
    const tokensSaved = ok ? Math.max(0, llmTokens - toolTokens) : 0;
    const toolCost = inputTokensCostUsd(model, toolTokens);
    const costSavedUsd = ok && econ ? roundUsd(Math.max(0, econ.avgCostWithLlmUsd - toolCost)) : 0;

    let disabled: string | null = null;
    store.tx(() => {
      const callId = store.toolCalls.insertRouted({
        callKey: `route:${randomUUID()}`,
        toolName: t.name,
        command: argv.join(' '),
        signature: t.signature,
        cwd,
        inputJson: request.length > STORED_INPUT_CHARS ? `${request.slice(0, STORED_INPUT_CHARS)}…` : request.trimEnd(),
        inputBytes: Buffer.byteLength(request),
        responseBytes: bytes,
        exitCode: result.exitCode,
        isError: !ok,
        durationMs: result.durationMs,
        startedAt: startedAt.toISOString(),
        endedAt: endedAt.toISOString(),
        toolId: t.id,
        result: JSON.stringify({ ok, reason: failure, summary: result.summary, toolTokens }),
        tokensSaved,
      });
      store.counts.add('toolCalls', 1);
      if (ok) {
        store.savings.add({
          patternId: t.pattern_id,
          toolId: t.id,
          toolCallId: callId,
          optimizationType: 'pattern_offload',
          tokensWithLlm: llmTokens,
          tokensWithTool: toolTokens,
          tokensSaved,
          costSavedUsd,
          ts: endedAt.toISOString(),
        });
        store.patterns.addRoutedRun(t.pattern_id, toolTokens);
      }
      const after = store.tools.recordRun(t.id, ok);
      const unhealthy = after && after.enabled === 1 ? healthProblem(after) : null;
      if (unhealthy) {
        disabled = `disabled automatically: ${unhealthy}`;
        store.tools.setEnabled(t.id, false, disabled);
      }
    });
    const short = p.input.length > 60 ? `${p.input.slice(0, 59)}…` : p.input;
    if (ok) {
      hub.publish(
        'savings',
        `routed "${short}" to ${t.name}: saved ${tokensSaved} tokens ($${costSavedUsd.toFixed(4)})`,
        {
          patternId: t.pattern_id,
        },
      );
    } else {
      hub.publish('tool_call', `tool ${t.name} failed (${failure ?? 'failed'}); answered llm`, {
        patternId: t.pattern_id,
      });
    }
    if (disabled) {
      hub.publish('warning', `tool ${t.name} ${disabled}`, { patternId: t.pattern_id });
      this.#o.logger.warn(`tool ${t.name} ${disabled}`);
    }
    const base = { ...view, result };
    if (!ok) {
      return {
        ...base,
        decision: 'llm',
        reason: `tool ${t.name} failed: ${failure ?? 'unknown failure'}${disabled ? `; ${disabled}` : ''}`,
      };
    }
    return { ...base, decision: 'tool', tokensSaved, costSavedUsd, reason: `ran ${t.name}: ${result.summary}` };
  }
}
