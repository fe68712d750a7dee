import { spawnSync } from 'node:child_process';

/** Runs a real program and hands back what it printed (stdout then stderr) and its exit status. */
export function runTool(
  file: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): { out: string; code: number } {
  const r = spawnSync(file, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { out: `${r.stdout ?? ''}${r.stderr ?? ''}`, code: r.status ?? 1 };
}
