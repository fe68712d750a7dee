/**
 * `route`: should this request run a registered tool instead of the LLM?
 *
 * Candidates are the enabled tools of approved or active patterns (tool and pattern share the
 * signature), and the offloaded patterns without such a tool, run by the built-in runner
 * (builtin-runner.ts: the pattern's own recorded command, its output compacted), all in one matcher
 * index (route-index.ts).
 *
 * Decision: the approval is the decision to automate, so the request's similarity decides: the
 * best-scored candidate (score = 0.8 similarity + 0.2 confidence, which ranks) whose similarity is at
 * or above the threshold (config `routeThreshold`, default 70; `threshold` per call) runs. Anything
 * else, and every tool failure, answers `llm` with the reason.
 *
 * Savings of a successful run (written to `cost_savings_log` as `pattern_offload` with a
 * `tool_calls` row, and added to the pattern as a measured routed run, route-savings.ts):
 * `saving()` (core/learning/savings) of the pattern's average LLM tokens and cost per use against
 * the tool tokens, ceil(bytes of what the caller gets back (summary + output) / 4): tokens saved =
 * max(0, LLM tokens − tool tokens), cost saved = max(0, LLM cost − the tool tokens priced as input
 * with the pattern's model). A dry run runs nothing and reports the same `saving()` of the pattern's
 * expected tool tokens.
 *
 * Tool health: every real run counts in the tool's record; once it has at least MIN_RUNS runs and a
 * success rate below MIN_SUCCESS_RATE, the tool is disabled (with the reason, shown by `tools
 * list`) until someone enables it again.
 */
import { stringListOf } from '../../core/json-value.js';
import type { MatchResult } from '../../core/route/matcher.js';
import type { RouteParams, RouteResult } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { RoutableRow, ToolRow } from '../store/tools-repo.js';
import type { BuiltinRoute } from './builtin-runner.js';
import { buildRouteIndex, routeIndexKey, type RouteIndex } from './route-index.js';
import { expectedSavingOf, measuredToolRun, recordRouted, type MeasuredSaving } from './route-savings.js';
import { answerTokens, callTool, routedCallOf, toolRequest, type RunRecord, type ToolCall } from './tool-call.js';
import { executableProblem, pinProblem, runCwd } from './tool-registry.js';
import type { ToolRunner } from './tool-runner.js';

export const MIN_RUNS = 5;
export const MIN_SUCCESS_RATE = 0.8;
export const DEFAULT_ROUTE_THRESHOLD = 70;

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

/** How a request matched: an answer already, or the best candidate and whether it reached the threshold. */
type Match = { answer: RouteResult } | { top: MatchResult; atThreshold: boolean; index: RouteIndex };

/** The `llm` answer every other answer starts from. */
function llmAnswer(threshold: number, dryRun: boolean): RouteResult {
  return {
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
}

/** The answer naming the matched pattern and its registered tool. */
function toolView(scored: RouteResult, t: RoutableRow): RouteResult {
  return {
    ...scored,
    pattern: { id: t.pattern_id, signature: t.signature, status: t.pattern_status },
    tool: { name: t.name, argv: stringListOf(t.argv) },
  };
}

function healthProblem(t: ToolRow): string | null {
  if (t.runs < MIN_RUNS || t.successes / t.runs >= MIN_SUCCESS_RATE) return null;
  const pct = Math.round((t.successes / t.runs) * 1000) / 10;
  return `success rate ${pct}% over ${t.runs} runs is below ${MIN_SUCCESS_RATE * 100}%`;
}

export class Router {
  #index: RouteIndex | null = null;
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

  private index(): RouteIndex {
    const key = routeIndexKey(this.#o.store, this.#o.builtin);
    if (this.#index === null || this.#index.key !== key)
      this.#index = buildRouteIndex(this.#o.store, this.#o.builtin, key);
    return this.#index;
  }

  /** Matches the request, chooses the target and answers: a run, a dry run or `llm` with the reason. */
  async route(p: RouteParams): Promise<RouteResult> {
    const llm = llmAnswer(p.threshold ?? this.threshold, p.dryRun === true);
    const m = this.match(p.input, llm);
    if ('answer' in m) return m.answer;
    const scored: RouteResult = {
      ...llm,
      confidence: m.top.confidence,
      similarity: m.top.similarity,
      score: m.top.score,
    };
    const b = m.index.builtins.get(m.top.id);
    if (b !== undefined && this.#o.builtin) return this.#o.builtin.answer(scored, b, m.atThreshold, p);
    const target = m.index.targets.get(m.top.id);
    if (target === undefined) return { ...llm, reason: 'no approved pattern matches the request' };
    return this.choose(toolView(scored, target), target, m.atThreshold, p);
  }

  /** The best-scored candidate, preferring one whose similarity reaches the threshold. */
  private match(input: string, llm: RouteResult): Match {
    if (input.trim() === '') return { answer: { ...llm, reason: 'empty input: nothing to match' } };
    const index = this.index();
    if (index.targets.size === 0 && index.builtins.size === 0) {
      return {
        answer: {
          ...llm,
          reason: 'no routable tool: register a tool for an approved pattern (outloop tools register)',
        },
      };
    }
    const scored = index.matcher.score(input);
    const pick = scored.find((s) => s.similarity >= llm.threshold);
    const top = pick ?? scored[0];
    if (top === undefined) return { answer: { ...llm, reason: 'no approved pattern matches the request' } };
    return { top, atThreshold: pick !== undefined, index };
  }

  /** Whether the matched tool may run here: at the threshold, still the pinned file, with a cwd. */
  private choose(
    view: RouteResult,
    t: RoutableRow,
    atThreshold: boolean,
    p: RouteParams,
  ): Promise<RouteResult> | RouteResult {
    if (!atThreshold) {
      return {
        ...view,
        reason: `best match ${t.signature} (tool ${t.name}) has similarity ${view.similarity}, below the threshold ${view.threshold}`,
      };
    }
    const changed = pinProblem(t);
    if (changed !== null) return { ...view, reason: this.disableChanged(t, changed) };
    const problem = executableProblem(t.pin_real_path ?? t.resolved_path);
    const where = runCwd(t, p.cwd, this.#o.daemonCwd ?? process.cwd());
    if ('problem' in where) return { ...view, reason: `cannot run tool ${t.name}: ${where.problem}` };
    if (view.dryRun) return this.dryRun(view, t, problem);
    return this.run(view, t, p, where.cwd, problem);
  }

  /** What would run and the pattern's expected saving; nothing runs. */
  private dryRun(view: RouteResult, t: RoutableRow, problem: string | null): RouteResult {
    if (problem) return { ...view, reason: `dry run: tool ${t.name} cannot run: ${problem}` };
    const s = expectedSavingOf(this.#o.store, t.pattern_id);
    return {
      ...view,
      decision: 'tool',
      tokensSaved: s.tokensSaved,
      costSavedUsd: s.usd,
      reason: `dry run: would run ${t.name} (similarity ${view.similarity} ≥ threshold ${view.threshold}); savings are the pattern's expected figures`,
    };
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

  /** Runs the tool, records the call and its saving, and answers with the tool's result. */
  private async run(
    view: RouteResult,
    t: RoutableRow,
    p: RouteParams,
    cwd: string,
    problem: string | null,
  ): Promise<RouteResult> {
    const request = toolRequest(p, cwd, t);
    const startedAt = new Date();
    const call = await callTool(this.#o.runner, t, request, cwd, problem);
    const endedAt = new Date(Math.max(Date.now(), startedAt.getTime() + call.result.durationMs));
    const toolTokens = answerTokens(call.result);
    const measured = call.ok ? measuredToolRun(this.#o.store, t.pattern_id, t.id, toolTokens) : null;
    const disabled = this.record(t, { request, cwd, startedAt, endedAt, call, toolTokens }, measured);
    this.announce(t, p.input, call, measured, disabled);
    const base = { ...view, result: call.result };
    if (measured === null) {
      return {
        ...base,
        decision: 'llm',
        reason: `tool ${t.name} failed: ${call.failure ?? 'unknown failure'}${disabled ? `; ${disabled}` : ''}`,
      };
    }
    const { tokensSaved, usd } = measured.saving;
    return {
      ...base,
      decision: 'tool',
      tokensSaved,
      costSavedUsd: usd,
      reason: `ran ${t.name}: ${call.result.summary}`,
    };
  }

  /**
   * In one transaction: the routed call, its saving and the pattern's routed run (route-savings.ts),
   * and the tool's run record; a tool that falls below the success rate is disabled. Returns why it was.
   */
  private record(t: RoutableRow, r: RunRecord, measured: MeasuredSaving | null): string | null {
    const { store } = this.#o;
    return store.tx(() => {
      recordRouted(store, routedCallOf(t, r), measured);
      const after = store.tools.recordRun(t.id, r.call.ok);
      const unhealthy = after && after.enabled === 1 ? healthProblem(after) : null;
      if (unhealthy === null) return null;
      const disabled = `disabled automatically: ${unhealthy}`;
      store.tools.setEnabled(t.id, false, disabled);
      return disabled;
    });
  }

  /** The live feed: the saving of a run, or its failure; and a tool disabled by its record. */
  private announce(
    t: RoutableRow,
    input: string,
    call: ToolCall,
    measured: MeasuredSaving | null,
    disabled: string | null,
  ): void {
    const { hub, logger } = this.#o;
    const short = input.length > 60 ? `${input.slice(0, 59)}…` : input;
    if (measured !== null) {
      const { tokensSaved, usd } = measured.saving;
      hub.publish('savings', `routed "${short}" to ${t.name}: saved ${tokensSaved} tokens ($${usd.toFixed(4)})`, {
        patternId: t.pattern_id,
      });
    } else {
      hub.publish('tool_call', `tool ${t.name} failed (${call.failure ?? 'failed'}); answered llm`, {
        patternId: t.pattern_id,
      });
    }
    if (disabled) {
      hub.publish('warning', `tool ${t.name} ${disabled}`, { patternId: t.pattern_id });
      logger.warn(`tool ${t.name} ${disabled}`);
    }
  }
}
