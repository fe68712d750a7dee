import { fnv1a64 } from '../../core/hash.js';
import { hookEventToFragments, normalizeHookPayload, parseStatusLineRecord } from '../../core/hook-event.js';
import { isKnownModel } from '../../core/pricing.js';
import { parseStreamJsonLine, type StreamLineContext } from '../../core/stream-json.js';
import { parseTranscriptLine, type LineContext, type ParsedLine } from '../../core/transcript.js';
import type { HookEvent, QuotaSignal, ToolCallFragment } from '../../core/types.js';
import type { IngestCounts } from '../../rpc/protocol.js';
import type { Store } from '../store/store.js';

/** What a batch produced, for the live feed and the learner. */
export interface BatchEffects {
  completedCalls: number[];
  hookEvents: { event: string; toolName: string | null; sessionId: string | null }[];
  quarantined: { path: string; offset: number; reason: string }[];
  usageAdded: number;
  usageCostUsd: number;
  touchedSessions: Set<string>;
}

export function emptyEffects(): BatchEffects {
  return { completedCalls: [], hookEvents: [], quarantined: [], usageAdded: 0, usageCostUsd: 0, touchedSessions: new Set() };
}

const POST_EVENTS = new Set(['PostToolUse', 'PostToolUseFailure']);

/**
 * Turns parsed source records into rows. Every method runs inside the caller's transaction, so
 * rows and the file checkpoint commit together.
 */
export class RowWriter {
  constructor(
    private readonly store: Store,
    readonly counts: IngestCounts,
    readonly effects: BatchEffects,
  ) {}

  quarantine(path: string, ino: number, offset: number, reason: string, text: string | Buffer): void {
    const excerpt = Buffer.isBuffer(text) ? text.subarray(0, 200) : Buffer.from(text.slice(0, 200), 'utf8').subarray(0, 200);
    if (this.store.quarantine.add({ path, ino, offset, reason, excerpt })) {
      this.counts.quarantined++;
      this.store.counts.add('quarantined', 1);
      this.effects.quarantined.push({ path, offset, reason });
    }
  }

  fragment(f: ToolCallFragment, workflowId: string | null = null): void {
    const r = this.store.toolCalls.merge(f, workflowId);
    if (r.created) {
      this.counts.toolCalls++;
      this.store.counts.add('toolCalls', 1);
    }
    if (r.completed) this.effects.completedCalls.push(r.id);
    if (f.sessionId) this.effects.touchedSessions.add(f.sessionId);
  }

  quota(s: QuotaSignal, raw: string): void {
    this.store.quota.add(s, `${s.source}:${fnv1a64(raw)}`, raw);
  }

  facts(v: ParsedLine, sourcePath: string, workflowId: string | null): void {
    if (v.usage) {
      const u = v.usage;
      const priced = isKnownModel(u.model) || u.model === '<synthetic>';
      if (!priced) this.store.counts.unpricedModels.add(u.model);
      const r = this.store.usage.upsert(u, sourcePath, priced);
      if (r.created) {
        this.counts.usageRecords++;
        this.store.counts.add('usageRecords', 1);
        this.effects.usageAdded++;
        this.effects.usageCostUsd += u.costUsd;
      }
    }
    for (const f of v.fragments) this.fragment(f, workflowId);
    if (v.quota) this.quota(v.quota, JSON.stringify(v.quota));
  }

  transcriptLine(text: string, ctx: LineContext, ino: number, offset: number): void {
    const r = parseTranscriptLine(text, ctx);
    if (!r.ok) return this.quarantine(ctx.path, ino, offset, r.reason, text);
    this.facts(r.value, ctx.path, null);
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
  hookPayload(raw: string, dedupKey: string, src: { path: string; ino: number; offset: number; receivedAt: string | null }): void {
    const n = normalizeHookPayload(raw, src.receivedAt);
    if (!n.ok) {
      if (n.reason === 'statusline-record') {
        const signal = statusLineSignal(raw, src.receivedAt);
        if (signal) this.quota(signal, raw);
        return;
      }
      return this.quarantine(src.path, src.ino, src.offset, `hook payload: ${n.reason}`, raw);
    }
    const ev = n.event;
    const id = this.store.hookEvents.insert(ev, {
      dedupKey,
      path: src.path,
      offset: src.offset,
      receivedAt: src.receivedAt ?? new Date().toISOString(),
    });
    if (id === null) return;
    this.counts.hookEvents++;
    this.store.counts.add('hookEvents', 1);
    this.effects.hookEvents.push({ event: ev.event, toolName: ev.toolName, sessionId: ev.sessionId });
    for (const f of hookEventToFragments(ev, id)) this.fragment(pairByOrder(this.store, ev, f));
  }
}

/** A Post without tool_use_id completes the oldest unfinished Pre of the same session and tool. */
function pairByOrder(store: Store, ev: HookEvent, f: ToolCallFragment): ToolCallFragment {
  if (f.toolUseId !== null || !POST_EVENTS.has(ev.event) || !ev.toolName) return f;
  const key = store.toolCalls.pendingHookCall(ev.sessionId, ev.toolName);
  return key ? { ...f, callKey: key } : f;
}

function statusLineSignal(raw: string, receivedAt: string | null): QuotaSignal | null {
  try {
    return parseStatusLineRecord(JSON.parse(raw) as unknown, receivedAt);
  } catch {
    return null;
  }
}
