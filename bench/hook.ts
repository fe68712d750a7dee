/**
 * `outloop hook` start-up cost against bare node: `node dist/cli/outloop.cjs hook < payload` (the installed binary) versus
 * `node -e 0` with the same stdin, interleaved, 30 runs each after warm-up, medians of wall time.
 * Run alone with `npx tsx bench/hook.ts` (after `npm run build`); prints one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './stats.js';

const CLI = fileURLToPath(new URL('../dist/cli/outloop.cjs', import.meta.url));
const RUNS = 30;
const WARMUP = 5;

/** A realistic PostToolUse payload (~3 KB). */
const PAYLOAD = JSON.stringify({
  session_id: '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c',
  transcript_path: '/home/ana/.claude/projects/-home-ana-src-shop-api/5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c.jsonl',
  cwd: '/home/ana/src/shop-api',
  permission_mode: 'default',
  hook_event_name: 'PostToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'pnpm test --filter cart', description: 'Run cart tests' },
  tool_response: { stdout: 'ok 1 - cart adds item\n'.repeat(120), stderr: '', interrupted: false, isImage: false },
  tool_use_id: 'toolu_01QxV8tRk3mN2bH7pLcD9eFa',
  duration_ms: 2140,
});

function timeOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { input: PAYLOAD, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 || r.stdout.length > 0 || r.stderr.length > 0) {
    throw new Error(
      `node ${args.join(' ')} exited ${r.status} (stdout ${r.stdout.length} B, stderr: ${String(r.stderr)})`,
    );
  }
  return ms;
}

export async function benchHook(): Promise<{ hookWallMs: number; nodeBareMs: number; hookVsBare: number }> {
  const home = mkdtempSync(join(tmpdir(), 'ol-bench-hook-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, OUTLOOP_HOME: home };
    delete env['NODE_OPTIONS']; // tsx's loader must not ride along
    const hook = [CLI, 'hook'];
    const bare = ['-e', '0'];
    const hookMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      // interleaved, alternating who goes first, so load drift hits both alike
      let h: number;
      let b: number;
      if (i % 2) {
        h = timeOnce(hook, env);
        b = timeOnce(bare, env);
      } else {
        b = timeOnce(bare, env);
        h = timeOnce(hook, env);
      }
      if (i >= WARMUP) {
        hookMs.push(h);
        bareMs.push(b);
      }
    }
    const spooled = readdirSync(join(home, 'spool')).filter((f) => f.endsWith('.json')).length;
    if (spooled !== WARMUP + RUNS) throw new Error(`expected ${WARMUP + RUNS} spool files, found ${spooled}`);
    const hookWallMs = round(median(hookMs));
    const nodeBareMs = round(median(bareMs));
    return { hookWallMs, nodeBareMs, hookVsBare: round(hookWallMs / nodeBareMs, 3) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchHook().then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
