/**
 * `npm run bench`: runs each registered bench and prints ONE JSON object of all figures on
 * stdout, keyed by bench name (progress goes to stderr). `OUTLOOP_BENCH_ONLY=rpc,ingest` selects.
 */
import { cpus } from 'node:os';
import { benchRpc } from './rpc.js';
import { benchRoute } from './route.js';
import { benchLearn } from './learn.js';
import { benchAnalyze } from './analyze.js';
import { benchTui } from './tui.js';
import { benchHook } from './hook.js';
import { benchContext } from './context.js';
import { benchIngest } from './ingest.js';
import { benchOffloadRun } from './offload-run.js';
import { benchReplay } from './replay.js';
import { benchCompact } from './compact.js';
import { benchConnMemory } from './conn-memory.js';
import { benchResponsive } from './responsive.js';

type Figures = Record<string, number | string>;

const BENCHES: { name: string; run: () => Promise<Figures> }[] = [
  { name: 'rpc', run: benchRpc },
  { name: 'route', run: benchRoute },
  { name: 'learn', run: benchLearn },
  { name: 'hook', run: benchHook },
  { name: 'tui', run: async () => ({ ...(await benchTui()) }) },
  { name: 'analyze', run: benchAnalyze },
  { name: 'context', run: benchContext },
  { name: 'ingest', run: benchIngest },
  { name: 'offload-run', run: benchOffloadRun },
  { name: 'replay', run: benchReplay },
  { name: 'compact', run: benchCompact },
  { name: 'connMemory', run: benchConnMemory },
  { name: 'responsive', run: benchResponsive },
];

async function main(): Promise<number> {
  const only = (process.env['OUTLOOP_BENCH_ONLY'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((name) => !BENCHES.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: unknown bench ${unknown.join(', ')} (have ${BENCHES.map((b) => b.name).join(', ')})\n`,
    );
    return 2;
  }
  const selected = only.length > 0 ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
  const out: Record<string, Figures> = {
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      platform: process.platform,
    },
  };
  let failed = 0;
  for (const bench of selected) {
    process.stderr.write(`bench: ${bench.name}...\n`);
    const t0 = Date.now();
    try {
      out[bench.name] = await bench.run();
    } catch (e) {
      failed++;
      out[bench.name] = { error: e instanceof Error ? e.message : String(e) };
    }
    process.stderr.write(`bench: ${bench.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
