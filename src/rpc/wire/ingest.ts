/** Wire types of what comes in: an ingest run's counts, the quarantined lines, and the status-line update. */

// ---------- ingest ----------
export interface IngestCounts {
  files: number;
  bytes: number;
  hookEvents: number;
  toolCalls: number;
  usageRecords: number;
  workflowRuns: number;
  quarantined: number;
}

// ---------- quarantine ----------
/** Lines of one file rejected for one reason: `kept` are stored rows, `total` includes those only counted. */
export interface QuarantineReasonGroup {
  reason: string;
  kept: number;
  total: number;
  /** byte offset of the sample line */
  sampleOffset: number;
  /** the first bytes of one rejected line (at most 120 characters, control characters as spaces) */
  sample: string;
}

export interface QuarantineFileGroup {
  path: string;
  kept: number;
  total: number;
  reasons: QuarantineReasonGroup[];
}

export interface QuarantineListResult {
  /** rows kept per file before lines are only counted */
  keepPerFile: number;
  kept: number;
  total: number;
  files: QuarantineFileGroup[];
}

// ---------- statusline ----------
export interface StatuslineResult {
  line: string;
}
