/**
 * Everything learned equals one clean pass, whatever the order files are read in and however the
 * reading is cut up: the same corpus (fix loops split across files, repeated sequences, measured
 * turns, hook durations) is ingested by the real engine with the real learner, all at once and
 * file by file in several orders, and every learned table is compared row by row.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Learner } from '../../src/daemon/learn/learner.js';
import { makeEngine, silentLogger, type TestEngine } from '../helpers/ingest.js';
import { dumpLearnedTables, diffDumps } from '../helpers/learned-tables.js';
import { writeLearnCorpus } from '../helpers/learn-corpus.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { rng } from '../../bench/corpus.js';

const dirs = tempDirs();
const engines: TestEngine[] = [];
const learners: Learner[] = [];
afterEach(() => {
  for (const l of learners.splice(0)) l.close();
  for (const e of engines.splice(0)) e.close();
  dirs.removeAll();
});

/** A real engine whose commits schedule the real learner, as the daemon wires them. */
function pipeline(): { e: TestEngine; learner: Learner } {
  let learner: Learner | null = null;
  const e = makeEngine(dirs, { onIngested: (fx) => learner?.schedule(fx.touchedSessions) });
  learner = new Learner(e.store, e.hub, silentLogger);
  engines.push(e);
  learners.push(learner);
  return { e, learner };
}

/** `ingest/run` then what its handler runs: learn the queued calls and the changed sessions. */
async function ingestAndLearn(p: { e: TestEngine; learner: Learner }, files: string[]): Promise<void> {
  await p.e.engine.ingestFiles(files);
  p.learner.learnPending();
  p.learner.learnSessions();
}

/** A deterministic shuffle (mulberry32). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const r = rng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('learning is repeatable', () => {
  it('file by file in any order equals one clean pass, row by row', async () => {
    const { files } = writeLearnCorpus(dirs.make('ol-lc-'));
    const clean = pipeline();
    await ingestAndLearn(clean, files);
    const reference = dumpLearnedTables(clean.e.store.db);
    expect(reference['operation_patterns']?.some((r) => r.startsWith('["fix:'))).toBe(true);
    expect(reference['operation_patterns']?.some((r) => r.includes('"sequence"'))).toBe(true);

    const orders = [[...files].reverse(), shuffled(files, 1), shuffled(files, 2), shuffled(files, 3)];
    let compared = 0;
    const differences: string[] = [];
    for (const order of orders) {
      const p = pipeline();
      for (const f of order) await ingestAndLearn(p, [f]);
      const d = diffDumps(reference, dumpLearnedTables(p.e.store.db));
      compared += d.compared;
      differences.push(...d.differences);
    }
    process.stderr.write(`learned rows compared: ${compared}, different: ${differences.length}\n`);
    expect(compared).toBeGreaterThan(100);
    expect(differences).toEqual([]);
  });
});
