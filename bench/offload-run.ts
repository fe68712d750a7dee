/**
 * `outloop run` overhead: the installed binary (`node dist/cli/outloop.cjs run -- CMD`) against the
 * same command run bare (`bash -c CMD`), for `true` and for a command printing ~1 MB (`seq 1 150000`),
 * plus a bare `node -e 0` start; interleaved, 20 runs each after warm-up, medians of wall time.
 * The target: overhead over bare bash at most a bare node start + 20 ms. On a loaded machine wall
 * time swells with the wait for a core, so the mean CPU time (user + system, of the process and all
 * it started; from /proc/self/stat, Linux only) of each case is reported too (`…CpuMs`).
 * Run alone with `npx tsx bench/offload-run.ts` (after `npm run build`); prints one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './stats.js';

const CLI = fileURLToPath(new URL('../dist/cli/outloop.cjs', import.meta.url));
const RUNS = 20;
const WARMUP = 3;
const BIG = 'seq 1 150000';

/** CPU time of the waited-for children so far (cutime + cstime at 100 ticks a second), null off Linux. */
function childCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return null;
  }
}

function timeOnce(file: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  return ms;
}

type Case = { name: string; file: string; args: string[] };

export async function benchOffloadRun(): Promise<Record<string, number>> {
  const home = mkdtempSync(join(tmpdir(), 'ol-bench-run-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, OUTLOOP_HOME: home };
    delete env['NODE_OPTIONS']; // tsx's loader must not ride along
    delete env['OUTLOOP_OFFLOAD'];
    const cases: Case[] = [
      { name: 'runTrue', file: process.execPath, args: [CLI, 'run', '--', 'true'] },
      { name: 'bashTrue', file: 'bash', args: ['-c', 'true'] },
      { name: 'run1MB', file: process.execPath, args: [CLI, 'run', '--', BIG] },
      { name: 'bash1MB', file: 'bash', args: ['-c', BIG] },
      { name: 'nodeBare', file: process.execPath, args: ['-e', '0'] },
    ];
    const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    const cpu = new Map<string, number>(cases.map((c) => [c.name, 0]));
    for (let i = 0; i < WARMUP + RUNS; i++) {
      // rotate who goes first, so load drift hits all alike
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(i + k) % cases.length]!;
        const cpu0 = childCpuMs();
        const ms = timeOnce(c.file, c.args, env);
        const cpu1 = childCpuMs();
        if (i < WARMUP) continue;
        times.get(c.name)!.push(ms);
        if (cpu0 !== null && cpu1 !== null) cpu.set(c.name, cpu.get(c.name)! + cpu1 - cpu0);
      }
    }
    const kept = readdirSync(join(home, 'runs')).filter((f) => f.endsWith('.log')).length;
    if (kept !== 2 * (WARMUP + RUNS)) throw new Error(`expected ${2 * (WARMUP + RUNS)} kept logs, found ${kept}`);
    const m = (name: string): number => round(median(times.get(name)!));
    const c = (name: string): number => round(cpu.get(name)! / RUNS);
    const overheadTrueMs = round(m('runTrue') - m('bashTrue'));
    const overhead1MBMs = round(m('run1MB') - m('bash1MB'));
    return {
      runTrueMs: m('runTrue'),
      bashTrueMs: m('bashTrue'),
      run1MBMs: m('run1MB'),
      bash1MBMs: m('bash1MB'),
      nodeBareMs: m('nodeBare'),
      overheadTrueMs,
      overhead1MBMs,
      // what the target allows beyond a bare node start: 20 ms
      overheadTrueOverNodeMs: round(overheadTrueMs - m('nodeBare')),
      overhead1MBOverNodeMs: round(overhead1MBMs - m('nodeBare')),
      runTrueCpuMs: c('runTrue'),
      run1MBCpuMs: c('run1MB'),
      bash1MBCpuMs: c('bash1MB'),
      nodeBareCpuMs: c('nodeBare'),
      cpuOverheadTrueOverNodeMs: round(c('runTrue') - c('bashTrue') - c('nodeBare')),
      cpuOverhead1MBOverNodeMs: round(c('run1MB') - c('bash1MB') - c('nodeBare')),
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
  benchOffloadRun().then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
