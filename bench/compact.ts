/**
 * Compactors: (a) token reduction per family over every captured output over 1 KB in test/fixtures/compact
 * (whatever tools have fixtures there), with a check that every failing test and location the compactor
 * reports appears in its text; (b) `outloop compact` (the built binary, after `npm run build`) and `compact()`
 * in process on 10 MB of output, medians of wall time. Run alone with `npx tsx bench/compact.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compact } from '../src/core/compact/index.js';
import { median } from './stats.js';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/compact', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli/outloop.cjs', import.meta.url));
const MIN_BYTES = 1024;
const RUNS = 5;

interface Captured {
  id: string;
  command: string;
  exitCode: number | null;
  output: string;
}

/** The output file of a fixture directory: meta.json's `output`, else output.txt, else its one other file. */
function outputFile(dir: string, meta: Record<string, unknown>): string | null {
  if (typeof meta['output'] === 'string' && existsSync(join(dir, meta['output']))) return join(dir, meta['output']);
  if (existsSync(join(dir, 'output.txt'))) return join(dir, 'output.txt');
  const others = readdirSync(dir).filter((f) => f !== 'meta.json' && statSync(join(dir, f)).isFile());
  return others.length === 1 && others[0] !== undefined ? join(dir, others[0]) : null;
}

/** One captured run from its meta (`command`, `exitCode`) and output files, or null when either is unusable. */
function fromMeta(id: string, metaPath: string, outputPath: string): Captured | null {
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Record<string, unknown>;
  if (typeof meta['command'] !== 'string' || !existsSync(outputPath)) return null;
  const code = meta['exitCode'] ?? meta['exit_code'];
  return {
    id,
    command: meta['command'],
    exitCode: typeof code === 'number' ? code : null,
    output: readFileSync(outputPath, 'utf8'),
  };
}

/**
 * Every captured run, in either layout: a directory with meta.json and the output beside it, or
 * `<name>.txt` with `<name>.meta.json` in a version directory.
 */
function captured(dir = FIXTURES): Captured[] {
  const out: Captured[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...captured(path));
    else if (entry.endsWith('.meta.json') && entry !== 'meta.json') {
      const name = entry.slice(0, -'.meta.json'.length);
      const c = fromMeta(join(dir, name).slice(FIXTURES.length + 1), path, join(dir, `${name}.txt`));
      if (c !== null) out.push(c);
    }
  }
  const metaPath = join(dir, 'meta.json');
  if (!existsSync(metaPath)) return out;
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Record<string, unknown>;
  const file = outputFile(dir, meta);
  if (file === null || typeof meta['command'] !== 'string') return out;
  const code = meta['exitCode'] ?? meta['exit_code'];
  out.push({
    id: dir.slice(FIXTURES.length + 1),
    command: meta['command'],
    exitCode: typeof code === 'number' ? code : null,
    output: readFileSync(file, 'utf8'),
  });
  return out;
}

interface FamilyFigures {
  fixtures: number;
  rawTokens: number;
  compactTokens: number;
  worstPct: number;
}

function reduction(): Record<string, number | string> {
  const families = new Map<string, FamilyFigures>();
  let missing = 0;
  let fellBack = 0;
  const missingIds: string[] = [];
  for (const c of captured()) {
    if (Buffer.byteLength(c.output) <= MIN_BYTES) continue;
    const r = compact(c.command, c.output, c.exitCode);
    const f = families.get(r.family) ?? { fixtures: 0, rawTokens: 0, compactTokens: 0, worstPct: 100 };
    f.fixtures++;
    f.rawTokens += r.rawTokens;
    f.compactTokens += r.compactTokens;
    f.worstPct = Math.min(f.worstPct, pct(r.rawTokens, r.compactTokens));
    families.set(r.family, f);
    if (r.tool === 'generic') fellBack++;
    const lost = [
      ...(r.facts.failures ?? []).filter((name) => !r.text.includes(name)),
      ...(r.facts.locations ?? []).filter((loc) => !locationShown(r.text, loc)),
    ];
    if (lost.length > 0) missingIds.push(c.id);
    missing += lost.length;
  }
  const out: Record<string, number | string> = {};
  for (const [name, f] of [...families].sort()) {
    out[`${name}Fixtures`] = f.fixtures;
    out[`${name}ReductionPct`] = pct(f.rawTokens, f.compactTokens);
    out[`${name}WorstReductionPct`] = f.worstPct;
  }
  out['fixturesFellBackToGeneric'] = fellBack;
  out['failuresOrLocationsNotShown'] = missing;
  if (missingIds.length > 0) out['missingIn'] = missingIds.join(', ');
  return out;
}

/**
 * A `file:line[:col]` location is shown when the text has it as is, or names the file (by any trailing part of
 * its path: compactors print paths relative to a common root, or a file once above its diagnostics) and has
 * the position (`line:col`, or `line N` for pytest's own test file) after that name.
 */
function locationShown(text: string, loc: string): boolean {
  if (text.includes(loc)) return true;
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(loc);
  if (m === null) return false;
  const file = m[1] ?? '';
  const base = file.split('/').pop() ?? file;
  const at = text.indexOf(base);
  if (base === '' || at === -1) return false;
  const rest = text.slice(at);
  const pos = m[3] === undefined ? (m[2] ?? '') : `${m[2]}:${m[3]}`;
  const escaped = pos.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[\\s,:(])${escaped}(?:$|[\\s,:)])`, 'm').test(rest) || rest.includes(`line ${m[2]}`);
}

function pct(raw: number, compacted: number): number {
  return raw === 0 ? 0 : Math.round((1 - compacted / raw) * 1000) / 10;
}

/** About 10 MB of a verbose vitest run: many passing lines, a few failures, the summary at the end. */
function bigTestOutput(): string {
  const parts: string[] = ['', ' RUN  v4.1.12 /home/ana/shop', ''];
  let bytes = 0;
  for (let i = 0; bytes < 10 * 1024 * 1024; i++) {
    const line = `   ✓ test/cart-${i % 400}.test.ts > cart > total > sums item ${i} with a discount of ${i % 17}% ${i % 9}ms`;
    parts.push(line);
    bytes += line.length + 1;
  }
  parts.push(
    '',
    ' FAIL  test/cart-7.test.ts > cart > total > applies quantity',
    'AssertionError: expected 10 to be 11 // Object.is equality',
    ' ❯ test/cart-7.test.ts:12:96',
    '',
    ' Test Files  1 failed | 399 passed (400)',
    `      Tests  1 failed | ${parts.length - 4} passed (${parts.length - 3})`,
    '   Duration  81.20s',
  );
  return `${parts.join('\n')}\n`;
}

/** About 10 MB of a build log: progress redraws, repeated warnings, distinct lines. */
function bigGenericOutput(): string {
  const parts: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < 10 * 1024 * 1024; i++) {
    const line =
      i % 5 === 0
        ? `\x1b[33mwarning\x1b[0m: deprecated call in src/module-${i % 311}.c:${i % 997}`
        : `[${i}/999999] compiling src/module-${i % 311}.c -> build/obj-${i}.o\rdone ${i}`;
    parts.push(line);
    bytes += line.length + 1;
  }
  return parts.join('\n');
}

function timeInProcess(command: string, output: string): number {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    compact(command, output, 1);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return Math.round(median(ms) * 10) / 10;
}

function timeCli(command: string, output: string): number {
  const env = { ...process.env };
  delete env['NODE_OPTIONS']; // tsx's loader must not ride along
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, 'compact', '--command', command, '--exit-code', '1'], {
      input: output,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`outloop compact exited ${r.status}: ${String(r.stderr)}`);
  }
  return Math.round(median(ms) * 10) / 10;
}

/** Bare `node -e 0` with the same input, for scale: what any CLI pays before its first line runs. */
function timeNodeBare(output: string): number {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', 'process.stdin.resume()'], { input: output, maxBuffer: 64 * 1024 * 1024 });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return Math.round(median(ms) * 10) / 10;
}

export async function benchCompact(): Promise<Record<string, number | string>> {
  const test = bigTestOutput();
  const generic = bigGenericOutput();
  return {
    ...reduction(),
    bigOutputBytes: Buffer.byteLength(test),
    compactTest10MbMs: timeInProcess('npx vitest run', test),
    compactGeneric10MbMs: timeInProcess('./build.sh', generic),
    cliCompactTest10MbMs: timeCli('npx vitest run', test),
    cliCompactGeneric10MbMs: timeCli('./build.sh', generic),
    nodeBareReading10MbMs: timeNodeBare(test),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchCompact().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`bench compact: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
