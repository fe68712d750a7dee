import type { Database, Statement } from 'better-sqlite3';
import type { CompactFamily } from '../../core/compact/types.js';
import type { OutputReplay } from '../../core/learning/savings-replay.js';

/** A recorded Bash output to replay, with its cached replay when one was made under the current key. */
export interface ReplayInputRow {
  callId: number;
  command: string;
  cwd: string | null;
  exitCode: number | null;
  rawBytes: number;
  truncated: boolean;
  /** the model that read the output: the call's, else the session's latest at the call */
  model: string | null;
  /** requests of the same agent in the session after the call up to its next compaction; null: none known */
  laterRequests: number | null;
  cached: OutputReplay | null;
}

type RawInput = [
  number,
  string,
  string | null,
  number | null,
  number,
  number,
  string | null,
  number | null,
  string | null,
  string | null,
  string | null,
  number | null,
  number | null,
];

/** A recorded Bash output without a replay under the current key: what replaying it needs. */
export interface UnreplayedRow {
  callId: number;
  command: string;
  cwd: string | null;
  exitCode: number | null;
  rawBytes: number;
}

/** Per-signature replay figures for pattern economics. */
export interface SignatureReplay {
  signature: string;
  calls: number;
  rawTokens: number;
  compactTokens: number;
}

const PERIOD = 'coalesce(tc.ts_ms, 0) >= @since AND coalesce(tc.ts_ms, 0) < @until';

/**
 * Reading for the savings replay: recorded Bash outputs of the agent (not of routed tools) in a
 * period, in slices by call id, each with the model that read it and how many later requests of the
 * session re-read it; and the replay cache (`output_replays`).
 */
export class ReplayRepo {
  private readonly sliceStmt: Statement<
    [{ since: number; until: number; after: number; limit: number; key: string }],
    RawInput
  >;
  private readonly saveStmt: Statement;
  private readonly periodTokensStmt: Statement<[{ since: number; until: number }], number>;
  private readonly bySignatureStmt: Statement<[string], SignatureReplay>;
  private readonly oneSignatureStmt: Statement<[string, string], SignatureReplay>;
  private readonly unreplayedStmt: Statement<[{ after: number; limit: number; key: string }], UnreplayedRow>;

  constructor(db: Database) {
    this.sliceStmt = db
      .prepare<[{ since: number; until: number; after: number; limit: number; key: string }], RawInput>(
        `SELECT tc.id, tc.command, tc.cwd, tc.exit_code, o.raw_bytes, o.truncated,
           coalesce(tc.model, (SELECT u.model FROM usage_records u WHERE u.session_id = tc.session_id
               AND u.ts_ms <= coalesce(tc.ts_ms, 0) ORDER BY u.ts_ms DESC LIMIT 1),
             (SELECT u.model FROM usage_records u WHERE u.session_id = tc.session_id
               ORDER BY u.ts_ms LIMIT 1)) AS model,
           CASE WHEN tc.session_id IS NULL OR tc.ts_ms IS NULL THEN NULL ELSE
             (SELECT count(*) FROM usage_records u WHERE u.session_id = tc.session_id AND u.agent_id IS tc.agent_id
                AND u.ts_ms > tc.ts_ms
                AND u.ts_ms < coalesce((SELECT min(c.ts_ms) FROM session_compactions c
                  WHERE c.session_id = tc.session_id AND c.ts_ms > tc.ts_ms), 9007199254740991)) END AS later,
           r.family, r.tool, r.signature, r.raw_tokens, r.compact_tokens
         FROM tool_outputs o JOIN tool_calls tc ON tc.id = o.tool_call_id
         LEFT JOIN output_replays r ON r.tool_call_id = o.tool_call_id AND r.replay_key = @key
         WHERE o.tool_call_id > @after AND lower(tc.tool_name) = 'bash' AND tc.routed_tool_id IS NULL
           AND tc.command IS NOT NULL AND ${PERIOD}
         ORDER BY o.tool_call_id LIMIT @limit`,
      )
      .raw();
    // the same outputs as the slice, only those the cache lacks: no per-row model or later-request lookups
    this.unreplayedStmt = db.prepare(
      `SELECT tc.id AS callId, tc.command AS command, tc.cwd AS cwd, tc.exit_code AS exitCode, o.raw_bytes AS rawBytes
       FROM tool_outputs o JOIN tool_calls tc ON tc.id = o.tool_call_id
       LEFT JOIN output_replays r ON r.tool_call_id = o.tool_call_id AND r.replay_key = @key
       WHERE o.tool_call_id > @after AND r.tool_call_id IS NULL AND lower(tc.tool_name) = 'bash'
         AND tc.routed_tool_id IS NULL AND tc.command IS NOT NULL
       ORDER BY o.tool_call_id LIMIT @limit`,
    );
    this.saveStmt = db.prepare(
      `INSERT INTO output_replays (tool_call_id, replay_key, family, tool, signature, raw_tokens, compact_tokens)
       VALUES (@callId, @key, @family, @tool, @signature, @rawTokens, @compactTokens)
       ON CONFLICT (tool_call_id) DO UPDATE SET replay_key = excluded.replay_key, family = excluded.family,
         tool = excluded.tool, signature = excluded.signature, raw_tokens = excluded.raw_tokens,
         compact_tokens = excluded.compact_tokens`,
    );
    this.periodTokensStmt = db
      .prepare(
        `SELECT coalesce(sum(input_tokens + output_tokens + cache_creation_tokens + cache_read_tokens), 0)
         FROM usage_records WHERE ts_ms >= @since AND ts_ms < @until`,
      )
      .pluck() as Statement<[{ since: number; until: number }], number>;
    this.bySignatureStmt = db.prepare(
      `SELECT signature, count(*) AS calls, sum(raw_tokens) AS rawTokens, sum(compact_tokens) AS compactTokens
       FROM output_replays WHERE signature IS NOT NULL AND replay_key = ? GROUP BY signature`,
    );
    this.oneSignatureStmt = db.prepare(
      `SELECT signature, count(*) AS calls, sum(raw_tokens) AS rawTokens, sum(compact_tokens) AS compactTokens
       FROM output_replays WHERE signature = ? AND replay_key = ? GROUP BY signature`,
    );
  }

  /** Up to `limit` outputs with call id above `after`, of calls in [since, until) (ms; calls without a time count as 0). */
  slice(since: number, until: number, after: number, limit: number, key: string): ReplayInputRow[] {
    return this.sliceStmt.all({ since, until, after, limit, key }).map((r) => ({
      callId: r[0],
      command: r[1],
      cwd: r[2],
      exitCode: r[3],
      rawBytes: r[4],
      truncated: r[5] === 1,
      model: r[6],
      laterRequests: r[7] === null || r[7] === 0 ? null : r[7],
      cached:
        r[8] === null
          ? null
          : {
              family: r[8] as CompactFamily,
              tool: r[9] ?? 'generic',
              signature: r[10],
              rawTokens: r[11] ?? 0,
              compactTokens: r[12] ?? 0,
            },
    }));
  }

  /** Up to `limit` outputs with call id above `after` that have no replay under `key`. */
  unreplayed(after: number, limit: number, key: string): UnreplayedRow[] {
    return this.unreplayedStmt.all({ after, limit, key });
  }

  saveReplay(callId: number, key: string, r: OutputReplay): void {
    this.saveStmt.run({ callId, key, ...r });
  }

  /** Every token of the usage records in [since, until). */
  periodTokens(since: number, until: number): number {
    return this.periodTokensStmt.get({ since, until }) ?? 0;
  }

  /** Replay figures per operation signature, over every replayed output (under `key`). */
  bySignature(key: string): Map<string, SignatureReplay> {
    return new Map(this.bySignatureStmt.all(key).map((r) => [r.signature, r]));
  }

  forSignature(key: string, signature: string): SignatureReplay | undefined {
    return this.oneSignatureStmt.get(signature, key);
  }
}
