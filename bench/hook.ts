/**
 * `outloop hook` start-up cost against bare node: `node dist/cli/outloop.cjs hook < payload` (the installed binary) versus
 * `node -e 0` with the same stdin, interleaved, 30 runs each after warm-up, medians of wall time. Two hook cases:
 * capture (a PostToolUse payload, spooled only) and decide (a Bash PreToolUse of an approved simple command with
 * offload.json and an allowing project settings file present: spooled, decided and answered with the rewrite).
 * Run alone with `npx tsx bench/hook.ts` (after `npm run build`); prints one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

/** A Bash PreToolUse of an approved simple command (`cwd` is filled in with the bench's project dir). */
function decidePayload(project: string): string {
  return JSON.stringify({
    session_id: '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c',
    transcript_path: '/home/ana/.claude/projects/-home-ana-src-shop-api/5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c.jsonl',
    cwd: project,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command: 'pnpm test --filter cart', description: 'Run cart tests', timeout: 120000 },
    tool_use_id: 'toolu_01QxV8tRk3mN2bH7pLcD9eFa',
  });
}

interface Case {
  args: string[];
  input: string;
  /** whether the run must print the rewrite (else it must print nothing) */
  answers: boolean;
}

function timeOnce(c: Case, env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, { input: c.input, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const printed = r.stdout.length > 0;
  if (
    r.status !== 0 ||
    printed !== c.answers ||
    !(printed ? String(r.stdout).includes('"allow"') : true) ||
    r.stderr.length > 0
  ) {
    throw new Error(
      `node ${c.args.join(' ')} exited ${r.status} (stdout ${r.stdout.length} B, stderr: ${String(r.stderr)})`,
    );
  }
  return ms;
}

/** offload.json offloading the payload's signature and a project settings file allowing the command. */
function offloadFixture(home: string): string {
  const project = join(home, 'shop');
  mkdirSync(join(project, '.claude'), { recursive: true });
  writeFileSync(
    join(project, '.claude', 'settings.json'),
    JSON.stringify({ permissions: { allow: ['Bash(pnpm test *)'] } }),
  );
  writeFileSync(
    join(home, 'offload.json'),
    JSON.stringify({
      v: 1,
      enabled: true,
      writtenAt: new Date().toISOString(),
      patterns: [{ signature: 'test:pnpm:all', patternId: 1, family: 'test' }],
    }),
  );
  return project;
}

export async function benchHook(): Promise<{
  hookWallMs: number;
  decideWallMs: number;
  nodeBareMs: number;
  hookVsBare: number;
  decideVsBare: number;
}> {
  const home = mkdtempSync(join(tmpdir(), 'ol-bench-hook-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, OUTLOOP_HOME: home, HOME: home };
    delete env['NODE_OPTIONS']; // tsx's loader must not ride along
    delete env['CLAUDE_CONFIG_DIR'];
    delete env['CLAUDE_PROJECT_DIR'];
    delete env['OUTLOOP_OFFLOAD'];
    const project = offloadFixture(home);
    const cases: Case[] = [
      { args: ['-e', '0'], input: PAYLOAD, answers: false },
      { args: [CLI, 'hook'], input: PAYLOAD, answers: false },
      { args: [CLI, 'hook'], input: decidePayload(project), answers: true },
    ];
    const ms: number[][] = cases.map(() => []);
    for (let i = 0; i < WARMUP + RUNS; i++) {
      // interleaved, rotating who goes first, so load drift hits all alike
      for (let k = 0; k < cases.length; k++) {
        const j = (i + k) % cases.length;
        const t = timeOnce(cases[j]!, env);
        if (i >= WARMUP) ms[j]!.push(t);
      }
    }
    const spooled = readdirSync(join(home, 'spool')).filter((f) => f.endsWith('.json')).length;
    if (spooled !== 2 * (WARMUP + RUNS))
      throw new Error(`expected ${2 * (WARMUP + RUNS)} spool files, found ${spooled}`);
    const [nodeBareMs, hookWallMs, decideWallMs] = ms.map((m) => round(median(m))) as [number, number, number];
    return {
      hookWallMs,
      decideWallMs,
      nodeBareMs,
      hookVsBare: round(hookWallMs / nodeBareMs, 3),
      decideVsBare: round(decideWallMs / nodeBareMs, 3),
    };
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
