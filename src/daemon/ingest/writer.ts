import { hookEventToFragments, normalizeHookPayload, parseStatusLineRecord } from '../../core/records/hook-event.js';
import type { RunReport } from '../../core/offload/offload-file.js';
import { isKnownModel } from '../../core/usage/pricing.js';
import { parseStreamJsonLine, type StreamLineContext } from '../../core/records/stream-json.js';
import { parseTranscriptLine, type ParsedLine } from '../../core/records/transcript.js';
import type { HookEvent, QuotaSignal, ToolCallFragment, WorkflowRun } from '../../core/types.js';
import type { IngestCounts } from '../../rpc/protocol.js';
import type { RowCounter } from '../store/counts-repo.js';
import type { Store } from '../store/store.js';
import type { HookSide } from '../store/tool-calls-repo.js';
import type { ToolCallBatch } from '../store/tool-call-batch.js';
import type { UsageBatch } from '../store/usage-repo.js';
import { contentHash } from './content-hash.js';
import type { LineSource, ParsedItem } from './line-parse.js';
import { storeRun, type RunSaving } from './run-ingest.js';

/** What a batch produced, for the live feed, the learner and `status` warnings. */
export interface BatchEffects {
  completedCalls: number[];
  hookEvents: { event: string; toolName: string | null; sessionId: string | null }[];
  quarantined: { path: string; offset: number; reason: string }[];
  usageAdded: number;
  usageCostUsd: number;
  touchedSessions: Set<string>;
  /** offloaded runs stored (their savings) */
  runs: RunSaving[];
  /** records stamped more than a day after they were read (a clock far in the future) */
  future: { count: number; example: string | null };
}

export function emptyEffects(): BatchEffects {
  return {
    completedCalls: [],
    hookEvents: [],
    quarantined: [],
    usageAdded: 0,
    usageCostUsd: 0,
    touchedSessions: new Set(),
    runs: [],
    future: { count: 0, example: null },
  };
}

const POST_EVENTS = new Set(['PostToolUse', 'PostToolUseFailure']);
const FUTURE_SLACK_MS = 24 * 3600 * 1000;

export { contentHash } from './content-hash.js';

function hookSide(event: string): HookSide | undefined {
  if (event === 'PreToolUse') return 'pre';
  return POST_EVENTS.has(event) ? 'post' : undefined;
}

/**
 * Turns parsed source records into rows. Every method runs inside the caller's transaction, so
 * rows and the file checkpoint commit together; tool-call fragments and usage copies are merged
 * in memory and written by `flush`, which the caller runs before committing. The repositories count
 * the rows they insert, in the store's counts and in `counts` (this ingest's result).
 */
export class RowWriter {
  private readonly now = Date.now();
  private readonly counter: RowCounter;
  private readonly calls: ToolCallBatch;
  private readonly usage: UsageBatch;

  constructor(
    private readonly store: Store,
    counts: IngestCounts,
    readonly effects: BatchEffects,
  ) {
    this.counter = store.counts.alsoInto(counts);
    this.calls = store.toolCalls.batch(this.counter);
    this.usage = store.usage.batch(this.counter);
  }

  /** Writes the merged tool calls and usage records. Call inside the transaction, before the checkpoint. */
  flush(): void {
    for (const r of this.calls.flush()) if (r.completed) this.effects.completedCalls.push(r.id);
    for (const r of this.usage.flush()) {
      if (!r.created) continue;
      this.effects.usageAdded++;
      this.effects.usageCostUsd += r.record.costUsd;
    }
  }

  quarantine(path: string, ino: number, offset: number, reason: string, text: string | Buffer): void {
    const excerpt = Buffer.isBuffer(text)
      ? text.subarray(0, 200)
      : Buffer.from(text.slice(0, 200), 'utf8').subarray(0, 200);
    if (this.store.quarantine.add({ path, ino, offset, reason, excerpt }, this.counter))
      this.effects.quarantined.push({ path, offset, reason });
  }

  fragment(f: ToolCallFragment, workflowId: string | null = null, side?: HookSide): void {
    this.calls.add(f, workflowId, side);
    if (f.sessionId) this.effects.touchedSessions.add(f.sessionId);
  }

  quota(s: QuotaSignal, raw: string): void {
    this.store.quota.add(s, `${s.source}:${contentHash(raw)}`, raw);
  }

  private checkFuture(ts: string | null, where: string): void {
    if (!ts) return;
    const t = Date.parse(ts);
    if (Number.isFinite(t) && t > this.now + FUTURE_SLACK_MS) {
      this.effects.future.count++;
      this.effects.future.example ??= `${where} (${ts})`;
    }
  }

  facts(
    v: Pick<ParsedLine, 'usage' | 'fragments' | 'quota' | 'compaction'>,
    sourcePath: string,
    workflowId: string | null,
  ): void {
    if (v.usage) {
      const u = v.usage;
      const priced = isKnownModel(u.model);
      if (!priced) this.store.counts.unpricedModels.add(u.model);
      this.checkFuture(u.ts, sourcePath);
      this.usage.add(u, sourcePath, priced);
    }
    for (const f of v.fragments) this.fragment(f, workflowId);
    if (v.quota) this.quota(v.quota, JSON.stringify(v.quota));
    if (v.compaction) {
      const t = Date.parse(v.compaction.ts);
      if (Number.isFinite(t)) this.store.outputs.addCompaction(v.compaction.sessionId, t);
    }
  }

  /** One parsed line of a line source (see line-parse.ts). */
  parsedLine(src: LineSource, ino: number, item: ParsedItem): void {
    if (item.t === 'facts') this.facts(item.facts, src.path, src.kind === 'stream-jsonl' ? src.adwId : null);
    else if (item.t === 'bad') this.quarantine(src.path, ino, item.offset, item.reason, item.excerpt);
    else
      this.hookPayload(item.text, `jsonl:${src.path}:${item.offset}:${item.hash}`, {
        path: src.path,
        ino,
        offset: item.offset,
        receivedAt: null,
      });
  }

  streamLine(text: string, ctx: StreamLineContext, ino: number, offset: number): void {
    const r = parseStreamJsonLine(text, ctx);
    if (!r.ok) return this.quarantine(ctx.path, ino, offset, r.reason, text);
    this.facts(r.value, ctx.path, ctx.adwId);
  }

  /**
   * One hook payload. `dedupKey` identifies this payload at its source so that re-reading the
   * source never stores it twice.
   */
  hookPayload(
    raw: string,
    dedupKey: string,
    src: { path: string; ino: number; offset: number; receivedAt: string | null },
  ): void {
    const n = normalizeHookPayload(raw, src.receivedAt);
    if (!n.ok) {
      if (n.reason === 'statusline-record') {
        const signal = statusLineSignal(raw, src.receivedAt);
        if (signal) this.quota(signal, raw);
        return;
      }
      if (n.reason === 'missing-event-name' && this.transcriptEntry(raw, src.path)) return;
      return this.quarantine(src.path, src.ino, src.offset, `hook payload: ${n.reason}`, raw);
    }
    const ev = n.event;
    this.checkFuture(ev.ts, src.path);
    const id = this.store.hookEvents.insert(
      ev,
      { dedupKey, path: src.path, offset: src.offset, receivedAt: src.receivedAt ?? new Date().toISOString() },
      this.counter,
    );
    if (id === null) return;
    this.effects.hookEvents.push({ event: ev.event, toolName: ev.toolName, sessionId: ev.sessionId });
    const side = hookSide(ev.event);
    for (const f of hookEventToFragments(ev, id)) this.fragment(this.pairByOrder(ev, f, side), null, side);
  }

  /** One offloaded run's report (a `run` spool envelope): its tool call and its saving, once. */
  runReport(run: RunReport): void {
    const saved = storeRun(this.store, run, this.counter);
    if (saved !== null) this.effects.runs.push(saved);
  }

  /** One assembled ADW run: says whether it is new, changed, or the same as stored. */
  workflowRun(run: WorkflowRun): 'created' | 'changed' | 'same' {
    return this.store.workflows.upsert(run, this.counter);
  }

  /** A hook event without tool_use_id joins the oldest call of its session/agent/tool missing that half. */
  private pairByOrder(ev: HookEvent, f: ToolCallFragment, side: HookSide | undefined): ToolCallFragment {
    if (f.toolUseId !== null || side === undefined || !ev.toolName) return f;
    // the query must see every call merged so far
    if (this.calls.size > 0) this.flush();
    const key = this.store.toolCalls.pendingHookCall(ev.sessionId, ev.agentId, ev.toolName, f.inputJson ?? null, side);
    return key ? { ...f, callKey: key } : f;
  }

  /**
   * Hook log folders also hold transcript copies (`logs/chat.json`: an array of transcript
   * entries). An element that parses as a transcript message is ingested as one.
   */
  private transcriptEntry(raw: string, path: string): boolean {
    const r = parseTranscriptLine(raw, { path, sessionIdHint: null, agentIdHint: null, project: null });
    if (!r.ok || (r.value.kind !== 'user' && r.value.kind !== 'assistant') || r.value.sessionId === null) return false;
    this.facts(r.value, path, null);
    return true;
  }
}

function statusLineSignal(raw: string, receivedAt: string | null): QuotaSignal | null {
  try {
    return parseStatusLineRecord(JSON.parse(raw) as unknown, receivedAt);
  } catch {
    return null;
  }
}
