import { execFileSync } from 'node:child_process';

/** Runs a real program and hands back what it printed (stdout then stderr) and its exit status. */
export function runTool(file: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): { out: string; code: number } {
  try {
    const out = execFileSync(file, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ...env } });
    return { out, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; status?: number | null };
    return { out: (err.stdout ?? '') + (err.stderr ?? ''), code: err.status ?? 1 };
  }
}
