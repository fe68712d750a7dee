/** How copies of one API response combine into its usage record. Pure: the store reads and writes the rows. */
import { withLargestCounts } from '../records/transcript.js';
import type { UsageRecord } from '../types.js';

const maxStr = (a: string | null | undefined, b: string | null | undefined): string | null => {
  if (a === undefined || a === null) return b ?? null;
  if (b === undefined || b === null) return a;
  return b > a ? b : a;
};

/**
 * Two copies of one API response (stream-json repeats `usage` on every content block; a message
 * can sit in a transcript and in an ADW output): the maximum of each token field, and each
 * metadata field chosen by a fixed rule (a copy's own time over a file's time, then the earliest time,
 * main chain over sidechain, else the larger value), so the result is the same whatever order the
 * copies are read in. Cost is re-priced.
 */
export function mergeUsageCopies(a: UsageRecord, b: UsageRecord): UsageRecord {
  const model =
    a.model === 'unknown' ? b.model : b.model === 'unknown' ? a.model : (maxStr(a.model, b.model) ?? a.model);
  const ta = Date.parse(a.ts);
  const tb = Date.parse(b.ts);
  const undatedA = a.undated === true;
  const undatedB = b.undated === true;
  const ts = !Number.isFinite(tb)
    ? a.ts
    : !Number.isFinite(ta)
      ? b.ts
      : undatedA !== undatedB
        ? undatedA
          ? b.ts
          : a.ts
        : tb < ta || (tb === ta && b.ts < a.ts)
          ? b.ts
          : a.ts;
  const undated = undatedA && undatedB;
  const merged = withLargestCounts(
    {
      dedupKey: a.dedupKey,
      messageId: maxStr(a.messageId, b.messageId),
      requestId: maxStr(a.requestId, b.requestId),
      sessionId: maxStr(a.sessionId, b.sessionId),
      agentId: maxStr(a.agentId, b.agentId),
      project: maxStr(a.project, b.project),
      model,
      ts,
      isSidechain: a.isSidechain && b.isSidechain,
      speed: maxStr(a.speed, b.speed),
      inferenceGeo: maxStr(a.inferenceGeo, b.inferenceGeo),
    },
    a,
    b,
  );
  if (undated) merged.undated = true;
  return merged;
}

/** True when two versions of a record agree on every field kept for it (writing the second changes nothing). */
export function sameUsageRecord(a: UsageRecord, b: UsageRecord): boolean {
  return (
    a.inputTokens === b.inputTokens &&
    a.outputTokens === b.outputTokens &&
    a.cacheCreationTokens === b.cacheCreationTokens &&
    a.cacheCreation5mTokens === b.cacheCreation5mTokens &&
    a.cacheCreation1hTokens === b.cacheCreation1hTokens &&
    a.cacheReadTokens === b.cacheReadTokens &&
    a.costUsd === b.costUsd &&
    a.model === b.model &&
    a.ts === b.ts &&
    a.sessionId === b.sessionId &&
    a.agentId === b.agentId &&
    a.project === b.project &&
    a.messageId === b.messageId &&
    a.requestId === b.requestId &&
    a.isSidechain === b.isSidechain &&
    a.speed === b.speed &&
    (a.inferenceGeo ?? null) === (b.inferenceGeo ?? null) &&
    (a.webSearchRequests ?? 0) === (b.webSearchRequests ?? 0) &&
    (a.undated === true) === (b.undated === true)
  );
}
