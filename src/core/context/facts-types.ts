/** What context efficiency reads of one tool call, and the facts worked out from it alone (facts.ts). */
export interface ContextCall {
  toolName: string;
  /** compact JSON of tool_input; may be cut at 4096 chars (then fields are found by regex) */
  inputJson: string | null;
  command: string | null;
  responseBytes: number;
  responseText: string | null;
  isError: boolean | null;
  cwd: string | null;
  filePaths: readonly string[];
}

/** A path-like token of an input, pre-normalized for matching loaded files (see `tokenFact`). */
export interface TokenFact {
  /** the file key (see `fileKey`) of the token resolved against the call cwd, when absolute */
  exact: string | null;
  /** the token normalized alone, when a relative path that may be a loaded file's suffix */
  tail: string | null;
}

/**
 * Everything about one call that does not depend on the other calls of its session. Lists, not
 * objects, so that a stored copy parses straight into this shape (see facts-codec.ts).
 * Paths under the call cwd are kept without it (`rel`), so a session's files under its cwd are
 * known by those short names until they are shown.
 */
export interface CallFacts {
  /** the call's own cwd; null: paths are as written, and `mentions` stand for `tokens` */
  cwd: string | null;
  /** `loads` and `uses` are relative to `cwd`: each stands for `${cwd}/${path}` */
  rel: boolean;
  /** files the response brought in, in order, normalized against the call cwd */
  loads: readonly string[];
  /**
   * the response bytes the loads share: one load counts them all; several split them evenly,
   * the remainder one byte each to the first ones
   */
  bytes: number;
  /** the loads are images or PDFs (a Read of one) */
  media: boolean;
  /** files edited or written, normalized like `loads` */
  uses: readonly string[];
  /**
   * path-like tokens of the input, in order, deduplicated, as pairs `exact, tail` (`TokenFact`;
   * `exact` is '' for `${cwd}/${tail}`)
   */
  tokens: readonly (string | null)[];
  /** the raw path-like tokens of a call without a cwd (resolved when the session is read) */
  mentions: readonly string[];
}
