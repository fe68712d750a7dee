/**
 * A deterministic, realistic corpus of agent records for the ingest bench and the crash tests:
 * Claude Code transcripts (main sessions, nested 2.1.x and flat 2.0.x subagents), ADW runs
 * (state, stream-json outputs, prompts), and hook logs (JSONL, and `logs/<event>.json` arrays
 * without tool_use_id). Payload sizes follow real files: most tool results under 4 KB, a few
 * over 500 KB. Some hook events share tool_use_ids with transcript tool calls, so the
 * hook/transcript merge is exercised.
 */
import { mkdirSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export interface CorpusStats {
  bytes: number;
  files: number;
  /** JSONL lines + array elements written */
  records: number;
  sessions: number;
  adwRuns: number;
  /** distinct assistant message ids (usage records after dedup) */
  messages: number;
  /** distinct tool_use ids + order-paired hook calls */
  toolCalls: number;
  hookEvents: number;
}

export interface CorpusOptions {
  seed?: number;
  /** bytes of transcripts per session, roughly (default 400 KB) */
  sessionBytes?: number;
  /** first timestamp (default 2026-01-05) */
  start?: Date;
}

/** mulberry32: small, fast, deterministic. */
/** A seeded generator of numbers in [0, 1) (mulberry32): the same seed gives the same sequence. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'the a to of and in for is on with that this it as be by from cart coupon test build lint format deploy server client api route handler model schema migration user order payment invoice config parse render state effect hook value error retry fix type check import export function const return await async promise result'.split(
    ' ',
  );
const COMMANDS = [
  'uv run pytest -q',
  'cd app/server && uv run pytest tests/ -x',
  'npm run build',
  'npm run lint',
  'npx tsc --noEmit',
  'bun run test',
  'git status',
  'git diff --stat',
  'pnpm test -- --run',
  'cd app/client && npm run typecheck',
  'ruff check . --fix',
  'prettier --check src',
];
const MODELS = ['claude-opus-4-6', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-sonnet-4-6'];

class Gen {
  readonly r: () => number;
  private pool = '';
  private counter = 0;
  constructor(seed: number) {
    this.r = rng(seed);
    const lines: string[] = [];
    let len = 0;
    while (len < 2 * 1024 * 1024) {
      const indent = ' '.repeat(this.int(0, 4) * 2);
      const l = `${indent}${this.words(this.int(2, 12))}${this.r() < 0.3 ? ' {' : this.r() < 0.3 ? ';' : ''}`;
      lines.push(l);
      len += l.length + 1;
    }
    this.pool = lines.join('\n');
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)] as T;
  }
  words(n: number): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.pick(WORDS));
    return out.join(' ');
  }
  /** `n` characters of code-like text */
  text(chars: number): string {
    const n = Math.floor(chars);
    if (n <= 0) return '';
    let out = '';
    while (out.length < n) {
      const at = this.int(0, this.pool.length - 1);
      out += this.pool.slice(at, at + (n - out.length));
    }
    return out;
  }
  hex(n: number): string {
    let s = '';
    while (s.length < n)
      s += Math.floor(this.r() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return s.slice(0, n);
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  id(prefix: string): string {
    return `${prefix}${(++this.counter).toString(36).padStart(6, '0')}${this.hex(12)}`;
  }
  /** result payload size: most under 4 KB, some tens of KB, a few over 500 KB */
  payloadSize(): number {
    const x = this.r();
    if (x < 0.88) return this.int(80, 4000);
    if (x < 0.995) return this.int(4000, 30_000);
    return this.int(500_000, 900_000);
  }
}

interface Sink {
  write(line: string): void;
}

class Writer implements Sink {
  private fd: number;
  private buf: string[] = [];
  private pending = 0;
  bytes = 0;
  lines = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(line: string): void {
    this.buf.push(line, '\n');
    this.pending += line.length;
    this.bytes += Buffer.byteLength(line) + 1;
    this.lines++;
    if (this.pending > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.buf.length === 0) return;
    const b = Buffer.from(this.buf.join(''), 'utf8');
    writeSync(this.fd, b);
    this.buf = [];
    this.pending = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

interface ToolUse {
  id: string;
  name: string;
  input: Record<string, unknown>;
  command: string | null;
}

function toolUse(g: Gen, cwd: string): ToolUse {
  const x = g.r();
  const id = g.id('toolu_01');
  if (x < 0.4) {
    const command = g.pick(COMMANDS);
    return { id, name: 'Bash', input: { command, description: g.words(4) }, command };
  }
  if (x < 0.7)
    return { id, name: 'Read', input: { file_path: `${cwd}/src/${g.pick(WORDS)}/${g.pick(WORDS)}.ts` }, command: null };
  if (x < 0.85) {
    return {
      id,
      name: 'Edit',
      input: {
        file_path: `${cwd}/src/${g.pick(WORDS)}.ts`,
        old_string: g.text(g.int(20, 300)),
        new_string: g.text(g.int(20, 300)),
      },
      command: null,
    };
  }
  if (x < 0.93) return { id, name: 'Grep', input: { pattern: g.pick(WORDS), path: `${cwd}/src` }, command: null };
  return { id, name: 'Glob', input: { pattern: `src/**/*.${g.pick(['ts', 'py', 'tsx'])}` }, command: null };
}

function toolResult(g: Gen, t: ToolUse, cwd: string): { content: string; toolUseResult: unknown; isError: boolean } {
  const size = g.payloadSize();
  const body = g.text(size);
  if (t.name === 'Bash') {
    const isError = g.r() < 0.12;
    const content = isError ? `Exit code ${g.int(1, 2)}\n${body}` : body;
    return {
      content,
      toolUseResult: isError ? `Error: ${content}` : { stdout: body, stderr: '', interrupted: false, isImage: false },
      isError,
    };
  }
  if (t.name === 'Read') {
    const filePath = String(t.input['file_path']);
    return {
      content: body,
      toolUseResult: {
        type: 'text',
        file: { filePath, content: body, numLines: body.split('\n').length, startLine: 1, totalLines: 400 },
      },
      isError: false,
    };
  }
  if (t.name === 'Glob' || t.name === 'Grep') {
    const names = Array.from({ length: g.int(1, 30) }, () => `${cwd}/src/${g.pick(WORDS)}.ts`);
    return {
      content: names.join('\n'),
      toolUseResult: { filenames: names, numFiles: names.length, durationMs: g.int(2, 90) },
      isError: false,
    };
  }
  return {
    content: 'The file has been updated.',
    toolUseResult: {
      filePath: String(t.input['file_path']),
      oldString: '',
      newString: '',
      structuredPatch: [{ lines: body.slice(0, 400).split('\n') }],
    },
    isError: false,
  };
}

interface SessionCtx {
  g: Gen;
  out: Sink;
  sessionId: string;
  cwd: string;
  t: number;
  model: string;
  sidechain: boolean;
  agentId: string | null;
  version: string;
  stats: CorpusStats;
  /** tool uses also seen by hooks (live logger) */
  hooked: { sessionId: string; cwd: string; use: ToolUse; startMs: number; endMs: number; isError: boolean }[];
  hookShare: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** One assistant turn in transcript form: blocks on separate lines, usage repeated. */
function transcriptTurn(c: SessionCtx): void {
  const { g } = c;
  const base = {
    parentUuid: g.uuid(),
    isSidechain: c.sidechain,
    userType: 'external',
    cwd: c.cwd,
    sessionId: c.sessionId,
    version: c.version,
    gitBranch: 'main',
    ...(c.agentId ? { agentId: c.agentId } : {}),
  };
  c.t += g.int(1000, 60_000);
  c.out.write(
    JSON.stringify({
      ...base,
      type: 'user',
      message: { role: 'user', content: g.words(g.int(5, 60)) },
      uuid: g.uuid(),
      timestamp: iso(c.t),
    }),
  );
  const msgId = `msg_01${g.hex(22)}`;
  const requestId = `req_011${g.hex(20)}`;
  const usage = {
    input_tokens: g.int(2, 40),
    cache_creation_input_tokens: g.int(0, 8000),
    cache_read_input_tokens: g.int(1000, 150_000),
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: g.int(20, 3000),
    service_tier: 'standard',
  };
  usage.cache_creation.ephemeral_1h_input_tokens = usage.cache_creation_input_tokens;
  const uses: ToolUse[] = [];
  const nTools = g.r() < 0.75 ? g.int(1, 3) : 0;
  for (let i = 0; i < nTools; i++) uses.push(toolUse(g, c.cwd));
  const blocks: unknown[] = [];
  if (g.r() < 0.5) blocks.push({ type: 'thinking', thinking: g.words(g.int(10, 120)), signature: g.hex(40) });
  blocks.push({ type: 'text', text: g.words(g.int(5, 80)) });
  for (const u of uses) blocks.push({ type: 'tool_use', id: u.id, name: u.name, input: u.input });
  blocks.forEach((b, i) => {
    c.t += g.int(50, 2000);
    const last = i === blocks.length - 1;
    c.out.write(
      JSON.stringify({
        ...base,
        message: {
          model: c.model,
          id: msgId,
          type: 'message',
          role: 'assistant',
          content: [b],
          stop_reason: last && uses.length > 0 ? 'tool_use' : null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: last ? usage.output_tokens : g.int(1, 10) },
        },
        requestId,
        type: 'assistant',
        uuid: g.uuid(),
        timestamp: iso(c.t),
      }),
    );
  });
  c.stats.messages++;
  for (const u of uses) {
    const startMs = c.t;
    c.t += g.int(100, 20_000);
    const res = toolResult(g, u, c.cwd);
    c.out.write(
      JSON.stringify({
        ...base,
        type: 'user',
        message: {
          role: 'user',
          content: [
            {
              tool_use_id: u.id,
              type: 'tool_result',
              content: res.content,
              ...(res.isError ? { is_error: true } : {}),
            },
          ],
        },
        uuid: g.uuid(),
        timestamp: iso(c.t),
        toolUseResult: res.toolUseResult,
      }),
    );
    c.stats.toolCalls++;
    if (g.r() < c.hookShare)
      c.hooked.push({ sessionId: c.sessionId, cwd: c.cwd, use: u, startMs, endMs: c.t, isError: res.isError });
  }
  // non-message lines real transcripts carry
  const x = g.r();
  if (x < 0.1)
    c.out.write(
      JSON.stringify({
        type: 'file-history-snapshot',
        messageId: g.uuid(),
        snapshot: { messageId: g.uuid(), trackedFileBackups: {}, timestamp: iso(c.t) },
        isSnapshotUpdate: false,
      }),
    );
  else if (x < 0.2)
    c.out.write(
      JSON.stringify({
        type: 'progress',
        data: { type: 'bash_progress' },
        uuid: g.uuid(),
        timestamp: iso(c.t),
        sessionId: c.sessionId,
      }),
    );
  else if (x < 0.25)
    c.out.write(
      JSON.stringify({
        type: 'attachment',
        attachment: { type: 'hook_success', hookName: 'PostToolUse:Bash' },
        uuid: g.uuid(),
        timestamp: iso(c.t),
        sessionId: c.sessionId,
      }),
    );
  else if (x < 0.27) {
    c.out.write(
      JSON.stringify({
        ...base,
        type: 'system',
        subtype: 'compact_boundary',
        content: 'Conversation compacted',
        level: 'info',
        uuid: g.uuid(),
        timestamp: iso(c.t),
      }),
    );
  }
}

function writeSession(
  g: Gen,
  dir: string,
  stats: CorpusStats,
  hooked: SessionCtx['hooked'],
  t0: number,
  targetBytes: number,
): number {
  const sessionId = g.uuid();
  const cwd = `/home/dev/src/${g.pick(['shop-api', 'webbuilder', 'infra', 'mobile'])}`;
  const path = join(dir, `${sessionId}.jsonl`);
  const w = new Writer(path);
  const c: SessionCtx = {
    g,
    out: w,
    sessionId,
    cwd,
    t: t0,
    model: g.pick(MODELS),
    sidechain: false,
    agentId: null,
    version: g.pick(['2.0.29', '2.1.63', '2.1.119']),
    stats,
    hooked,
    hookShare: 0.25,
  };
  if (g.r() < 0.3) w.write(JSON.stringify({ type: 'summary', summary: g.words(5), leafUuid: g.uuid() }));
  while (w.bytes < targetBytes) {
    transcriptTurn(c);
  }
  w.close();
  let bytes = w.bytes;
  let records = w.lines;
  stats.files++;
  // subagents: nested (2.1.x) or flat (2.0.x)
  const x = g.r();
  if (x < 0.35) {
    const nested = x < 0.25;
    const agentHex = nested ? g.hex(16) : g.hex(8);
    const sub = nested ? join(dir, sessionId, 'subagents') : dir;
    mkdirSync(sub, { recursive: true });
    const aw = new Writer(join(sub, `agent-${agentHex}.jsonl`));
    const ac: SessionCtx = { ...c, out: aw, sidechain: true, agentId: agentHex, t: t0 + 5000, hookShare: 0 };
    const target = Math.max(2000, targetBytes / 4);
    while (aw.bytes < target) {
      transcriptTurn(ac);
    }
    aw.close();
    bytes += aw.bytes;
    records += aw.lines;
    stats.files++;
  }
  stats.sessions++;
  stats.records += records;
  return bytes;
}

function streamTurn(c: SessionCtx): void {
  const { g } = c;
  const msgId = `msg_01${g.hex(22)}`;
  const usage = {
    input_tokens: g.int(2, 40),
    cache_creation_input_tokens: g.int(0, 20000),
    cache_read_input_tokens: g.int(0, 90000),
    output_tokens: g.int(20, 2000),
    service_tier: 'standard',
  };
  const uses = Array.from({ length: g.int(0, 2) }, () => toolUse(g, c.cwd));
  const blocks: unknown[] = [
    { type: 'text', text: g.words(g.int(5, 60)) },
    ...uses.map((u) => ({ type: 'tool_use', id: u.id, name: u.name, input: u.input })),
  ];
  blocks.forEach((b, i) => {
    c.out.write(
      JSON.stringify({
        type: 'assistant',
        message: {
          id: msgId,
          model: c.model,
          role: 'assistant',
          type: 'message',
          content: [b],
          stop_reason: null,
          usage: { ...usage, output_tokens: i === blocks.length - 1 ? usage.output_tokens : 3 },
        },
        parent_tool_use_id: null,
        session_id: c.sessionId,
        uuid: g.uuid(),
      }),
    );
  });
  c.stats.messages++;
  for (const u of uses) {
    const res = toolResult(g, u, c.cwd);
    c.out.write(
      JSON.stringify({
        type: 'user',
        message: {
          role: 'user',
          content: [
            {
              tool_use_id: u.id,
              type: 'tool_result',
              content: res.content,
              ...(res.isError ? { is_error: true } : {}),
            },
          ],
        },
        parent_tool_use_id: null,
        session_id: c.sessionId,
        uuid: g.uuid(),
        tool_use_result: res.toolUseResult,
      }),
    );
    c.stats.toolCalls++;
  }
}

function writeAdwRun(g: Gen, agentsDir: string, stats: CorpusStats, t0: number, targetBytes: number): number {
  const adwId = g.hex(8);
  const dir = join(agentsDir, adwId);
  mkdirSync(dir, { recursive: true });
  const issue = g.int(1, 400);
  const state = {
    adw_id: adwId,
    issue_number: String(issue),
    branch_name: `feature-issue-${issue}-adw-${adwId}-${g.pick(WORDS)}`,
    issue_class: g.pick(['/feature', '/bug', '/chore']),
    model_set: 'base',
    all_adws: ['adw_plan_iso', 'adw_build_iso'],
    workflow_template: g.pick(['adw_sdlc_iso', 'adw_plan_build_iso']),
    start_time: iso(t0).replace('Z', ''),
  };
  const stateText = JSON.stringify(state, null, 2);
  writeFileSync(join(dir, 'adw_state.json'), stateText);
  let bytes = Buffer.byteLength(stateText);
  stats.files++;
  const agents = ['issue_classifier', 'sdlc_planner', 'sdlc_implementor', 'tester'];
  for (const agent of agents) {
    const adir = join(dir, agent);
    mkdirSync(join(adir, 'prompts'), { recursive: true });
    const prompt =
      agent === 'issue_classifier'
        ? `Classify this issue:\n${g.words(g.int(40, 300))}`
        : `/${agent} ${adwId} ${g.words(30)}`;
    writeFileSync(join(adir, 'prompts', `${agent}.txt`), prompt);
    bytes += Buffer.byteLength(prompt);
    const w = new Writer(join(adir, agent === 'tester' && g.r() < 0.3 ? 'cc_raw_output.jsonl' : 'raw_output.jsonl'));
    const sessionId = g.uuid();
    const model = g.pick(MODELS);
    w.write(
      JSON.stringify({
        type: 'system',
        subtype: 'init',
        cwd: `/home/dev/src/app/trees/${adwId}`,
        session_id: sessionId,
        tools: ['Bash', 'Read'],
        model,
        permissionMode: 'bypassPermissions',
        uuid: g.uuid(),
      }),
    );
    const c: SessionCtx = {
      g,
      out: w,
      sessionId,
      cwd: `/home/dev/src/app/trees/${adwId}`,
      t: t0,
      model,
      sidechain: false,
      agentId: null,
      version: '2.1.63',
      stats,
      hooked: [],
      hookShare: 0,
    };
    const target = targetBytes / agents.length;
    while (w.bytes < target) streamTurn(c);
    if (g.r() < 0.85) {
      w.write(
        JSON.stringify({
          type: 'result',
          subtype: 'success',
          is_error: false,
          duration_ms: g.int(10_000, 900_000),
          num_turns: g.int(1, 40),
          result: g.words(20),
          session_id: sessionId,
          total_cost_usd: Number((g.r() * 3).toFixed(4)),
          uuid: g.uuid(),
        }),
      );
    }
    w.close();
    bytes += w.bytes;
    stats.records += w.lines;
    stats.files += 2;
  }
  stats.adwRuns++;
  return bytes;
}

/** Hook logs: a JSONL log of the hooked calls (with tool_use_id), plus 2.0.x-style arrays. */
function writeHooks(
  g: Gen,
  logsDir: string,
  stats: CorpusStats,
  hooked: SessionCtx['hooked'],
  arrayCalls: number,
): number {
  mkdirSync(logsDir, { recursive: true });
  const w = new Writer(join(logsDir, 'hooks.jsonl'));
  for (const h of hooked) {
    const common = {
      session_id: h.sessionId,
      transcript_path: `/home/dev/.claude/projects/x/${h.sessionId}.jsonl`,
      cwd: h.cwd,
      tool_name: h.use.name,
      tool_input: h.use.input,
      tool_use_id: h.use.id,
    };
    w.write(JSON.stringify({ ...common, hook_event_name: 'PreToolUse', logged_at: iso(h.startMs + 5) }));
    if (h.isError && h.use.name === 'Bash') {
      w.write(
        JSON.stringify({
          ...common,
          hook_event_name: 'PostToolUseFailure',
          error: `Exit code 1\n${g.text(200)}`,
          is_interrupt: false,
          logged_at: iso(h.endMs - 5),
        }),
      );
    } else {
      w.write(
        JSON.stringify({
          ...common,
          hook_event_name: 'PostToolUse',
          tool_response:
            h.use.name === 'Bash'
              ? { stdout: g.text(g.payloadSize() / 4), stderr: '', interrupted: false, isImage: false }
              : g.text(300),
          duration_ms: h.endMs - h.startMs,
          logged_at: iso(h.endMs - 5),
        }),
      );
    }
    stats.hookEvents += 2;
  }
  w.close();
  stats.records += w.lines;
  stats.files++;
  let bytes = w.bytes;
  // 2.0.x array logs: no timestamps, no tool_use_id; paired by order within the session
  const pre: unknown[] = [];
  const post: unknown[] = [];
  const sessions = Array.from({ length: Math.max(1, Math.ceil(arrayCalls / 50)) }, () => g.uuid());
  for (let i = 0; i < arrayCalls; i++) {
    const sessionId = sessions[i % sessions.length] as string;
    const command = g.pick(COMMANDS);
    const common = {
      session_id: sessionId,
      transcript_path: `/home/dev/.claude/projects/y/${sessionId}.jsonl`,
      cwd: '/home/dev/src/legacy',
      tool_name: 'Bash',
      tool_input: { command },
    };
    pre.push({ ...common, hook_event_name: 'PreToolUse' });
    post.push({
      ...common,
      hook_event_name: 'PostToolUse',
      tool_response: { stdout: g.text(g.int(50, 2000)), stderr: '', interrupted: false },
    });
  }
  for (const [name, arr] of [
    ['PreToolUse.json', pre],
    ['PostToolUse.json', post],
  ] as const) {
    const text = JSON.stringify(arr, null, 2);
    writeFileSync(join(logsDir, name), text);
    bytes += Buffer.byteLength(text);
    stats.records += arr.length;
    stats.files++;
  }
  stats.hookEvents += 2 * arrayCalls;
  stats.toolCalls += arrayCalls;
  return bytes;
}

/**
 * Writes about `targetBytes` of records under `root`:
 * `claude/projects/<project>/...` (transcripts), `adw/agents/<id>/...`, `hooks/logs/...`.
 */
export function generateCorpus(root: string, targetBytes: number, opts: CorpusOptions = {}): CorpusStats {
  const g = new Gen(opts.seed ?? 1);
  const stats: CorpusStats = {
    bytes: 0,
    files: 0,
    records: 0,
    sessions: 0,
    adwRuns: 0,
    messages: 0,
    toolCalls: 0,
    hookEvents: 0,
  };
  const projects = join(root, 'claude', 'projects');
  const agentsDir = join(root, 'adw', 'agents');
  const sessionBytes = opts.sessionBytes ?? 400_000;
  let t = (opts.start ?? new Date('2026-01-05T08:00:00Z')).getTime();
  const hooked: SessionCtx['hooked'] = [];
  const transcriptBudget = targetBytes * 0.8;
  const adwBudget = targetBytes * 0.12;
  const projectDirs = [
    '-home-dev-src-shop-api',
    '-home-dev-src-webbuilder',
    '-home-dev-src-infra',
    'C--Users-Zoë-src-app (1)',
  ].map((p) => join(projects, p));
  for (const p of projectDirs) mkdirSync(p, { recursive: true });
  let tb = 0;
  while (tb < transcriptBudget) {
    const size = Math.max(4000, Math.round(sessionBytes * (0.25 + g.r() * 1.5)));
    tb += writeSession(g, g.pick(projectDirs), stats, hooked, t, Math.min(size, transcriptBudget - tb + 4000));
    t += g.int(600_000, 6 * 3600_000);
  }
  mkdirSync(agentsDir, { recursive: true });
  let ab = 0;
  while (ab < adwBudget) {
    ab += writeAdwRun(g, agentsDir, stats, t, Math.max(8000, Math.round(sessionBytes * (0.2 + g.r()))));
    t += g.int(600_000, 3 * 3600_000);
  }
  const hb = writeHooks(g, join(root, 'hooks', 'logs'), stats, hooked, Math.max(10, Math.round(targetBytes / 400_000)));
  stats.bytes = tb + ab + hb;
  return stats;
}
