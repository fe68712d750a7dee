import { constants, copyFileSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { HOOK_EVENTS, mergeOutloopHooks, type MergeResult } from '../../core/offload/claude-settings.js';
import { parseSettingsText } from '../../core/offload/settings-text.js';
import { AppError, getErrorMessage, isNodeError } from '../../core/errors.js';
import { findOnPath } from '../../sys/executable.js';
import { writeFileAtomic } from '../../sys/atomic-file.js';
import { COMMON_OPTIONS, EXIT, UsageError, parseCommand, printJson, reportError } from '../shared.js';

/** What Claude Code runs; `outloop` must be on the PATH Claude Code sees (else pass --command). */
export const DEFAULT_HOOK_COMMAND = 'outloop hook';

const spec = {
  name: 'init',
  usage: 'outloop init [--project DIR | --user] [--command CMD] [--dry-run] [--json]',
  summary:
    `Add the outloop hook to Claude Code's settings for every hook event: DIR/.claude/settings.json (DIR defaults to the\n` +
    `current directory) or ~/.claude/settings.json with --user. Every handler only captures and runs "async": true\n` +
    `(Claude Code does not wait for it), except PreToolUse for the Bash tool: there the hook runs synchronously and\n` +
    `decides whether the command is an approved, offloaded pattern to run through 'outloop run' (matcher "Bash"; the\n` +
    `async PreToolUse handler has matcher "^(?!Bash$).*", every other tool, so a Bash call runs the hook once).\n` +
    `Hooks already there are kept; an older outloop install (synchronous capture handlers) is upgraded in place;\n` +
    `running it twice changes nothing. The old file is backed up as settings.json.bak-<time>. The command written is\n` +
    `'${DEFAULT_HOOK_COMMAND}' unless --command gives another (for example an absolute path). --dry-run prints the\n` +
    `resulting JSON and writes nothing.`,
  options: {
    ...COMMON_OPTIONS,
    project: { type: 'string' },
    user: { type: 'boolean', default: false },
    command: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
  positionals: { max: 0 },
} as const;

export interface InitResult {
  path: string;
  added: string[];
  upgraded: string[];
  unchanged: boolean;
  backup: string | null;
  dryRun: boolean;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  try {
    if (v.project !== undefined && v.user) throw new UsageError('--project and --user cannot be used together');
    if (v.project === '') throw new UsageError('--project needs a directory');
    const command = (v.command ?? DEFAULT_HOOK_COMMAND).trim();
    if (command === '') throw new UsageError('--command cannot be empty');
    const path = v.user
      ? join(process.env['HOME'] || homedir(), '.claude', 'settings.json')
      : projectSettingsPath(v.project ?? process.cwd());

    const existing = readExisting(path);
    const parsedText = existing === null ? ({ ok: true, value: {} } as const) : parseSettingsText(existing);
    if (!parsedText.ok) {
      throw new AppError(
        'internal',
        `${path} is not valid JSON (line ${parsedText.line}, column ${parsedText.column}): ${parsedText.message}; nothing written`,
      );
    }
    let merged: MergeResult;
    try {
      merged = mergeOutloopHooks(parsedText.value, command);
    } catch (e) {
      throw new AppError('internal', `${path}: ${getErrorMessage(e)}; nothing written`, undefined, { cause: e });
    }
    const text = `${JSON.stringify(merged.settings, null, 2)}\n`;
    const result: InitResult = {
      path,
      added: merged.added,
      upgraded: merged.upgraded,
      unchanged: merged.unchanged,
      backup: null,
      dryRun: v['dry-run'],
    };

    if (v['dry-run']) {
      if (v.json) printJson({ ...result, settings: merged.settings });
      else {
        process.stdout.write(text);
        process.stderr.write(
          `outloop init: dry run, ${merged.unchanged ? 'nothing to change' : `would add the hook for ${merged.added.length} event(s) and upgrade it for ${merged.upgraded.length}`} in ${path}; nothing written\n`,
        );
      }
      return EXIT.ok;
    }
    if (!merged.unchanged) {
      if (existing !== null) result.backup = backup(path);
      writeAtomic(path, text);
    }
    if (v.json) printJson(result);
    else process.stdout.write(humanSummary(result, command));
    for (const w of warnings(merged.settings, command, v.command === undefined))
      process.stderr.write(`outloop init: warning: ${w}\n`);
    return EXIT.ok;
  } catch (e) {
    return reportError('init', e, v.json, e instanceof UsageError ? EXIT.usage : EXIT.failure);
  }
}

function projectSettingsPath(dir: string): string {
  const root = resolve(dir);
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new AppError('not_found', `project directory ${root} does not exist`);
  }
  if (!st.isDirectory()) throw new AppError('invalid_argument', `${root} is not a directory`);
  return join(root, '.claude', 'settings.json');
}

/** The file's text, or null when it does not exist. */
function readExisting(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (isNodeError(e) && e.code === 'ENOENT') return null;
    throw new AppError('internal', `cannot read ${path}: ${getErrorMessage(e)}`);
  }
}

/** Copies the current file to `settings.json.bak-<time>` beside it; returns the backup's path. */
function backup(path: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const target = `${path}.bak-${stamp}${n === 0 ? '' : `-${n}`}`;
    try {
      copyFileSync(path, target, constants.COPYFILE_EXCL);
      return target;
    } catch (e) {
      if (!(isNodeError(e) && e.code === 'EEXIST') || n >= 100) throw e;
    }
  }
}

/**
 * tmp file + rename in the same directory. A symlinked settings.json (dotfile managers) stays a
 * symlink: the file it points to is replaced. The file's mode is kept (new files: 0644).
 */
function writeAtomic(path: string, text: string): void {
  let target = path;
  let mode = 0o644;
  try {
    target = realpathSync(path);
    mode = statSync(target).mode & 0o777;
  } catch {
    mkdirSync(dirname(path), { recursive: true });
  }
  writeFileAtomic(target, text, {
    tmp: join(dirname(target), `.settings.json.outloop-${process.pid}-${Date.now()}.tmp`),
    mode,
  });
}

function humanSummary(r: InitResult, command: string): string {
  if (r.unchanged)
    return `${r.path} already runs '${command}' on all ${HOOK_EVENTS.length} hook events; nothing changed.\n`;
  const lines: string[] = [];
  if (r.added.length > 0) lines.push(`Added '${command}' to ${r.added.length} hook event(s) in ${r.path}.`);
  if (r.upgraded.length > 0)
    lines.push(
      `Upgraded the outloop hook of ${r.upgraded.length} event(s) in ${r.path} (capture runs async; PreToolUse Bash decides offload).`,
    );
  lines.push(r.backup ? `Backup of the previous file: ${r.backup}` : 'Created the file; there was no previous one.');
  return `${lines.join('\n')}\n`;
}

function warnings(settings: Record<string, unknown>, command: string, isDefault: boolean): string[] {
  const out: string[] = [];
  if (settings['disableAllHooks'] === true)
    out.push('"disableAllHooks" is true in this file: Claude Code will not run any hook');
  if (isDefault && findOnPath('outloop', process.env['PATH'], process.cwd()) === null) {
    out.push(
      `'outloop' is not on PATH, so Claude Code cannot run '${command}'; install it globally or pass --command with an absolute path`,
    );
  }
  return out;
}
