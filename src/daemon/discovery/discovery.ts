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
import { implementationEffort, priorityOf } from '../../core/learning/discovery.js';
import { AppError, getErrorMessage } from '../../core/errors.js';
import { renderSuggestion, usd, type Suggestion } from '../../core/learning/suggestion.js';
import { DiscoveryRepo } from '../store/discovery-repo.js';
import type { AnalyzeCandidate, AnalyzeResult, PatternSummary } from '../../rpc/protocol.js';
import type { Hub } from '../hub.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { Gh, GhError, ISSUE_URL, locateGh, type Env } from './gh-cli.js';
import { GhSession } from './gh-session.js';
import { candidateSelector, type SelectCandidates } from './select.js';
import { WINDOW_MS } from '../handlers/pattern-view.js';
import { review } from '../handlers/reviews.js';
import { ensureSuggestionsDir, suggestionsDir, writeSuggestionFile } from './suggestion-files.js';

export const LAST_RUN_KEY = 'discovery.lastRunAt';
export const ACTOR = 'outloop';
const CHECKABLE = new Set(['detected', 'candidate', 'approved']);
const VIEW_CONCURRENCY = 4;
/** Markdown writing hands the event loop back after about this long (ms). */
const WRITE_TURN_MS = 10;
const LABEL_STYLE: Record<string, { color: string; description: string }> = {
  'automation-candidate': {
    color: '1d76db',
    description: 'outloop: an operation agents repeat that a script could do',
  },
  'cost-optimization': { color: '0e8a16', description: 'outloop: saves LLM tokens and cost' },
  'priority-high': { color: 'b60205', description: 'outloop: pays back within 3 months' },
  'priority-medium': { color: 'fbca04', description: 'outloop: pays back within 6 months' },
  'priority-low': { color: 'c5def5', description: 'outloop: low return for now' },
};

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
    const session = new GhSession(
      () =>
        new Gh(locateGh(this.opts.env), {
          env: this.opts.env,
          ...(this.opts.ghTimeoutMs ? { timeoutMs: this.opts.ghTimeoutMs } : {}),
          ...(req.cwd ? { cwd: req.cwd } : {}),
        }),
      (gh) => this.live.add(gh),
    );
    try {
      const implemented = await this.checkFiledIssues(session, warnings);
      const selected = await this.select(startedMs - WINDOW_MS);
      // one transaction for all promotions (each still its own audited review)
      const candidates = this.store.tx(() => selected.map((p) => this.promote(p)));
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
      this.report(result, Date.now() - startedMs);
      this.afterRun?.(startedMs);
      return result;
    } finally {
      this.live.clear();
    }
  }

  /** Promotes a detected candidate (audited); the result row starts as "not filed yet". */
  private promote(p: PatternSummary): AnalyzeCandidate {
    let status = p.status;
    let promoted = false;
    // the same priority renderSuggestion gives (the text itself is rendered only when filed)
    const priority = priorityOf(p.monthlySavingsUsd, p.confidence, implementationEffort(p.signature).costUsd);
    if (p.status === 'detected') {
      const note = `analyze: ${p.occurrences} sessions, confidence ${p.confidence}, ${usd(p.monthlySavingsUsd)}/month, priority ${priority}`;
      try {
        status = review(this.store, this.hub, p.id, 'promote', ACTOR, note).status;
        promoted = true;
      } catch (e) {
        // a person reviewed it meanwhile: their decision stands
        status = this.store.patterns.get(p.id)?.status ?? status;
        this.logger.debug(`discovery: not promoting ${p.signature}: ${getErrorMessage(e)}`);
      }
    }
    return {
      id: p.id,
      signature: p.signature,
      status,
      promoted,
      priority,
      monthlySavingsUsd: p.monthlySavingsUsd,
      confidence: p.confidence,
      occurrences: p.occurrences,
      occurrences30d: p.occurrences30d,
      filed: 'already',
      location: p.issueUrl,
      error: null,
    };
  }

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
    let existing: Map<string, string> | null = null;
    const markdown: AnalyzeCandidate[] = [];
    for (const c of toFile) {
      const s = suggestionOf.get(c.id);
      if (!s) continue;
      if (this.closed) {
        if (c.location === null) Object.assign(c, { filed: 'failed', error: 'not filed: the daemon is shutting down' });
        continue;
      }
      if (req.createIssues && session.broken === null) {
        const gh = await session.get();
        if (gh) {
          try {
            existing ??= await this.prepareRepo(
              gh,
              toFile.map((x) => suggestionOf.get(x.id)),
              req.repo,
              warnings,
            );
            const found = existing.get(s.title);
            const url =
              found ?? (await gh.createIssue({ title: s.title, body: s.body, labels: s.labels, repo: req.repo }));
            this.store.patterns.setIssue(c.id, url);
            Object.assign(c, { filed: found ? 'linked' : 'issue', location: url, error: null });
            this.hub.publish('pattern', `${found ? 'linked' : 'filed'} issue for ${c.signature}: ${url}`, {
              patternId: c.id,
            });
            continue;
          } catch (e) {
            session.broken = getErrorMessage(e);
            session.status.error ??= session.broken;
          }
        }
      }
      if (req.createIssues) c.error = session.broken ?? session.status.error;
      if (c.location === null) markdown.push(c); // else its Markdown was written by an earlier run
    }
    await this.writeMarkdown(markdown, suggestionOf);
  }

  /**
   * Writes the Markdown suggestions (synchronously: about a third of a millisecond each, handing the
   * event loop back every WRITE_TURN_MS), then stores their locations in one transaction: a crash
   * before that rewrites the same files, never a duplicate.
   */
  private async writeMarkdown(list: AnalyzeCandidate[], suggestionOf: Map<number, Suggestion>): Promise<void> {
    if (list.length === 0) return;
    const written: [number, string][] = [];
    let dir: string | null = null;
    let turnStart = performance.now();
    for (const c of list) {
      if (performance.now() - turnStart > WRITE_TURN_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        turnStart = performance.now();
      }
      const s = suggestionOf.get(c.id);
      if (!s) continue;
      try {
        dir ??= ensureSuggestionsDir(this.opts.stateDir);
        const url = writeSuggestionFile(dir, c.signature, s);
        written.push([c.id, url]);
        Object.assign(c, { filed: 'markdown', location: url });
      } catch (e) {
        const error = [c.error, `cannot write the suggestion: ${getErrorMessage(e)}`].filter(Boolean).join('; ');
        Object.assign(c, { filed: 'failed', error });
      }
    }
    if (written.length > 0) this.store.tx(() => written.forEach(([id, url]) => this.store.patterns.setIssue(id, url)));
  }

  /** Labels the issues will need (missing ones created), then the issues already filed, by title. */
  private async prepareRepo(
    gh: Gh,
    toFile: (Suggestion | undefined)[],
    repo: string | null,
    warnings: string[],
  ): Promise<Map<string, string>> {
    const labels = new Set<string>();
    for (const s of toFile) for (const l of s?.labels ?? []) labels.add(l);
    for (const name of labels) {
      const style = LABEL_STYLE[name] ?? { color: 'ededed', description: 'outloop' };
      try {
        await gh.ensureLabel(name, style.color, style.description, repo);
      } catch (e) {
        if (e instanceof GhError && (e.kind === 'timeout' || e.kind === 'missing')) throw e;
        // one warning is enough: the other labels would fail the same way (no permission, no repository)
        warnings.push(
          `cannot create label ${name} (filing goes ahead; gh reports a missing label): ${getErrorMessage(e)}`,
        );
        break;
      }
    }
    const titles = new Map<string, string>();
    try {
      for (const i of await gh.listIssues('automation-candidate', repo))
        if (!titles.has(i.title)) titles.set(i.title, i.url);
    } catch (e) {
      if (e instanceof GhError && (e.kind === 'timeout' || e.kind === 'missing')) throw e;
      warnings.push(`cannot list existing issues (duplicates are still prevented by the store): ${getErrorMessage(e)}`);
    }
    return titles;
  }

  /** Patterns whose filed issue was closed with label `implemented` move to implemented. */
  private async checkFiledIssues(session: GhSession, warnings: string[]): Promise<number[]> {
    const filed = this.queries.withFiledIssue().filter((r) => r.issue_url !== null && ISSUE_URL.test(r.issue_url));
    if (filed.length === 0) return [];
    const gh = await session.get();
    if (!gh) {
      warnings.push(`filed issues not checked: ${session.status.error ?? 'gh unavailable'}`);
      return [];
    }
    const done: number[] = [];
    let stop: string | null = null;
    const queue = [...filed];
    const worker = async (): Promise<void> => {
      for (let r = queue.shift(); r && stop === null && !this.closed; r = queue.shift()) {
        const url = r.issue_url ?? '';
        try {
          const issue = await gh.viewIssue(url);
          if (issue.state !== 'CLOSED' || !issue.labels.some((l) => l.toLowerCase() === 'implemented')) continue;
          if (this.implement(r.id, url)) done.push(r.id);
        } catch (e) {
          if (e instanceof GhError && (e.kind === 'timeout' || e.kind === 'missing')) stop = getErrorMessage(e);
          else warnings.push(getErrorMessage(e));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(VIEW_CONCURRENCY, filed.length) }, worker));
    if (stop !== null) {
      warnings.push(`checking filed issues stopped: ${stop}`);
      session.status.error ??= stop;
    }
    return done.sort((a, b) => a - b);
  }

  private implement(id: number, url: string): boolean {
    const note = `issue ${url} closed with label implemented`;
    try {
      const row = this.store.patterns.get(id);
      if (!row || !CHECKABLE.has(row.status)) return false;
      if (row.status !== 'approved') review(this.store, this.hub, id, 'approve', ACTOR, note);
      review(this.store, this.hub, id, 'implement', ACTOR, note);
      return true;
    } catch (e) {
      this.logger.warn(`discovery: cannot mark pattern ${id} implemented: ${getErrorMessage(e)}`);
      return false;
    }
  }

  private report(r: AnalyzeResult, ms: number): void {
    const count = (f: AnalyzeCandidate['filed']): number => r.candidates.filter((c) => c.filed === f).length;
    const line =
      `analyze (${r.trigger}): ${r.candidates.length} candidate(s) of ${r.patternsScanned} pattern(s); ` +
      `${count('issue')} issue(s) filed, ${count('linked')} linked, ${count('markdown')} Markdown, ${count('failed')} failed; ` +
      `${r.implemented.length} implemented; ${ms} ms`;
    this.logger.info(r.gh.error ? `${line} (gh: ${r.gh.error})` : line);
    for (const w of r.warnings) this.logger.warn(`analyze: ${w}`);
    if (r.candidates.length > 0 || r.implemented.length > 0) this.hub.publish('pattern', line.replace(/; \d+ ms$/, ''));
  }
}
