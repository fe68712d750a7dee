/**
 * Discovery (weekly and on demand): which patterns deserve a suggestion, and filing each one once.
 *
 * One run:
 * 1. Filed issues are checked first (`gh issue view`): one closed with label `implemented` moves its
 *    pattern on. The lifecycle only implements an approved pattern, so a detected/candidate one is approved
 *    first; closing the issue as implemented is a person's yes. Both steps are audited (actor `outloop`).
 * 2. Candidates (core/learning/discovery thresholds) are selected; detected ones are promoted to candidate.
 * 3. Each candidate's suggestion (core/learning/suggestion) goes out once:
 *    - with `createIssues` and a working, authenticated gh: a GitHub issue (labels created if missing; an
 *      open or closed issue with the same title is linked instead of filed again);
 *    - otherwise, or when gh fails: Markdown under `<state dir>/suggestions/`.
 *    The location is stored in `operation_patterns.issue_url`: `https://…` is final; `file://…` (Markdown)
 *    is upgraded to an issue by a later run with `createIssues`, and never rewritten otherwise.
 *    After the first gh failure in a run, the rest of that run goes to Markdown (a broken or hanging gh
 *    costs one timeout, not one per candidate).
 * Runs are serialized: a second request waits for the first and then finds everything already filed.
 */
import { AppError } from '../../core/errors.js';
import { renderSuggestion, type Suggestion } from '../../core/learning/suggestion.js';
import { DiscoveryRepo } from '../store/discovery-repo.js';
import type { AnalyzeCandidate, AnalyzeResult, PatternSummary } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { checkFiledIssues } from './filed-issues.js';
import { Gh, ISSUE_URL, locateGh, type Env } from './gh-cli.js';
import { GhSession } from './gh-session.js';
import { IssueFiler } from './issue-filing.js';
import { writeMarkdown } from './markdown-filing.js';
import { promoteCandidate } from './pattern-moves.js';
import { logRunSummary } from './run-summary.js';
import { candidateSelector, type SelectCandidates } from './select.js';
import { WINDOW_MS } from '../handlers/pattern-view.js';
import { suggestionsDir } from './suggestion-files.js';

export { ACTOR } from './pattern-moves.js';
export const LAST_RUN_KEY = 'discovery.lastRunAt';

export interface DiscoveryOptions {
  stateDir: string;
  /** environment for gh (PATH, HOME, GH_TOKEN, OUTLOOP_GH...) */
  env: Env;
  /** works out the candidates (the read thread's in the daemon); by default over this store */
  select?: SelectCandidates;
  ghTimeoutMs?: number;
}

export interface RunRequest {
  createIssues: boolean;
  repo: string | null;
  cwd: string | null;
  trigger: 'manual' | 'schedule';
}

export class Discovery {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly queries: DiscoveryRepo;
  private readonly select: SelectCandidates;
  private closed = false;
  private readonly live = new Set<Gh>();
  /** called after every completed run with its time (the schedule re-arms from it) */
  afterRun: ((atMs: number) => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly hub: Hub,
    private readonly logger: Logger,
    private readonly opts: DiscoveryOptions,
  ) {
    this.queries = new DiscoveryRepo(store.db);
    this.select = opts.select ?? candidateSelector(store);
  }

  /** Queues a run behind any in progress; resolves with its result. */
  run(req: RunRequest): Promise<AnalyzeResult> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'the daemon is shutting down'));
    const p = this.chain.then(() => this.analyze(req));
    this.chain = p.catch(() => undefined);
    return p;
  }

  lastRunAt(): string | null {
    return this.store.meta.get(LAST_RUN_KEY);
  }

  /** Stops running gh calls and waits for the run in progress to wind up. */
  async close(): Promise<void> {
    this.closed = true;
    for (const gh of this.live) gh.killAll();
    await this.chain;
  }

  private async analyze(req: RunRequest): Promise<AnalyzeResult> {
    if (this.closed) throw new AppError('unavailable', 'the daemon is shutting down');
    const startedMs = Date.now();
    const analyzedAt = new Date(startedMs).toISOString();
    const warnings: string[] = [];
    const session = this.ghSession(req);
    try {
      const x = { store: this.store, hub: this.hub, logger: this.logger };
      const implemented = await checkFiledIssues(
        { ...x, queries: this.queries, closed: () => this.closed },
        session,
        warnings,
      );
      const selected = await this.select(startedMs - WINDOW_MS);
      // one transaction for all promotions (each still its own audited review)
      const candidates = this.store.tx(() => selected.map((p) => promoteCandidate(x, p)));
      await this.file(candidates, selected, req, session, warnings);
      const patternsScanned = this.store.patterns.count();
      this.store.meta.set(LAST_RUN_KEY, analyzedAt);
      const result: AnalyzeResult = {
        analyzedAt,
        trigger: req.trigger,
        patternsScanned,
        candidates,
        implemented,
        suggestionsDir: suggestionsDir(this.opts.stateDir),
        gh: session.status,
        warnings,
      };
      logRunSummary(this.logger, this.hub, result, Date.now() - startedMs);
      this.afterRun?.(startedMs);
      return result;
    } finally {
      this.live.clear();
    }
  }

  /** gh for one run, located on first need; every instance is tracked so close() can stop its calls. */
  private ghSession(req: RunRequest): GhSession {
    return new GhSession(
      () =>
        new Gh(locateGh(this.opts.env), {
          env: this.opts.env,
          ...(this.opts.ghTimeoutMs ? { timeoutMs: this.opts.ghTimeoutMs } : {}),
          ...(req.cwd ? { cwd: req.cwd } : {}),
        }),
      (gh) => this.live.add(gh),
    );
  }

  /** Each candidate not filed yet (or only as Markdown, when issues are asked for) goes out once. */
  private async file(
    candidates: AnalyzeCandidate[],
    selected: PatternSummary[],
    req: RunRequest,
    session: GhSession,
    warnings: string[],
  ): Promise<void> {
    const toFile = candidates.filter((c) => c.location === null || (req.createIssues && !ISSUE_URL.test(c.location)));
    const byId = new Map(selected.map((p) => [p.id, p]));
    const suggestionOf = new Map<number, Suggestion>();
    for (const c of toFile) {
      const p = byId.get(c.id);
      if (p) suggestionOf.set(c.id, renderSuggestion(p));
    }
    const all = toFile.map((x) => suggestionOf.get(x.id));
    const issues = new IssueFiler(this.store, this.hub, session, req.repo, all, warnings);
    const markdown: AnalyzeCandidate[] = [];
    for (const c of toFile) {
      const s = suggestionOf.get(c.id);
      if (!s) continue;
      if (this.closed) {
        if (c.location === null) Object.assign(c, { filed: 'failed', error: 'not filed: the daemon is shutting down' });
        continue;
      }
      if (req.createIssues && session.broken === null && (await issues.file(c, s))) continue;
      if (req.createIssues) c.error = session.broken ?? session.status.error;
      if (c.location === null) markdown.push(c); // else its Markdown was written by an earlier run
    }
    await writeMarkdown(this.store, this.opts.stateDir, markdown, suggestionOf);
  }
}
