/**
 * The PreToolUse offload decision: whether Claude Code's Bash call is handed to `outloop run --pattern SIG`
 * (answered with `permissionDecision: "allow"` and the whole `tool_input` with only `command` changed), or left
 * alone. Pure: the hook reads offload.json and the settings files and passes what it found.
 *
 * A call is rewritten only when all of these hold, checked in this order:
 * 1. the event is PreToolUse for the Bash tool, `tool_input.command` is a string and the call is not a
 *    background one (`run_in_background`: the agent polls its output as it comes, a summary at the end
 *    would change what it sees);
 * 2. offload is not switched off in the environment (`OUTLOOP_OFFLOAD=0`) and offload.json was read;
 * 3. the command is not already an `outloop run` call;
 * 4. it is one simple command (`simpleCommand`: optionally `cd DIR &&` and env assignments);
 * 5. its signature is offloaded in offload.json, with offload switched on there;
 * 6. the original would have run without a prompt (see `wouldRunUnprompted`).
 * Anything unknown on the way (a mode not listed, a rule that cannot be read) means no rewrite: the allow
 * answered here skips Claude Code's prompt, so it must never allow what the user had not already allowed.
 */
import { commandStart, isEnvAssignment, joinWords, splitCommands } from '../shell-words.js';
import { isOutloopRun } from './run-wrap.js';
import { isRecord, type JsonRecord } from '../json-value.js';
import { extractOperation } from '../learning/operation.js';
import { RUN_SUBCOMMAND, offloadEntry, simpleCommand, type OffloadFile } from './offload-file.js';
import { allowed, deniedOrAsked, type PermissionRules } from './permission-rules.js';

export interface OffloadContext {
  /** offload.json as read; null when missing, corrupt or of another version */
  offload: OffloadFile | null;
  /** the permission rules of the settings chain */
  rules: PermissionRules;
  /** the shell words that start `outloop` (already quoted), e.g. `/usr/bin/node /opt/outloop/dist/cli/outloop.cjs` */
  prefix: string;
  /** `OUTLOOP_OFFLOAD=0` in the hook's environment */
  switchedOff: boolean;
}

export interface PreToolUseAllow {
  hookSpecificOutput: {
    hookEventName: 'PreToolUse';
    permissionDecision: 'allow';
    permissionDecisionReason: string;
    updatedInput: JsonRecord;
  };
}

export type OffloadDecision = { rewrite: true; output: PreToolUseAllow } | { rewrite: false; why: string };

/**
 * Permission modes in which a Bash call with no matching rule runs without a prompt. `bypassPermissions` is
 * the only one; `default`, `acceptEdits` and `dontAsk` run a Bash command unprompted only through an allow rule.
 * `plan` runs nothing and `auto` leaves it to a classifier that cannot be reproduced here: never rewritten.
 */
const UNPROMPTED_MODES: ReadonlySet<string> = new Set(['bypassPermissions']);
const RULE_MODES: ReadonlySet<string> = new Set(['default', 'acceptEdits', 'dontAsk']);

const skip = (why: string): OffloadDecision => ({ rewrite: false, why });

export function offloadDecision(payload: unknown, ctx: OffloadContext): OffloadDecision {
  if (!isRecord(payload)) return skip('payload is not an object');
  if (payload['hook_event_name'] !== 'PreToolUse') return skip('not PreToolUse');
  if (payload['tool_name'] !== 'Bash') return skip('not the Bash tool');
  const input = payload['tool_input'];
  if (!isRecord(input) || typeof input['command'] !== 'string') return skip('no tool_input.command');
  const command = input['command'];
  if (input['run_in_background'] === true) return skip('a background run');
  if (ctx.switchedOff) return skip('OUTLOOP_OFFLOAD=0');
  if (ctx.offload === null) return skip('offload.json missing or unreadable');
  if (!ctx.offload.enabled) return skip('offload is switched off');
  if (isOutloopRun(command)) return skip('already an outloop run');
  const simple = simpleCommand(command);
  if (!simple.ok) return skip(`not one simple command: ${simple.reason}`);
  const cwd = typeof payload['cwd'] === 'string' ? payload['cwd'] : null;
  const signature = extractOperation(command, cwd)?.signature;
  const entry = signature === undefined ? null : offloadEntry(ctx.offload, signature);
  if (entry === null || signature === undefined) return skip(`signature ${signature ?? '(none)'} is not offloaded`);
  const mode = typeof payload['permission_mode'] === 'string' ? payload['permission_mode'] : null;
  const unprompted = wouldRunUnprompted(command, simple.cd, mode, ctx.rules);
  if (unprompted !== true) return skip(unprompted);
  return {
    rewrite: true,
    output: {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'allow',
        permissionDecisionReason: `outloop: ${signature} is offloaded (pattern #${entry.patternId}); outloop run keeps the full output and shows the ${entry.family} summary`,
        updatedInput: { ...input, command: wrapCommand(ctx.prefix, signature, command) },
      },
    },
  };
}

/**
 * True when the command would have run without a prompt; otherwise why not. Deny and ask rules are tried
 * against every reading of the command (as written, each part of a `cd DIR &&` chain, without env
 * assignments, from the program word on), so a rule on any of them stops the rewrite, also in
 * bypassPermissions (ask rules prompt in every mode). Allow rules count only on the text as written:
 * - the command after `cd DIR &&` must match an allow rule as it stands, env assignments included;
 * - `cd DIR` must match an allow rule too, or be a plain relative path below the session's directory
 *   (no `..`, `~`, `$`, quotes, globs or backslashes), which Claude Code changes into without asking.
 */
export function wouldRunUnprompted(
  command: string,
  cd: string | null,
  mode: string | null,
  rules: PermissionRules,
): true | string {
  if (mode === null) return 'no permission_mode';
  if (!UNPROMPTED_MODES.has(mode) && !RULE_MODES.has(mode)) return `permission mode ${mode}`;
  const rest = cd === null ? command.trim() : afterCd(command, cd);
  if (rest === null) return 'cd prefix not understood';
  const cdPart = cd === null ? null : `cd ${cd}`;
  const verdict = deniedOrAsked(rules, readings(command, rest, cdPart));
  if (verdict !== null) return `${verdict} rule matches`;
  if (UNPROMPTED_MODES.has(mode)) return true;
  if (!allowed(rules, rest)) return 'no allow rule matches';
  if (cdPart !== null && cd !== null && !allowed(rules, cdPart) && !plainSubdirectory(cd))
    return 'no allow rule matches the cd';
  return true;
}

/** The command after `cd DIR &&` (DIR as `simpleCommand` read it), or null when it is not there. */
function afterCd(command: string, dir: string): string | null {
  const m = /^\s*cd[ \t]+/.exec(command);
  if (!m || !command.startsWith(dir, m[0].length)) return null;
  const tail = /^[ \t]*&&/.exec(command.slice(m[0].length + dir.length));
  return tail ? command.slice(m[0].length + dir.length + tail[0].length).trim() : null;
}

/** Every text a deny or ask rule is tried against. */
function readings(command: string, rest: string, cdPart: string | null): string[] {
  const out = new Set<string>([command.trim(), rest]);
  if (cdPart !== null) out.add(cdPart);
  out.add(rest.replace(ENV_PREFIX, ''));
  const words = splitCommands(rest)[0] ?? [];
  const program = words.slice(commandStart(words));
  if (program.length > 0) {
    out.add(program.join(' '));
    out.add(joinWords(program, Number.MAX_SAFE_INTEGER));
  }
  const assignments = words.findIndex((w) => !isEnvAssignment(w));
  if (assignments > 0) out.add(words.slice(assignments).join(' '));
  return [...out];
}

/** Leading `NAME=value` words, with quoted or escaped values. */
const ENV_PREFIX = /^(?:[A-Za-z_][A-Za-z0-9_]*\+?=(?:'[^']*'|"(?:[^"\\]|\\.)*"|\\.|[^\s'"\\])*[ \t]+)+/s;

function plainSubdirectory(dir: string): boolean {
  return /^[A-Za-z0-9_.@+-]+(?:\/[A-Za-z0-9_.@+-]+)*\/?$/.test(dir) && !dir.split('/').some((s) => s === '..');
}

/** `PREFIX run --pattern SIG -- 'COMMAND'`: the command travels as one argument, byte for byte. */
export function wrapCommand(prefix: string, signature: string, command: string): string {
  return `${prefix} ${RUN_SUBCOMMAND} --pattern ${shellQuote(signature)} -- ${singleQuote(command)}`;
}

/** The prefix that starts the running outloop: `node` (its absolute path) and the script, quoted for sh. */
export function runPrefix(execPath: string, script: string): string {
  return `${shellQuote(execPath)} ${shellQuote(script)}`;
}

/** A word for sh: as it is when made only of characters sh never treats specially, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : singleQuote(word);
}

/** `'…'` with each `'` written `'\''`: sh reads every other byte literally between single quotes. */
export function singleQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
