/**
 * Claude Code settings.json: adding the `outloop hook` handler to every hook event (pure; the
 * reading and writing live in src/cli/commands/init.ts). Layout: event → matcher groups →
 * handlers.
 *
 * Installed shape: every handler only captures, so it runs `"async": true` (Claude Code does not wait
 * for it), except on PreToolUse for the Bash tool, where the hook decides whether the command is
 * offloaded and Claude Code must wait for its answer. PreToolUse therefore gets two groups: matcher
 * `Bash` (an exact tool name) with the synchronous handler, and matcher `^(?!Bash$).*` (any other
 * value is an unanchored JavaScript regex; this one matches every tool name but `Bash`) with the async
 * one, so a Bash call runs the hook once.
 */
import { invalidArgument } from '../errors.js';
import { isRecord, type JsonRecord } from '../json-value.js';

/** Events whose matcher is the tool name: their group gets `"matcher": "*"`. */
export const TOOL_EVENTS: readonly string[] = [
  'PreToolUse',
  'PermissionRequest',
  'PermissionDenied',
  'PostToolUse',
  'PostToolUseFailure',
];

/**
 * Every hook event of Claude Code (as of v2.1.240) that a command hook can observe without side
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

/** PreToolUse matcher of the synchronous, deciding handler. */
export const DECIDING_MATCHER = 'Bash';
/** PreToolUse matcher of the async capture handler: every tool name except exactly `Bash`. */
export const CAPTURE_MATCHER = '^(?!Bash$).*';

export interface MergeResult {
  settings: Record<string, unknown>;
  /** events that got the handler now, in HOOK_EVENTS order */
  added: string[];
  /** events whose existing outloop handler was brought to the installed shape (async, PreToolUse split) */
  upgraded: string[];
  unchanged: boolean;
}

/**
 * Adds the outloop handler to every event of HOOK_EVENTS in the installed shape (module comment). Hooks
 * of other tools are kept as they are, in their order; unknown keys are kept. An event that already runs
 * our command counts as present; an older install of ours (a synchronous capture handler, one PreToolUse
 * handler for every tool) is upgraded in place: `"async": true` added to the handler where it sits, the
 * PreToolUse handler replaced by the two groups (keeping its command, args and other fields). Idempotent.
 * Does not mutate `settings`. Throws AppError(invalid_argument) when settings or `hooks` have the wrong shape.
 */
export function mergeOutloopHooks(settings: unknown, command: string): MergeResult {
  const cmd = normalizeCommand(command);
  if (cmd === '') throw invalidArgument('the hook command is empty');
  const input = settings === undefined ? {} : settings;
  if (!isRecord(input)) throw invalidArgument(`settings must be a JSON object, found ${describe(input)}`);
  const out = structuredClone(input);
  const hooks = checkHooks(out['hooks']);
  const added: string[] = [];
  const upgraded: string[] = [];
  for (const event of HOOK_EVENTS) {
    const groups = (hooks[event] as JsonRecord[] | undefined) ?? [];
    const ours = ourHandlers(groups, cmd);
    const change =
      event === 'PreToolUse' ? mergePreToolUse(groups, ours, command) : mergeCapture(event, groups, ours, command);
    if (change === 'added') added.push(event);
    if (change === 'upgraded') upgraded.push(event);
    if (change !== null && groups.length > 0) hooks[event] = groups;
  }
  if (added.length > 0 && out['hooks'] === undefined) out['hooks'] = hooks;
  return { settings: out, added, upgraded, unchanged: added.length === 0 && upgraded.length === 0 };
}

type Change = 'added' | 'upgraded' | null;

interface Ours {
  group: JsonRecord;
  handler: JsonRecord;
}

function ourHandlers(groups: readonly JsonRecord[], cmd: string): Ours[] {
  return groups.flatMap((group) =>
    (group['hooks'] as JsonRecord[]).filter((h) => isSameHook(h, cmd)).map((handler) => ({ group, handler })),
  );
}

/** Any event but PreToolUse: one async handler; an existing one of ours gets `async: true` where it is. */
function mergeCapture(event: string, groups: JsonRecord[], ours: readonly Ours[], command: string): Change {
  if (ours.length === 0) {
    const h = { ...handler(command), async: true };
    groups.push(TOOL_EVENTS.includes(event) ? { matcher: '*', hooks: [h] } : { hooks: [h] });
    return 'added';
  }
  let changed = false;
  for (const { handler: h } of ours) {
    if (h['async'] === true) continue;
    h['async'] = true;
    changed = true;
  }
  return changed ? 'upgraded' : null;
}

/** PreToolUse: the synchronous handler for Bash and the async one for every other tool, nothing else of ours. */
function mergePreToolUse(groups: JsonRecord[], ours: readonly Ours[], command: string): Change {
  const deciding = ours.filter((o) => o.group['matcher'] === DECIDING_MATCHER && o.handler['async'] !== true);
  const capturing = ours.filter((o) => o.group['matcher'] === CAPTURE_MATCHER && o.handler['async'] === true);
  if (ours.length === 2 && deciding.length === 1 && capturing.length === 1) return null;
  const template: JsonRecord = ours[0] ? { ...ours[0].handler } : handler(command);
  delete template['async'];
  for (const { group, handler: h } of ours) {
    const list = group['hooks'] as JsonRecord[];
    list.splice(list.indexOf(h), 1);
  }
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i];
    if (g && ours.some((o) => o.group === g) && (g['hooks'] as JsonRecord[]).length === 0) groups.splice(i, 1);
  }
  groups.push({ matcher: DECIDING_MATCHER, hooks: [template] });
  groups.push({ matcher: CAPTURE_MATCHER, hooks: [{ ...template, async: true }] });
  return ours.length === 0 ? 'added' : 'upgraded';
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
