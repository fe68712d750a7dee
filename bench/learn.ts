/**
 * Learning throughput: completed tool calls folded into patterns per second, through the real
 * ToolCallsRepo merge path and the real Learner, on a temp database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hub } from '../src/daemon/hub.js';
import { Learner } from '../src/daemon/learn/learner.js';
import { NULL_LOGGER } from '../src/daemon/logger.js';
import { Store } from '../src/daemon/store/store.js';

const COMMANDS = [
  'cd app/server && uv run pytest tests/ -x -q',
  'npx vitest run',
  'git status --short',
  'git diff --stat',
  'npx tsc --noEmit',
  'npx eslint src --max-warnings 0',
  'cargo test --workspace',
  'go test ./...',
  'ls -la',
  'cat package.json | head -20',
];

export async function benchLearn(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'ol-bench-learn-'));
  const store = Store.open(join(dir, 'b.db'));
  try {
    const calls = Number(process.env['OUTLOOP_BENCH_LEARN_CALLS'] ?? 100_000);
    const sessions = Math.max(1, Math.round(calls / 40));
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    const ingestStart = performance.now();
    store.tx(() => {
      for (let i = 0; i < calls; i++) {
        const s = i % sessions;
        const started = new Date(t0 + i * 5000).toISOString();
        store.toolCalls.merge({
          callKey: `toolu_${i}`,
          toolUseId: `toolu_${i}`,
          source: 'transcript',
          sessionId: `session-${s}`,
          toolName: 'Bash',
          command: COMMANDS[i % COMMANDS.length] ?? 'ls',
          cwd: '/home/dev/shop',
          inputBytes: 80,
          responseBytes: 400 + (i % 7) * 300,
          exitCode: i % 9 === 0 ? 1 : 0,
          isError: i % 9 === 0,
          durationMs: 1000 + (i % 13) * 50,
          startedAt: started,
          endedAt: new Date(t0 + i * 5000 + 1500).toISOString(),
          model: 'claude-sonnet-4-5-20250929',
        });
      }
    });
    const mergeMs = performance.now() - ingestStart;
    const learner = new Learner(store, new Hub(), NULL_LOGGER);
    const l0 = performance.now();
    const learned = learner.learnPending();
    const learnMs = performance.now() - l0;
    learner.close();
    return {
      learnCalls: learned,
      learnCallsPerS: Math.round(learned / (learnMs / 1000)),
      learnMs: Math.round(learnMs),
      toolCallMergeMs: Math.round(mergeMs),
      learnVsMerge: Math.round((learnMs / mergeMs) * 100) / 100,
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
