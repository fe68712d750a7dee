import type { IngestCounts } from '../../rpc/protocol.js';

export function emptyCounts(): IngestCounts {
  return { files: 0, bytes: 0, hookEvents: 0, toolCalls: 0, usageRecords: 0, workflowRuns: 0, quarantined: 0 };
}

export function addCounts(into: IngestCounts, from: IngestCounts): void {
  into.files += from.files;
  into.bytes += from.bytes;
  into.hookEvents += from.hookEvents;
  into.toolCalls += from.toolCalls;
  into.usageRecords += from.usageRecords;
  into.workflowRuns += from.workflowRuns;
  into.quarantined += from.quarantined;
}
