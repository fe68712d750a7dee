import type { Database } from 'better-sqlite3';
import { toolUseTokensEstimate, TURN_WINDOW_MS } from '../../core/learning/pattern-economics.js';

/** Calls this close to a changed call or usage record may share its turn. */
const TURN_WINDOW = TURN_WINDOW_MS;

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

const INITIAL_SCHEMA = `
CREATE TABLE ingest_offsets (
  path TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  dev INTEGER NOT NULL,
  ino INTEGER NOT NULL,
  size INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  prefix_hash TEXT,
  content_hash TEXT,
  items INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  ino INTEGER NOT NULL DEFAULT 0,
  offset INTEGER NOT NULL,
  reason TEXT NOT NULL,
  excerpt BLOB NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (path, ino, offset)
) STRICT;

CREATE TABLE hook_events (
  id INTEGER PRIMARY KEY,
  dedup_key TEXT NOT NULL UNIQUE,
  source_path TEXT NOT NULL,
  source_offset INTEGER NOT NULL,
  session_id TEXT,
  event TEXT NOT NULL,
  tool_name TEXT,
  tool_use_id TEXT,
  agent_id TEXT,
  cwd TEXT,
  ts TEXT,
  ts_ms INTEGER,
  received_at TEXT NOT NULL,
  payload TEXT NOT NULL
) STRICT;
CREATE INDEX hook_events_session ON hook_events (session_id, id);

CREATE TABLE tool_calls (
  id INTEGER PRIMARY KEY,
  call_key TEXT NOT NULL UNIQUE,
  tool_use_id TEXT,
  session_id TEXT,
  agent_id TEXT,
  workflow_id TEXT,
  model TEXT,
  tool_name TEXT NOT NULL,
  command TEXT,
  signature TEXT,
  cwd TEXT,
  input_json TEXT,
  input_bytes INTEGER NOT NULL DEFAULT 0,
  response_bytes INTEGER NOT NULL DEFAULT 0,
  est_tokens INTEGER NOT NULL DEFAULT 0,
  exit_code INTEGER,
  is_error INTEGER,
  interrupted INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER,
  started_at TEXT,
  ended_at TEXT,
  ts_ms INTEGER,
  sources TEXT NOT NULL DEFAULT '',
  file_paths TEXT,
  loaded_paths TEXT,
  routed_tool_id INTEGER,
  routed_result TEXT,
  tokens_saved INTEGER,
  learned INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX tool_calls_session ON tool_calls (session_id, ts_ms);
CREATE INDEX tool_calls_signature ON tool_calls (signature);
CREATE INDEX tool_calls_workflow ON tool_calls (workflow_id, ts_ms);
CREATE INDEX tool_calls_unlearned ON tool_calls (id) WHERE learned = 0;
CREATE INDEX tool_calls_pending_hook ON tool_calls (session_id, tool_name, ended_at) WHERE tool_use_id IS NULL;

CREATE TABLE usage_records (
  id INTEGER PRIMARY KEY,
  dedup_key TEXT NOT NULL UNIQUE,
  message_id TEXT,
  request_id TEXT,
  session_id TEXT,
  agent_id TEXT,
  project TEXT,
  model TEXT NOT NULL,
  ts TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  day TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_creation_tokens INTEGER NOT NULL,
  cache_5m_tokens INTEGER NOT NULL,
  cache_1h_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  priced INTEGER NOT NULL,
  is_sidechain INTEGER NOT NULL,
  speed TEXT,
  inference_geo TEXT,
  web_search_requests INTEGER NOT NULL DEFAULT 0,
  source_path TEXT NOT NULL
) STRICT;
CREATE INDEX usage_records_ts ON usage_records (ts_ms);
CREATE INDEX usage_records_session ON usage_records (session_id, ts_ms);
CREATE INDEX usage_records_day_model ON usage_records (day, model);

-- Roll-ups kept current by the usage writer (deltas in the same transaction), so reports and
-- forecasts never scan usage_records. Hour buckets are exact for 5-hour blocks, which start on hours.
CREATE TABLE usage_hourly (
  hour_ms INTEGER NOT NULL,
  model TEXT NOT NULL,
  entries INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_creation_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  first_ts_ms INTEGER NOT NULL,
  last_ts_ms INTEGER NOT NULL,
  PRIMARY KEY (hour_ms, model)
) STRICT, WITHOUT ROWID;

CREATE TABLE usage_sessions (
  session_id TEXT NOT NULL,
  model TEXT NOT NULL,
  project TEXT,
  entries INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_creation_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  last_ts_ms INTEGER NOT NULL,
  PRIMARY KEY (session_id, model)
) STRICT, WITHOUT ROWID;

CREATE TABLE workflow_runs (
  id INTEGER PRIMARY KEY,
  adw_id TEXT NOT NULL UNIQUE,
  issue_number INTEGER,
  issue_class TEXT,
  workflow_type TEXT,
  phases TEXT NOT NULL,
  models TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_creation_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  cost_basis TEXT NOT NULL,
  duration_ms INTEGER,
  status TEXT NOT NULL CHECK (status IN ('success', 'error', 'incomplete')),
  nl_input TEXT,
  word_count INTEGER NOT NULL,
  signature TEXT,
  started_at TEXT,
  ended_at TEXT,
  ts_ms INTEGER,
  state_dir TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX workflow_runs_type ON workflow_runs (workflow_type, ts_ms);
CREATE INDEX workflow_runs_ts ON workflow_runs (ts_ms);

CREATE TABLE adw_tools (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  signature TEXT NOT NULL,
  argv TEXT NOT NULL,
  resolved_path TEXT NOT NULL,
  triggers TEXT NOT NULL,
  timeout_ms INTEGER NOT NULL,
  output_cap_bytes INTEGER NOT NULL,
  cwd_policy TEXT NOT NULL,
  cwd TEXT,
  enabled INTEGER NOT NULL,
  disabled_reason TEXT,
  runs INTEGER NOT NULL DEFAULT 0,
  successes INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE operation_patterns (
  id INTEGER PRIMARY KEY,
  signature TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('command', 'sequence', 'fix_loop', 'workflow')),
  status TEXT NOT NULL CHECK (status IN ('detected', 'candidate', 'approved', 'implemented', 'active', 'rejected', 'deprecated')),
  occurrences INTEGER NOT NULL DEFAULT 0,
  uses INTEGER NOT NULL DEFAULT 0,
  dur_n INTEGER NOT NULL DEFAULT 0,
  dur_mean REAL NOT NULL DEFAULT 0,
  dur_m2 REAL NOT NULL DEFAULT 0,
  successes INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0,
  sum_llm_tokens REAL NOT NULL DEFAULT 0,
  sum_llm_cost REAL NOT NULL DEFAULT 0,
  measured_uses INTEGER NOT NULL DEFAULT 0,
  sum_tool_tokens_est REAL NOT NULL DEFAULT 0,
  routed_runs INTEGER NOT NULL DEFAULT 0,
  sum_tool_tokens_measured REAL NOT NULL DEFAULT 0,
  confidence INTEGER NOT NULL DEFAULT 0,
  model TEXT,
  examples TEXT NOT NULL DEFAULT '[]',
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  tool_id INTEGER REFERENCES adw_tools (id) ON DELETE SET NULL,
  issue_url TEXT,
  issue_filed_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX operation_patterns_status ON operation_patterns (status);

CREATE TABLE pattern_occurrences (
  id INTEGER PRIMARY KEY,
  pattern_id INTEGER NOT NULL REFERENCES operation_patterns (id) ON DELETE CASCADE,
  occurrence_key TEXT NOT NULL,
  session_key TEXT NOT NULL,
  tool_call_id INTEGER,
  ts TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  llm_tokens REAL NOT NULL DEFAULT 0,
  llm_cost REAL NOT NULL DEFAULT 0,
  token_basis TEXT NOT NULL DEFAULT 'estimated',
  duration_ms INTEGER,
  ok INTEGER,
  example TEXT,
  UNIQUE (pattern_id, occurrence_key)
) STRICT;
CREATE INDEX pattern_occurrences_ts ON pattern_occurrences (pattern_id, ts_ms);
CREATE INDEX pattern_occurrences_session ON pattern_occurrences (pattern_id, session_key);

-- Sequences seen in fewer than SEQUENCE_MIN_SESSIONS sessions wait here before they become patterns.
CREATE TABLE sequence_sightings (
  signature TEXT NOT NULL,
  session_key TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  PRIMARY KEY (signature, session_key)
) STRICT, WITHOUT ROWID;

CREATE TABLE pattern_reviews (
  id INTEGER PRIMARY KEY,
  pattern_id INTEGER NOT NULL REFERENCES operation_patterns (id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX pattern_reviews_pattern ON pattern_reviews (pattern_id, id);

CREATE TABLE cost_savings_log (
  id INTEGER PRIMARY KEY,
  pattern_id INTEGER REFERENCES operation_patterns (id) ON DELETE SET NULL,
  tool_id INTEGER REFERENCES adw_tools (id) ON DELETE SET NULL,
  tool_call_id INTEGER,
  optimization_type TEXT NOT NULL,
  tokens_with_llm INTEGER NOT NULL,
  tokens_with_tool INTEGER NOT NULL,
  tokens_saved INTEGER NOT NULL,
  cost_saved_usd REAL NOT NULL,
  ts TEXT NOT NULL,
  ts_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX cost_savings_log_ts ON cost_savings_log (ts_ms);

CREATE TABLE context_profiles (
  id INTEGER PRIMARY KEY,
  signature TEXT NOT NULL UNIQUE,
  pattern_id INTEGER REFERENCES operation_patterns (id) ON DELETE CASCADE,
  globs TEXT NOT NULL,
  typical_files TEXT NOT NULL,
  typical_dirs TEXT NOT NULL,
  avg_tokens_loaded REAL NOT NULL,
  avg_tokens_used REAL NOT NULL,
  estimated_tokens_saved REAL NOT NULL,
  samples INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE quota_signals (
  id INTEGER PRIMARY KEY,
  dedup_key TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  session_id TEXT,
  ts TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  five_hour_pct REAL,
  five_hour_resets_at TEXT,
  seven_day_pct REAL,
  seven_day_resets_at TEXT,
  session_cost_usd REAL,
  raw TEXT
) STRICT;
CREATE INDEX quota_signals_ts ON quota_signals (ts_ms);

CREATE TABLE daemon_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`;

/**
 * What each tool call loads, uses and mentions, kept with the call (core/context/context-call.ts) so that the
 * context efficiency of a session reads one short column per call. Rows written before stay NULL
 * until read or merged again. The indexes give a session's and a workflow's calls in time order
 * (`ORDER BY coalesce(ts_ms, 0), id`: the rowid ends every index) without sorting their rows; the
 * workflow one replaces the index on (workflow_id, ts_ms), which served no other query.
 */
const CONTEXT_FACTS = `
ALTER TABLE tool_calls ADD COLUMN context_facts TEXT;
CREATE INDEX tool_calls_session_order ON tool_calls (session_id, coalesce(ts_ms, 0));
DROP INDEX tool_calls_workflow;
CREATE INDEX tool_calls_workflow_order ON tool_calls (workflow_id, coalesce(ts_ms, 0));
`;

/**
 * Only Bash calls can be operations, so only they wait in the learner's queue (the other calls
 * keep learned = 0 and are never read by it). No query looks tool calls up by signature.
 */
const LEARN_QUEUE = `
DROP INDEX tool_calls_unlearned;
CREATE INDEX tool_calls_unlearned ON tool_calls (id) WHERE learned = 0 AND lower(tool_name) = 'bash';
DROP INDEX tool_calls_signature;
`;

/**
 * Occurrences are written once per use and read only to count: they lose the copies of the use's
 * time as text and of its example (the pattern keeps its examples), and one index on (pattern,
 * session, time) serves both the session checks and the 30-day windows, so each use costs a row and
 * two index entries instead of three.
 */
const SLIM_OCCURRENCES = `
CREATE TABLE pattern_occurrences_slim (
  id INTEGER PRIMARY KEY,
  pattern_id INTEGER NOT NULL REFERENCES operation_patterns (id) ON DELETE CASCADE,
  occurrence_key TEXT NOT NULL,
  session_key TEXT NOT NULL,
  tool_call_id INTEGER,
  ts_ms INTEGER NOT NULL,
  llm_tokens REAL NOT NULL DEFAULT 0,
  llm_cost REAL NOT NULL DEFAULT 0,
  token_basis TEXT NOT NULL DEFAULT 'estimated',
  duration_ms INTEGER,
  ok INTEGER,
  UNIQUE (pattern_id, occurrence_key)
) STRICT;
INSERT INTO pattern_occurrences_slim (id, pattern_id, occurrence_key, session_key, tool_call_id, ts_ms, llm_tokens, llm_cost, token_basis, duration_ms, ok)
  SELECT id, pattern_id, occurrence_key, session_key, tool_call_id, ts_ms, llm_tokens, llm_cost, token_basis, duration_ms, ok FROM pattern_occurrences;
DROP TABLE pattern_occurrences;
ALTER TABLE pattern_occurrences_slim RENAME TO pattern_occurrences;
CREATE INDEX pattern_occurrences_session ON pattern_occurrences (pattern_id, session_key, ts_ms);
`;

/**
 * The learner's queue becomes a table of its own: a Bash call made by the agent is queued when it is
 * written (the trigger, in the same statement), and learning deletes it from the queue. Learning no
 * longer rewrites the call's row (its pages, scattered over the table, were most of a learning
 * commit). `tool_calls.learned` and, for the agent's calls, `tool_calls.signature` are no longer
 * written: the learner works a call's operation out from its command.
 */
const LEARN_QUEUE_TABLE = `
CREATE TABLE learn_queue (call_id INTEGER PRIMARY KEY) STRICT;
INSERT INTO learn_queue (call_id)
  SELECT id FROM tool_calls WHERE learned = 0 AND lower(tool_name) = 'bash' AND routed_tool_id IS NULL;
DROP INDEX tool_calls_unlearned;
CREATE TRIGGER tool_calls_learn_queue AFTER INSERT ON tool_calls
  WHEN lower(NEW.tool_name) = 'bash' AND NEW.routed_tool_id IS NULL
BEGIN
  INSERT OR IGNORE INTO learn_queue (call_id) VALUES (NEW.id);
END;
`;

/**
 * The context efficiency of a session kept as its calls arrive: the fold state (core
 * EfficiencyFold) of its calls up to a position in time order (`pos_ts` = coalesce(ts_ms, 0), then
 * `pos_id`), so a query folds only the calls after it. Any call of the session written, changed or
 * removed at or before that position (before or after the change) drops the checkpoint, in the
 * statement that writes the call, whatever code path that is. The state stops before the first
 * call still running (it may change).
 */
const CONTEXT_CHECKPOINTS = `
CREATE TABLE context_checkpoints (
  session_id TEXT PRIMARY KEY,
  pos_ts INTEGER NOT NULL,
  pos_id INTEGER NOT NULL,
  calls INTEGER NOT NULL,
  state TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER tool_calls_checkpoint_insert AFTER INSERT ON tool_calls WHEN NEW.session_id IS NOT NULL
BEGIN
  DELETE FROM context_checkpoints WHERE session_id = NEW.session_id
    AND (coalesce(NEW.ts_ms, 0) < pos_ts OR (coalesce(NEW.ts_ms, 0) = pos_ts AND NEW.id <= pos_id));
END;
CREATE TRIGGER tool_calls_checkpoint_update AFTER UPDATE ON tool_calls
  WHEN OLD.session_id IS NOT NULL OR NEW.session_id IS NOT NULL
BEGIN
  DELETE FROM context_checkpoints WHERE session_id = OLD.session_id
    AND (coalesce(OLD.ts_ms, 0) < pos_ts OR (coalesce(OLD.ts_ms, 0) = pos_ts AND OLD.id <= pos_id));
  DELETE FROM context_checkpoints WHERE session_id = NEW.session_id
    AND (coalesce(NEW.ts_ms, 0) < pos_ts OR (coalesce(NEW.ts_ms, 0) = pos_ts AND NEW.id <= pos_id));
END;
CREATE TRIGGER tool_calls_checkpoint_delete AFTER DELETE ON tool_calls WHEN OLD.session_id IS NOT NULL
BEGIN
  DELETE FROM context_checkpoints WHERE session_id = OLD.session_id
    AND (coalesce(OLD.ts_ms, 0) < pos_ts OR (coalesce(OLD.ts_ms, 0) = pos_ts AND OLD.id <= pos_id));
END;
`;

/**
 * The index on (session_id, ts_ms) of migration 1 duplicates tool_calls_session_order (migration 2),
 * which serves every query by session; writing both made each tool call insert about twice as slow.
 */
const ONE_SESSION_INDEX = `
DROP INDEX tool_calls_session;
`;

/**
 * A sighting keeps the estimated cost of the sequence in its own session, so that when the sequence
 * becomes a pattern each earlier session's use is priced from that session (not from the session
 * that happened to promote it): the result does not depend on the order sessions are learned in.
 * Sightings from before stay NULL and are priced as before.
 */
const SIGHTING_COSTS = `
ALTER TABLE sequence_sightings ADD COLUMN llm_tokens REAL;
ALTER TABLE sequence_sightings ADD COLUMN llm_cost REAL;
`;

/**
 * Offloaded runs (`outloop run`, reported through the spool) become a tool call keyed `run:<id>` and a
 * saving keyed by the same run: the saving's dedup key makes a re-read of the report a no-op. The
 * run's call is our own work, like a routed tool's: it does not wait in the learning queue (the
 * agent's own Bash call that ran the wrapper is learned from).
 */
const OFFLOAD_RUNS = `
ALTER TABLE cost_savings_log ADD COLUMN dedup_key TEXT;
CREATE UNIQUE INDEX cost_savings_log_dedup ON cost_savings_log (dedup_key);
DROP TRIGGER tool_calls_learn_queue;
CREATE TRIGGER tool_calls_learn_queue AFTER INSERT ON tool_calls
  WHEN lower(NEW.tool_name) = 'bash' AND NEW.routed_tool_id IS NULL AND NEW.sources <> 'run'
BEGIN
  INSERT OR IGNORE INTO learn_queue (call_id) VALUES (NEW.id);
END;
`;

/**
 * Offload: a pattern a person approved, whose family has a compactor, runs through `outloop run` and the
 * built-in route runner while `offload` is 1. Who and when last changed it is kept beside the flag; the
 * kill switch that turns all of it off lives in daemon_meta (`offload.enabled`).
 */
const OFFLOAD_FLAG = `
ALTER TABLE operation_patterns ADD COLUMN offload INTEGER NOT NULL DEFAULT 0 CHECK (offload IN (0, 1));
ALTER TABLE operation_patterns ADD COLUMN offload_changed_at TEXT;
ALTER TABLE operation_patterns ADD COLUMN offload_changed_by TEXT;
CREATE INDEX operation_patterns_offload ON operation_patterns (id) WHERE offload = 1;
`;

/**
 * What Bash calls printed, for the savings replay. `tool_outputs` keeps one output per call (capped:
 * its head and tail; `raw_bytes` is the whole size), chosen among the sources that saw it by `rank`
 * (core/records/tool-call-output.ts). `output_replays` caches the compactors' answer per output, under the
 * compactors' identity (`replay_key`): it is dropped when the output, or the call's command, cwd or
 * exit status it was worked out from, changes. `session_compactions` holds Claude Code's compact
 * boundaries: after one, earlier tool outputs are no longer re-read by the session's requests.
 */
const TOOL_OUTPUTS = `
CREATE TABLE tool_outputs (
  tool_call_id INTEGER PRIMARY KEY REFERENCES tool_calls (id) ON DELETE CASCADE,
  output TEXT NOT NULL,
  raw_bytes INTEGER NOT NULL,
  truncated INTEGER NOT NULL,
  rank INTEGER NOT NULL
) STRICT;
CREATE TABLE output_replays (
  tool_call_id INTEGER PRIMARY KEY REFERENCES tool_outputs (tool_call_id) ON DELETE CASCADE,
  replay_key TEXT NOT NULL,
  family TEXT NOT NULL,
  tool TEXT NOT NULL,
  signature TEXT,
  raw_tokens INTEGER NOT NULL,
  compact_tokens INTEGER NOT NULL
) STRICT;
CREATE INDEX output_replays_signature ON output_replays (signature, replay_key);
CREATE TRIGGER tool_outputs_changed AFTER UPDATE ON tool_outputs BEGIN
  DELETE FROM output_replays WHERE tool_call_id = NEW.tool_call_id;
END;
CREATE TRIGGER tool_calls_replay_input AFTER UPDATE OF command, cwd, exit_code ON tool_calls
  WHEN OLD.command IS NOT NEW.command OR OLD.cwd IS NOT NEW.cwd OR OLD.exit_code IS NOT NEW.exit_code BEGIN
  DELETE FROM output_replays WHERE tool_call_id = NEW.id;
END;
CREATE TABLE session_compactions (
  session_id TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  PRIMARY KEY (session_id, ts_ms)
) STRICT, WITHOUT ROWID;
`;

/**
 * A tool's executable as registered: resolved path, owner, mode, size, change time and SHA-256.
 * Tools registered before have no pin and are refused until registered again.
 */
const TOOL_PINS = `
ALTER TABLE adw_tools ADD COLUMN pin_real_path TEXT;
ALTER TABLE adw_tools ADD COLUMN pin_uid INTEGER;
ALTER TABLE adw_tools ADD COLUMN pin_mode INTEGER;
ALTER TABLE adw_tools ADD COLUMN pin_size INTEGER;
ALTER TABLE adw_tools ADD COLUMN pin_ctime_ms REAL;
ALTER TABLE adw_tools ADD COLUMN pin_sha256 TEXT;
`;

/**
 * Records that carried no time of their own (stream-json lines, stamped with their file's time) are
 * marked, and the hour roll-ups keep them apart (counts, tokens, cost) with the span of the dated
 * records alone, so a rate is never computed over file times. Records stored before this are taken
 * as dated; the rate's minimum span still keeps their near-zero spans from making a rate.
 */
const UNDATED_USAGE = `
ALTER TABLE usage_records ADD COLUMN undated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_hourly ADD COLUMN undated_entries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_hourly ADD COLUMN undated_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_hourly ADD COLUMN undated_cost_usd REAL NOT NULL DEFAULT 0;
ALTER TABLE usage_hourly ADD COLUMN dated_first_ts_ms INTEGER;
ALTER TABLE usage_hourly ADD COLUMN dated_last_ts_ms INTEGER;
UPDATE usage_hourly SET dated_first_ts_ms = first_ts_ms, dated_last_ts_ms = last_ts_ms;
`;

/**
 * A line checkpoint also keeps the hash of the bytes just before its offset, so a file rewritten in
 * place after its first KiB is noticed and read again. The quarantine keeps the first lines of each
 * file and counts the rest per file and reason (the highest offset counted makes a re-read count
 * nothing twice).
 */
const CHECKPOINT_TAIL_AND_QUARANTINE_OVERFLOW = `
ALTER TABLE ingest_offsets ADD COLUMN tail_hash TEXT;
CREATE TABLE quarantine_overflow (
  path TEXT NOT NULL,
  ino INTEGER NOT NULL,
  reason TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_offset INTEGER NOT NULL,
  excerpt BLOB NOT NULL,
  PRIMARY KEY (path, ino, reason)
) STRICT;
`;

/**
 * Learning as a function of the stored calls, whatever order they arrived in: an occurrence keeps
 * what its use contributes (tool tokens, example, model) so a pattern's figures are recomputed from
 * its occurrences; a call is queued for learning again when it changes, and the calls of a turn when
 * the turn's usage or calls change (their measured cost depends on them); sessions whose calls
 * changed wait in learn_sessions (a kill loses none), and their fix loops and sequences are derived
 * again from all their calls; patterns whose occurrences changed wait in learn_patterns to be folded.
 */
const REPEATABLE_LEARNING = `
ALTER TABLE pattern_occurrences ADD COLUMN tool_tokens_est REAL NOT NULL DEFAULT 0;
ALTER TABLE pattern_occurrences ADD COLUMN example TEXT;
ALTER TABLE pattern_occurrences ADD COLUMN model TEXT;
UPDATE pattern_occurrences SET tool_tokens_est = ${toolUseTokensEstimate(4096)} WHERE occurrence_key LIKE 'wf:%';
CREATE INDEX pattern_occurrences_key ON pattern_occurrences (occurrence_key);
CREATE INDEX sequence_sightings_session ON sequence_sightings (session_key);
CREATE TABLE learn_sessions (session_id TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
CREATE TABLE learn_patterns (pattern_id INTEGER PRIMARY KEY) STRICT;
INSERT OR IGNORE INTO learn_sessions (session_id)
  SELECT DISTINCT session_id FROM tool_calls WHERE session_id IS NOT NULL AND ended_at IS NOT NULL;
INSERT OR IGNORE INTO learn_queue (call_id)
  SELECT id FROM tool_calls WHERE lower(tool_name) = 'bash' AND routed_tool_id IS NULL AND ended_at IS NOT NULL;
CREATE TRIGGER tool_calls_learn_insert AFTER INSERT ON tool_calls WHEN NEW.session_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO learn_sessions (session_id) SELECT NEW.session_id WHERE NEW.ended_at IS NOT NULL;
  INSERT OR IGNORE INTO learn_queue (call_id) SELECT id FROM tool_calls
    WHERE session_id = NEW.session_id AND coalesce(ts_ms, 0) BETWEEN coalesce(NEW.ts_ms, 0) - ${TURN_WINDOW} AND coalesce(NEW.ts_ms, 0) + ${TURN_WINDOW}
      AND lower(tool_name) = 'bash' AND routed_tool_id IS NULL;
END;
CREATE TRIGGER tool_calls_learn_update
  AFTER UPDATE OF session_id, tool_name, command, cwd, model, input_bytes, response_bytes, exit_code, is_error, interrupted,
    duration_ms, started_at, ended_at, ts_ms, routed_tool_id ON tool_calls
BEGIN
  INSERT OR IGNORE INTO learn_sessions (session_id) SELECT NEW.session_id WHERE NEW.session_id IS NOT NULL AND NEW.ended_at IS NOT NULL;
  INSERT OR IGNORE INTO learn_sessions (session_id) SELECT OLD.session_id WHERE OLD.session_id IS NOT NULL AND OLD.session_id IS NOT NEW.session_id;
  INSERT OR IGNORE INTO learn_queue (call_id) SELECT NEW.id WHERE lower(NEW.tool_name) = 'bash' AND NEW.routed_tool_id IS NULL;
  INSERT OR IGNORE INTO learn_queue (call_id) SELECT id FROM tool_calls
    WHERE NEW.session_id IS NOT NULL AND session_id = NEW.session_id
      AND coalesce(ts_ms, 0) BETWEEN coalesce(NEW.ts_ms, 0) - ${TURN_WINDOW} AND coalesce(NEW.ts_ms, 0) + ${TURN_WINDOW}
      AND lower(tool_name) = 'bash' AND routed_tool_id IS NULL;
END;
CREATE TRIGGER usage_records_learn_insert AFTER INSERT ON usage_records WHEN NEW.session_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO learn_queue (call_id) SELECT id FROM tool_calls
    WHERE session_id = NEW.session_id AND coalesce(ts_ms, 0) BETWEEN NEW.ts_ms - ${TURN_WINDOW} AND NEW.ts_ms + ${TURN_WINDOW}
      AND lower(tool_name) = 'bash' AND routed_tool_id IS NULL;
END;
CREATE TRIGGER usage_records_learn_update AFTER UPDATE ON usage_records WHEN NEW.session_id IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO learn_queue (call_id) SELECT id FROM tool_calls
    WHERE session_id = NEW.session_id AND coalesce(ts_ms, 0) BETWEEN NEW.ts_ms - ${TURN_WINDOW} AND NEW.ts_ms + ${TURN_WINDOW}
      AND lower(tool_name) = 'bash' AND routed_tool_id IS NULL;
END;
`;

/**
 * Bash outputs of history read before `tool_outputs` existed: the checkpoints of the sources whose
 * tool results carry them (transcripts, stream-json outputs) are dropped, so each file is read once more
 * from its start (at the daemon's next look at its roots, or when named to `outloop ingest`). What was
 * already stored absorbs the second reading (usage records and tool calls by their unique keys, usage
 * totals only for a new record, patterns learned only from newly inserted calls, quarantine by path and
 * offset); the outputs the first reading did not keep are added. Hook logs keep their checkpoints: a
 * hook payload stored before is skipped whole on a second reading, its output with it.
 */
const OUTPUT_BACKFILL = `
DELETE FROM ingest_offsets WHERE kind IN ('transcript', 'stream-jsonl', 'stream-array');
`;

/** Ordered, append-only. Never edit a shipped migration: add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up: (db) => db.exec(INITIAL_SCHEMA),
  },
  {
    version: 2,
    name: 'context facts per tool call',
    up: (db) => db.exec(CONTEXT_FACTS),
  },
  {
    version: 3,
    name: 'learning queue of Bash calls only',
    up: (db) => db.exec(LEARN_QUEUE),
  },
  {
    version: 4,
    name: 'slim pattern occurrences',
    up: (db) => db.exec(SLIM_OCCURRENCES),
  },
  {
    version: 5,
    name: 'learning queue table',
    up: (db) => db.exec(LEARN_QUEUE_TABLE),
  },
  {
    version: 6,
    name: 'context efficiency checkpoints',
    up: (db) => db.exec(CONTEXT_CHECKPOINTS),
  },
  {
    version: 7,
    name: 'one index of tool calls by session',
    up: (db) => db.exec(ONE_SESSION_INDEX),
  },
  {
    version: 8,
    name: 'the cost of each sequence sighting',
    up: (db) => db.exec(SIGHTING_COSTS),
  },
  {
    version: 9,
    name: 'offloaded runs: saving dedup key, not learned from',
    up: (db) => db.exec(OFFLOAD_RUNS),
  },
  {
    version: 10,
    name: 'offload flag per pattern',
    up: (db) => db.exec(OFFLOAD_FLAG),
  },
  {
    version: 11,
    name: 'Bash outputs and their replay',
    up: (db) => db.exec(TOOL_OUTPUTS),
  },
  {
    version: 12,
    name: 'pinned tool executables',
    up: (db) => db.exec(TOOL_PINS),
  },
  {
    version: 13,
    name: 'usage records without a time of their own',
    up: (db) => db.exec(UNDATED_USAGE),
  },
  {
    version: 14,
    name: 'checkpoint tail hash, quarantine overflow counts, repeatable learning',
    up: (db) => {
      db.exec(CHECKPOINT_TAIL_AND_QUARANTINE_OVERFLOW);
      db.exec(REPEATABLE_LEARNING);
    },
  },
  {
    version: 15,
    name: 'read history again for its Bash outputs',
    up: (db) => db.exec(OUTPUT_BACKFILL),
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `the database schema is version ${found}, newer than this outloop supports (${supported}); ` +
        'upgrade outloop, or point OUTLOOP_HOME at another state dir',
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** Applies every pending migration in one transaction. Returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  for (let i = 1; i < migrations.length; i++) {
    const prev = migrations[i - 1];
    const cur = migrations[i];
    if (prev && cur && cur.version <= prev.version) throw new Error(`migrations out of order at ${cur.version}`);
  }
  const latest = migrations.reduce((v, m) => Math.max(v, m.version), 0);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
  return pending.map((m) => m.version);
}
