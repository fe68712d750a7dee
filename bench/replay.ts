/**
 * Replay bench: the savings replay over the Bash outputs of a generated corpus (bench/corpus.ts,
 * 100 MB by default, OUTLOOP_BENCH_REPLAY_MB to change; the ingest bench's 500 MB store lives in its
 * own temp dir and is gone when it ends, so this one ingests its own), ingested by the real engine.
 * Figures: replayed calls per second cold (compactors run) and warm (cached replays), and the longest
 * the event loop was held during a replay.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './corpus.js';

const log = (msg: string): void => void process.stderr.write(`bench replay: ${msg}\n`);
const round = (n: number, d = 1): number => Math.round(n * 10 ** d) / 10 ** d;

interface RunResult {
  toolCalls: number;
  outputs: number;
  outputMB: number;
  replayedCalls: number;
  coldSeconds: number;
  warmSeconds: number;
  coldMaxLoopLagMs: number;
  warmMaxLoopLagMs: number;
  reductionPct: number | null;
}

function runChild(corpus: string, stateDir: string): Promise<RunResult> {
  const script = fileURLToPath(new URL('./replay-run.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, corpus, stateDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(JSON.parse(stdout) as RunResult) : reject(new Error(`the replay run exited with ${code}`)),
    );
  });
}

export async function benchReplay(): Promise<Record<string, number>> {
  const mb = Number(process.env['OUTLOOP_BENCH_REPLAY_MB'] ?? 100);
  const root = mkdtempSync(join(tmpdir(), 'olb-replay-'));
  try {
    const corpus = join(root, 'corpus');
    const stats = generateCorpus(corpus, mb * 1e6, { seed: 1 });
    log(`corpus: ${round(stats.bytes / 1e6)} MB, ${stats.files} files, ${stats.records} records`);
    const r = await runChild(corpus, join(root, 'state'));
    log(
      `${r.replayedCalls} outputs replayed: cold ${round(r.coldSeconds, 2)} s, warm ${round(r.warmSeconds, 2)} s, max loop lag ${round(r.coldMaxLoopLagMs)} ms`,
    );
    return {
      corpusMB: round(stats.bytes / 1e6),
      toolCalls: r.toolCalls,
      keptOutputs: r.outputs,
      keptOutputMB: round(r.outputMB, 2),
      replayedCalls: r.replayedCalls,
      coldSeconds: round(r.coldSeconds, 2),
      coldCallsPerS: r.coldSeconds > 0 ? Math.round(r.replayedCalls / r.coldSeconds) : 0,
      warmSeconds: round(r.warmSeconds, 2),
      warmCallsPerS: r.warmSeconds > 0 ? Math.round(r.replayedCalls / r.warmSeconds) : 0,
      coldMaxLoopLagMs: round(r.coldMaxLoopLagMs),
      warmMaxLoopLagMs: round(r.warmMaxLoopLagMs),
      reductionPct: r.reductionPct ?? 0,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
