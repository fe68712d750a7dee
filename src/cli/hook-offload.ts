/**
 * The file side of `outloop hook`'s offload decision: reads `<state dir>/offload.json` and the permission
 * rules of Claude Code's settings chain, then asks core/offload/decision. A file that is missing, unreadable
 * or not JSON counts as absent (never an error shown to Claude Code).
 *
 * Settings files and what they contribute (allow rules only where Claude Code itself reads them, so an allow
 * found here was really in force; deny and ask rules from every candidate, so a doubt never allows):
 * - user: `$CLAUDE_CONFIG_DIR/settings.json` when that is set, else `~/.claude/settings.json` (with
 *   CLAUDE_CONFIG_DIR set, `~/.claude/settings.json` still contributes deny and ask rules);
 * - project: `<dir>/.claude/settings.json` and `settings.local.json`, dir being `$CLAUDE_PROJECT_DIR`, else
 *   the payload's `cwd` (with both known and different, the `cwd` files contribute deny and ask rules);
 * - managed: `/etc/claude-code/managed-settings.json` (Linux) or
 *   `/Library/Application Support/ClaudeCode/managed-settings.json` (macOS); when it sets
 *   `allowManagedPermissionRulesOnly`, only its allow rules count.
 *
 * Import graph: node:fs, node:os, node:path, src/rpc/paths.ts and pure core modules only (this runs inside the
 * bundled hook).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isRecord, tryParseJson } from '../core/json-value.js';
import { offloadDecision, runPrefix } from '../core/offload/decision.js';
import { parseOffloadFile, type OffloadFile } from '../core/offload/offload-file.js';
import {
  NO_RULES,
  managedRulesOnly,
  mergeRules,
  permissionRulesOf,
  type PermissionRules,
} from '../core/offload/permission-rules.js';
import { offloadFilePath } from '../rpc/paths.js';
import { withoutBom } from '../core/text.js';

type Env = Record<string, string | undefined>;

const MANAGED_SETTINGS: Readonly<Record<string, string>> = {
  linux: '/etc/claude-code/managed-settings.json',
  darwin: '/Library/Application Support/ClaudeCode/managed-settings.json',
};

export interface HookProgram {
  /** node's absolute path (process.execPath) */
  execPath: string;
  /** the script running the hook (process.argv[1]) */
  script: string | undefined;
  platform: string;
}

/**
 * The JSON text to print for this hook payload, or null to print nothing. Files are read only once the
 * payload is a Bash PreToolUse and offload is not switched off.
 */
export function offloadAnswer(text: string, stateDir: string, env: Env, program: HookProgram): string | null {
  if (!text.includes('PreToolUse') || program.script === undefined) return null;
  const parsed = parseJsonText(text);
  if (!parsed.ok || !isRecord(parsed.value)) return null;
  const payload = parsed.value;
  if (payload['hook_event_name'] !== 'PreToolUse' || payload['tool_name'] !== 'Bash') return null;
  const switchedOff = env['OUTLOOP_OFFLOAD'] === '0';
  const offload = switchedOff ? null : readOffloadFile(stateDir);
  const cwd = typeof payload['cwd'] === 'string' ? payload['cwd'] : null;
  const rules = offload?.enabled ? readPermissionRules(settingsSources(env, cwd, program.platform)) : NO_RULES;
  const decision = offloadDecision(payload, {
    offload,
    rules,
    prefix: runPrefix(program.execPath, program.script),
    switchedOff,
  });
  return decision.rewrite ? JSON.stringify(decision.output) : null;
}

/** offload.json, or null when it is missing, unreadable, corrupt or of another version. */
export function readOffloadFile(stateDir: string): OffloadFile | null {
  const text = readText(offloadFilePath(stateDir));
  return text === null ? null : parseOffloadFile(text);
}

export interface SettingsSource {
  path: string;
  /** false: only its deny and ask rules count */
  grants: boolean;
  managed?: boolean;
}

/** The settings files to read, in Claude Code's order (user, project, local, managed). */
export function settingsSources(env: Env, cwd: string | null, platform: string): SettingsSource[] {
  const home = env['HOME'] || homedir();
  const configDir = env['CLAUDE_CONFIG_DIR'];
  const out: SettingsSource[] = [];
  if (configDir) out.push({ path: join(configDir, 'settings.json'), grants: true });
  out.push({ path: join(home, '.claude', 'settings.json'), grants: !configDir });
  const projectDir = env['CLAUDE_PROJECT_DIR'] || cwd;
  const dirs = projectDir ? [projectDir] : [];
  if (cwd && projectDir && cwd !== projectDir) dirs.push(cwd);
  for (const dir of dirs) {
    for (const name of ['settings.json', 'settings.local.json'])
      out.push({ path: join(dir, '.claude', name), grants: dir === projectDir });
  }
  const managed = MANAGED_SETTINGS[platform];
  if (managed !== undefined) out.push({ path: managed, grants: true, managed: true });
  return out;
}

/** The merged rules of the settings files (see the module comment); missing or corrupt files are skipped. */
export function readPermissionRules(sources: readonly SettingsSource[]): PermissionRules {
  const read: { source: SettingsSource; settings: unknown }[] = [];
  for (const source of sources) {
    const text = readText(source.path);
    if (text === null) continue;
    const parsed = parseJsonText(text);
    if (parsed.ok) read.push({ source, settings: parsed.value });
  }
  const managedOnly = read.some((r) => r.source.managed === true && managedRulesOnly(r.settings));
  return mergeRules(
    read.map(({ source, settings }) => {
      const rules = permissionRulesOf(settings);
      const grants = source.grants && (!managedOnly || source.managed === true);
      return grants ? rules : { ...rules, allow: [] };
    }),
  );
}

/** JSON text as a payload or settings file holds it: a leading BOM is ignored. */
function parseJsonText(text: string): ReturnType<typeof tryParseJson> {
  return tryParseJson(withoutBom(text));
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
