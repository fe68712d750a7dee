import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operationForTool } from '../../src/core/learning/operation.js';
import { sequenceSignature } from '../../src/core/learning/sequences.js';
import type { DaemonDeps } from '../../src/daemon/deps.js';
import { listPatterns, type PatternLinks } from '../../src/daemon/handlers/patterns.js';
import { Hub } from '../../src/daemon/hub.js';
import { Discovery } from '../../src/daemon/discovery/discovery.js';
import { Learner } from '../../src/daemon/learn/learner.js';
import { createFileLogger } from '../../src/daemon/logger.js';
import { Store } from '../../src/daemon/store/store.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
const CWD = '/home/ana/shop';
const DAY = 86_400_000;
const links: PatternLinks = { toolNameOf: () => null, toolInfoOf: () => null, profileOf: () => null };

let stateDir: string;
let store: Store;
let hub: Hub;
let learner: Learner;
let callSeq = 0;

beforeEach(() => {
  stateDir = dirs.make('ol-closed-');
  store = Store.open(join(stateDir, 'outloop.db'));
  hub = new Hub();
  learner = new Learner(store, hub, createFileLogger(join(stateDir, 'daemon.log'), 'debug'));
});

afterEach(() => {
  learner.close();
  hub.close();
  store.close();
  dirs.removeAll();
});

/** One session running `commands` in order, merged as completed Bash calls and learned. */
function session(name: string, commands: readonly string[]): void {
  const t0 = Date.now() - DAY;
  store.tx(() => {
    commands.forEach((command, i) => {
      const key = `toolu_${++callSeq}`;
      store.toolCalls.merge({
        callKey: key,
        toolUseId: key,
        source: 'transcript',
        sessionId: name,
        toolName: 'Bash',
        command,
        cwd: CWD,
        inputBytes: 80,
        responseBytes: 200_000,
        exitCode: 0,
        isError: false,
        durationMs: 4000,
        startedAt: new Date(t0 + i * 60_000).toISOString(),
        endedAt: new Date(t0 + i * 60_000 + 4000).toISOString(),
        model: 'claude-sonnet-4-5-20250929',
      });
    });
  });
  learner.learnPending();
  learner.schedule([name]);
  learner.learnSessions();
}

const sig = (command: string): string => operationForTool('Bash', command, CWD)?.signature ?? '';
const FULL = ['git status', 'npx tsc --noEmit', 'npx vitest run', 'npx eslint src'];
const [G, T, V, E] = FULL.map(sig) as [string, string, string, string];

/** 12 sessions run G T V E (enough for discovery's confidence floor); 3 more run only T V; 3 go back and forth between V and E. */
function seed(): void {
  for (let i = 0; i < 12; i++) session(`full-${i}`, FULL);
  for (let i = 0; i < 3; i++) session(`short-${i}`, ['npx tsc --noEmit', 'npx vitest run']);
  for (let i = 0; i < 3; i++) session(`loop-${i}`, ['npx vitest run', 'npx eslint src', 'npx vitest run']);
}

describe('closed sequences where patterns are listed and offered', () => {
  it('lists a sequence only when no longer one containing it has the same sessions', () => {
    seed();
    const listed = listPatterns({ store } as unknown as DaemonDeps, links, {})
      .filter((p) => p.kind === 'sequence')
      .map((p) => p.signature)
      .sort();
    // V>E is in 12 + 3 sessions and E>V in 3: neither is restated by a longer sequence with those sessions
    expect(listed).toEqual(
      [
        sequenceSignature([G, T, V, E]),
        sequenceSignature([T, V]),
        sequenceSignature([V, E]),
        sequenceSignature([E, V]),
      ].sort(),
    );
    // the learner stores no back-and-forth, and the restated sub-sequences are still in the store
    expect(store.patterns.bySignature(sequenceSignature([V, E, V]))).toBeNull();
    expect(store.patterns.bySignature(sequenceSignature([G, T, V]))?.occurrences).toBe(12);
  });

  it('a status filter gives the same answer as the whole list', () => {
    seed();
    const deps = { store } as unknown as DaemonDeps;
    const all = listPatterns(deps, links, {}).filter((p) => p.status === 'detected');
    const detected = listPatterns(deps, links, { status: 'detected' });
    expect(detected.map((p) => p.signature)).toEqual(all.map((p) => p.signature));
    expect(detected.map((p) => p.signature)).not.toContain(sequenceSignature([G, T]));
  });

  it('discovery promotes no sequence restated by a longer one', async () => {
    seed();
    const d = new Discovery(store, hub, createFileLogger(join(stateDir, 'd.log'), 'debug'), {
      stateDir,
      env: { PATH: '/nonexistent' },
    });
    try {
      const result = await d.run({ createIssues: false, repo: null, cwd: null, trigger: 'manual' });
      const promoted = result.candidates.map((c) => c.signature).filter((s) => s.startsWith('seq:'));
      expect(promoted).toContain(sequenceSignature([G, T, V, E]));
      for (const restated of [
        [G, T],
        [T, V, E],
        [G, T, V],
      ])
        expect(promoted).not.toContain(sequenceSignature(restated));
    } finally {
      await d.close();
    }
  });
});
