/** Wire types of the daemon itself: its status and shutdown answers, and the event feed clients follow. */

export interface TableCounts {
  hookEvents: number;
  toolCalls: number;
  usageRecords: number;
  workflowRuns: number;
  patterns: number;
  quarantined: number;
}

export interface IngestStatus {
  watchedRoots: string[];
  trackedFiles: number;
  pendingFiles: number;
  /** Milliseconds between the oldest unprocessed change and now; 0 when caught up. */
  lagMs: number;
  lastIngestAt: string | null;
}

export interface StatusResult {
  running: true;
  pid: number;
  version: string;
  protocolVersion: number;
  instanceId: string;
  socket: string;
  stateDir: string;
  dbPath: string;
  startedAt: string;
  uptimeS: number;
  counts: TableCounts;
  unpricedModels: number;
  unpricedModelNames: string[];
  warnings: string[];
  ingest: IngestStatus;
  /** the offload kill switch: false while `outloop offload off` stops all offloading */
  offloadEnabled: boolean;
}

export interface ShutdownResult {
  ok: true;
}

// ---------- events ----------
export type DaemonEventKind =
  'hook_event' | 'tool_call' | 'usage' | 'workflow_run' | 'quarantine' | 'pattern' | 'review' | 'savings' | 'warning';

export interface DaemonEvent {
  seq: number;
  kind: DaemonEventKind;
  ts: string;
  /** One human line, e.g. "Bash pytest tests/ (exit 0)". */
  summary: string;
  sessionId?: string | null;
  patternId?: number | null;
}

export interface SubscribeResult {
  cursor: string;
  isFreshInstance: boolean;
  /** On a fresh instance: the recent backlog; otherwise the events after `since`. */
  events: DaemonEvent[];
}

export interface EventsChanged {
  cursor: string;
  events: DaemonEvent[];
}
