/**
 * Registration rules for tools, and the checks made again before every run.
 *
 * - argv[0] is an absolute path, or a bare command name looked up on the daemon's PATH (the CLI
 *   resolves names and relative paths against the caller's own PATH and cwd before sending). The
 *   resolved file must exist, be a regular file and be executable; the tool then always runs that
 *   file with argv[1..] as its arguments, never through a shell.
 * - Defaults: timeout 600 s, output cap 1 MiB, cwd policy `request`.
 * - cwd policy: `request` runs in the request's cwd, else in the cwd given at registration;
 *   `fixed` always runs in the registered cwd (required); `inherit` runs in the daemon's cwd.
 *   Every cwd is absolute and must be an existing directory when the tool runs.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { getErrorMessage, invalidArgument } from '../../core/errors.js';
import type { CwdPolicy } from '../../core/types.js';
import type { ToolRegisterParams } from '../../rpc/protocol.js';
import { findOnPath } from '../../sys/executable.js';
import { pinOf, type NewTool, type ToolRow } from '../store/tools-repo.js';
import { pinExecutable, pinMismatch, type ToolPin } from './tool-pin.js';

export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_OUTPUT_CAP_BYTES = 1024 * 1024;
export const DEFAULT_CWD_POLICY: CwdPolicy = 'request';
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const MAX_TRIGGER_CHARS = 500;

/** Why this path cannot be run, or null when it is an executable regular file. */
export function executableProblem(path: string): string | null {
  try {
    const st = statSync(path);
    if (!st.isFile()) return `${path} is not a regular file`;
    accessSync(path, constants.X_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `${path} does not exist`;
    if (code === 'EACCES') return `${path} is not executable`;
    return `${path} cannot be used (${code ?? 'error'})`;
  }
}

function dirProblem(path: string): string | null {
  if (!isAbsolute(path)) return `cwd ${path} is not an absolute path`;
  try {
    return statSync(path).isDirectory() ? null : `cwd ${path} is not a directory`;
  } catch {
    return `cwd ${path} does not exist`;
  }
}

/** argv[0] → the absolute executable it names. Throws invalid_argument. */
export function resolveExecutable(command: string, env: Record<string, string | undefined>): string {
  if (command.trim() === '') throw invalidArgument('the command (argv[0]) is empty');
  if (isAbsolute(command)) {
    const problem = executableProblem(command);
    if (problem) throw invalidArgument(`cannot register the tool: ${problem}`);
    return command;
  }
  if (command.includes('/')) {
    throw invalidArgument(
      `argv[0] must be an absolute path or a command name on PATH, not the relative path ${command}`,
    );
  }
  const found = findOnPath(command, env['PATH']);
  if (found !== null) return found;
  throw invalidArgument(`cannot register the tool: ${command} is not an executable on the daemon's PATH`);
}

function cleanTriggers(triggers: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const t of triggers ?? []) {
    const s = t.trim().replace(/\s+/g, ' ');
    if (s === '') continue;
    if (s.length > MAX_TRIGGER_CHARS)
      throw invalidArgument(`a trigger phrase is longer than ${MAX_TRIGGER_CHARS} characters`);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** Validates `tools/register` params into a row to store. Throws invalid_argument. */
export function prepareRegistration(p: ToolRegisterParams, env: Record<string, string | undefined>): NewTool {
  const name = p.name.trim();
  if (!NAME_RE.test(name)) {
    throw invalidArgument(
      `tool name '${p.name}' must start with a letter or digit and use only letters, digits, '.', '_' or '-'`,
    );
  }
  const signature = p.signature.trim().toLowerCase();
  if (signature === '') throw invalidArgument('signature must not be empty');
  const [command = '', ...args] = p.argv;
  const resolvedPath = resolveExecutable(command, env);
  let pin: ToolPin;
  try {
    pin = pinExecutable(resolvedPath);
  } catch (e) {
    throw invalidArgument(`cannot register the tool: ${getErrorMessage(e)}`);
  }
  const cwdPolicy = p.cwdPolicy ?? DEFAULT_CWD_POLICY;
  const cwd = p.cwd === undefined || p.cwd === '' ? null : p.cwd;
  if (cwd !== null) {
    const problem = dirProblem(cwd);
    if (problem) throw invalidArgument(`cannot register the tool: ${problem}`);
  }
  if (cwdPolicy === 'fixed' && cwd === null) throw invalidArgument("cwd policy 'fixed' needs a cwd");
  return {
    name,
    signature,
    argv: [command, ...args],
    resolvedPath,
    triggers: cleanTriggers(p.triggers),
    timeoutMs: p.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    outputCapBytes: p.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES,
    cwdPolicy,
    cwd: cwdPolicy === 'inherit' ? null : cwd,
    pin,
  };
}

/**
 * Why this registered tool must not run: its executable is no longer the file pinned at
 * registration (or it was registered before tools were pinned). Null when it is the same file.
 */
export function pinProblem(tool: ToolRow): string | null {
  const pin = pinOf(tool);
  if (pin === null) return 'registered before executables were pinned; register it again';
  const changed = pinMismatch(tool.resolved_path, pin);
  return changed === null ? null : `its executable changed since registration: ${changed}; register it again`;
}

/** Where this tool runs for this request, or why it cannot. */
export function runCwd(
  tool: ToolRow,
  requestCwd: string | undefined,
  daemonCwd: string,
): { cwd: string } | { problem: string } {
  let cwd: string | null;
  switch (tool.cwd_policy) {
    case 'fixed':
      cwd = tool.cwd;
      break;
    case 'inherit':
      cwd = daemonCwd;
      break;
    default:
      cwd = requestCwd !== undefined && requestCwd !== '' ? requestCwd : tool.cwd;
  }
  if (cwd === null) return { problem: "the tool runs in the request's cwd and the request gave none" };
  const problem = dirProblem(cwd);
  return problem ? { problem } : { cwd };
}
