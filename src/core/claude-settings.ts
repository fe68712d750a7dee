/**
 * Claude Code settings.json: adding the `outloop hook` handler to every hook event (pure; the
 * reading and writing live in src/cli/commands/init.ts). Layout: event → matcher groups →
 * handlers (reference/claude-formats.md §1.1).
 */
import { invalidArgument } from './errors.js';
import { isRecord, type JsonRecord } from './json-value.js';

/** Events whose matcher is the tool name (§1.3, §1.4): their group gets `"matcher": "*"`. */
export const TOOL_EVENTS: readonly string[] = [
  'PreToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'PostToolUse',
  'PostToolUseFailure',
];

/**
 * Every event of the §1.4 catalogue (v2.1.240) that a command hook can observe without side
 * effects, in lifecycle order. Older Claude Code versions ignore the names they do not know.
 */
export const HOOK_EVENTS: readonly string[] = [
  'Setup',
  'SessionStart',
  'InstructionsLoaded',
  'UserPromptSubmit',
  'UserPromptExpansion',
  'PreToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'PostToolUse',
  'PostToolUseFailure',
  'PostToolBatch',
  'Notification',
  'Elicitation',
  'ElicitationResult',
  'MessageDisplay',
  'SubagentStart',
  'SubagentStop',
  'TaskCreated',
  'TaskCompleted',
  'TeammateIdle',
  'Stop',
  'StopFailure',
  'PreCompact',
  'PostCompact',
  'ConfigChange',
  'CwdChanged',
  'FileChanged',
  'DirectoryAdded',
  'SessionEnd',
];

/**
 * Catalogue events deliberately left out: a handler on them *replaces* Claude Code's own
 * behaviour (it must create/remove the worktree and print its path), so a silent observer
 * would break `claude --worktree`.
 */
export const SKIPPED_EVENTS: Readonly<Record<string, string>> = {
  WorktreeCreate: 'a WorktreeCreate hook replaces git worktree creation and must print the new path',
  WorktreeRemove: 'a WorktreeRemove hook replaces git worktree removal',
};

export interface MergeResult {
  settings: Record<string, unknown>;
  /** events that got the handler now, in HOOK_EVENTS order */
  added: string[];
  unchanged: boolean;
}

/**
 * Adds `{type:"command", command}` to every event of HOOK_EVENTS. Hooks already there (of other
 * tools, or ours) are kept as they are, in their order; an event that already runs our command
 * in any matcher group counts as present. Unknown keys are kept. Idempotent. Does not mutate
 * `settings`. Throws AppError(invalid_argument) when settings or `hooks` have the wrong shape.
 */
export function mergeOutloopHooks(settings: unknown, command: string): MergeResult {
  const cmd = normalizeCommand(command);
  if (cmd === '') throw invalidArgument('the hook command is empty');
  const input = settings === undefined ? {} : settings;
  if (!isRecord(input)) throw invalidArgument(`settings must be a JSON object, found ${describe(input)}`);
  const out = structuredClone(input);
  const hooks = checkHooks(out['hooks']);
  const added: string[] = [];
  for (const event of HOOK_EVENTS) {
    const groups = hooks[event] as JsonRecord[] | undefined;
    if (groups?.some((g) => (g['hooks'] as JsonRecord[]).some((h) => isSameHook(h, cmd)))) continue;
    const group: JsonRecord = TOOL_EVENTS.includes(event)
      ? { matcher: '*', hooks: [handler(command)] }
      : { hooks: [handler(command)] };
    if (groups) groups.push(group);
    else hooks[event] = [group];
    added.push(event);
  }
  if (added.length > 0 && out['hooks'] === undefined) out['hooks'] = hooks;
  return { settings: out, added, unchanged: added.length === 0 };
}

function handler(command: string): JsonRecord {
  return { type: 'command', command: command.trim() };
}

/** Validates the whole `hooks` value (absent → a new empty object). */
function checkHooks(value: unknown): JsonRecord {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    throw invalidArgument(
      `"hooks" must be an object mapping event names to lists of matcher groups, found ${describe(value)}`,
    );
  }
  for (const [event, groups] of Object.entries(value)) {
    if (!Array.isArray(groups))
      throw invalidArgument(`"hooks.${event}" must be a list of matcher groups, found ${describe(groups)}`);
    groups.forEach((group: unknown, i) => {
      const at = `hooks.${event}[${i}]`;
      if (!isRecord(group))
        throw invalidArgument(
          `"${at}" must be a matcher group object ({"matcher", "hooks": [...]}), found ${describe(group)}`,
        );
      const handlers = group['hooks'];
      if (!Array.isArray(handlers))
        throw invalidArgument(`"${at}.hooks" must be a list of handlers, found ${describe(handlers)}`);
      handlers.forEach((h: unknown, j) => {
        if (!isRecord(h)) throw invalidArgument(`"${at}.hooks[${j}]" must be a handler object, found ${describe(h)}`);
      });
    });
  }
  return value;
}

function isSameHook(h: JsonRecord, cmd: string): boolean {
  if (h['type'] !== undefined && h['type'] !== 'command') return false;
  if (typeof h['command'] !== 'string') return false;
  const args = Array.isArray(h['args']) ? h['args'].filter((a): a is string => typeof a === 'string') : [];
  const theirs = normalizeCommand([h['command'], ...args].join(' '));
  return theirs === cmd || (isOutloopHookCommand(theirs) && isOutloopHookCommand(cmd));
}

/**
 * True for a command that runs `outloop hook` however it is spelled: `outloop hook`,
 * `/abs/bin/outloop hook`, `node /abs/dist/cli/outloop.cjs hook`, `node /abs/dist/cli/main.js hook`,
 * `npx outloop hook`.
 */
export function isOutloopHookCommand(command: string): boolean {
  return /(?:^|[\s/\\"'])(?:outloop(?:\.js|\.cmd|\.exe)?|dist[/\\]cli[/\\](?:main\.js|outloop\.cjs))["']?\s+hook$/.test(
    normalizeCommand(command),
  );
}

function normalizeCommand(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

export type ParsedSettings =
  { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

/**
 * Parses a settings file's text. Empty (or whitespace-only) text is `{}`; a leading BOM is
 * ignored. On invalid JSON, reports the 1-based line and column of the first error.
 */
export function parseSettingsText(text: string): ParsedSettings {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (e) {
    const offset = jsonErrorOffset(body);
    const before = body.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    // V8 appends a multi-line excerpt or a position; line and column say it better
    const raw = e instanceof Error ? e.message : String(e);
    const message = raw
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
      .replace(/ at position \d+.*$/s, '');
    return { ok: false, message, line, column };
  }
}

class JsonStop extends Error {
  constructor(readonly at: number) {
    super('json syntax error');
  }
}

/** The offset of the first JSON syntax error in `s` (s.length when the input ends early). */
export function jsonErrorOffset(s: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(Math.min(i, s.length));
  };
  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const expect = (ch: string): void => {
    ws();
    if (s[i] !== ch) fail();
    i++;
  };
  const string = (): void => {
    if (s[i] !== '"') fail();
    i++;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = s[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) fail();
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail();
        i += 2;
        continue;
      }
      i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        expect(':');
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const num = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    num.lastIndex = i;
    if (num.test(s)) {
      i = num.lastIndex;
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (s.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    fail();
  };
  try {
    value();
    ws();
    if (i < s.length) fail();
    return s.length;
  } catch (e) {
    if (e instanceof JsonStop) return e.at;
    throw e;
  }
}
