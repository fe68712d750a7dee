/**
 * Child process of the replay bench: the real IngestEngine writes a corpus into a real store (keeping
 * its Bash outputs), then the savings replay runs over all of it twice: cold (every output through
 * the compactors, replays cached) and warm (read from the cache). While the cold run goes, a 10 ms
 * timer measures how long the event loop was held at most (the replay yields between slices).
 * Prints one JSON line.
 * Usage: tsx bench/replay-run.ts CORPUS STATE_DIR
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Hub } from '../src/daemon/hub.js';
import { IngestEngine } from '../src/daemon/ingest/engine.js';
import { runReplay } from '../src/daemon/learn/replay-run.js';
import { NULL_LOGGER } from '../src/daemon/logger.js';
import { Store } from '../src/daemon/store/store.js';
import { walkFiles } from '../src/daemon/watch/walk.js';
import { Warnings } from '../src/daemon/warnings.js';

const ALL = { sinceMs: Number.MIN_SAFE_INTEGER, untilMs: Number.MAX_SAFE_INTEGER, since: null, until: null };

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; maxLagMs: number }> {
  let last = performance.now();
  let maxLagMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 10);
    last = now;
  }, 10);
  const t0 = process.hrtime.bigint();
  try {
    const value = await fn();
    return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9, maxLagMs };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const [corpus, stateDir] = process.argv.slice(2);
  if (!corpus || !stateDir) throw new Error('usage: replay-run CORPUS STATE_DIR');
  mkdirSync(stateDir, { recursive: true });
  const store = Store.open(join(stateDir, 'outloop.db'));
  const engine = new IngestEngine({
    store,
    hub: new Hub(),
    logger: NULL_LOGGER,
    warnings: new Warnings(),
    spoolDir: join(stateDir, 'spool'),
  });
  const counts = await engine.ingestFiles(walkFiles([corpus], () => undefined));
  engine.close();
  const outputs = Number(store.db.prepare('SELECT count(*) FROM tool_outputs').pluck().get());
  const outputMB =
    Number(store.db.prepare('SELECT coalesce(sum(length(output)), 0) FROM tool_outputs').pluck().get()) / 1e6;
  const cold = await timed(() => runReplay(store, ALL));
  const warm = await timed(() => runReplay(store, ALL));
  store.close();
  process.stdout.write(
    `${JSON.stringify({
      toolCalls: counts.toolCalls,
      outputs,
      outputMB,
      replayedCalls: cold.value.totals.calls,
      coldSeconds: cold.seconds,
      warmSeconds: warm.seconds,
      coldMaxLoopLagMs: cold.maxLagMs,
      warmMaxLoopLagMs: warm.maxLagMs,
      reductionPct: cold.value.totals.reductionPct,
    })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
