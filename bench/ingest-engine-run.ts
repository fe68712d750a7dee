/**
 * Child process of the ingest bench: the real IngestEngine on a real store, alone (no RPC), over a
 * corpus; then the real Learner over what it wrote (every call, workflow run and session, as the
 * daemon learns them), timed apart. Prints one JSON line: seconds, bytes, CPU seconds, max RSS,
 * learnSeconds.
 * Usage: tsx bench/ingest-engine-run.ts CORPUS STATE_DIR
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Hub } from '../src/daemon/hub.js';
import { IngestEngine } from '../src/daemon/ingest/engine.js';
import { Learner } from '../src/daemon/learn/learner.js';
import type { WorkflowRun } from '../src/core/types.js';
import { Store } from '../src/daemon/store/store.js';
import { walkFiles } from '../src/daemon/watch/walk.js';
import { Warnings } from '../src/daemon/warnings.js';

async function main(): Promise<void> {
  const [corpus, stateDir] = process.argv.slice(2);
  if (!corpus || !stateDir) throw new Error('usage: ingest-engine-run CORPUS STATE_DIR');
  mkdirSync(stateDir, { recursive: true });
  const store = Store.open(join(stateDir, 'outloop.db'));
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const sessions = new Set<string>();
  const runs: WorkflowRun[] = [];
  const engine = new IngestEngine({
    store,
    hub: new Hub(),
    logger: quiet,
    warnings: new Warnings(),
    spoolDir: join(stateDir, 'spool'),
    onIngested: (effects) => {
      for (const s of effects.touchedSessions) sessions.add(s);
    },
    onWorkflow: (run) => runs.push(run),
  });
  const files = walkFiles([corpus], () => undefined);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const counts = await engine.ingestFiles(files);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  engine.close();
  const learner = new Learner(store, new Hub(), quiet);
  const l0 = process.hrtime.bigint();
  const learnedCalls = learner.learnPending();
  for (const run of runs) learner.learnWorkflow(run);
  learner.schedule(sessions);
  learner.learnSessions();
  const learnSeconds = Number(process.hrtime.bigint() - l0) / 1e9;
  learner.close();
  store.close();
  process.stdout.write(
    `${JSON.stringify({ seconds, bytes: counts.bytes, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024, counts, learnSeconds, learnedCalls, learnedSessions: sessions.size })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
