import { describe, expect, it } from 'vitest';
import {
  detectFixLoops,
  fixLoopCost,
  fixLoopDurationMs,
  fixLoopUse,
  stepOutcome,
  type CallStep,
  type FixLoop,
  type LoopCall,
  type LoopRun,
} from '../../../src/core/learning/fix-loops.js';

const PY = 'test:pytest:backend';
const TSC = 'typecheck:tsc:frontend';
const RUFF = 'lint:ruff:backend';

const bash = (signature: string, exitCode: number | null, isError: boolean | null = null): CallStep => ({
  signature,
  toolName: 'Bash',
  exitCode,
  isError,
});
const tool = (toolName: string, filePaths: string[] = []): CallStep => ({
  signature: null,
  toolName,
  exitCode: null,
  isError: null,
  filePaths,
});
const read = tool('Read', ['tests/test_api.py']);
const grep = tool('Grep');
const edit = tool('Edit', ['app/server/api.py']);

describe('detectFixLoops', () => {
  it.each<[string, CallStep[], FixLoop[]]>([
    ['no steps', [], []],
    [
      'the worked example: pytest fails, read, edit, pytest passes',
      [read, bash(PY, 1), read, edit, bash(PY, 0)],
      [{ signature: `fix:${PY}`, failIndex: 1, passIndex: 4, edits: 1 }],
    ],
    [
      'Bash → Read → Edit → Bash is a loop (an edit between the runs is what makes it a loop)',
      [bash(RUFF, 1), read, edit, bash(RUFF, 0)],
      [{ signature: `fix:${RUFF}`, failIndex: 0, passIndex: 3, edits: 1 }],
    ],
    [
      'failure from isError when the exit code is unknown',
      [bash(TSC, null, true), edit, tool('Write'), bash(TSC, null, false)],
      [{ signature: `fix:${TSC}`, failIndex: 0, passIndex: 3, edits: 2 }],
    ],
    [
      'repeated failures keep the first; every edit counts',
      [bash(PY, 1), edit, bash(PY, 2), tool('MultiEdit'), grep, bash(PY, 0)],
      [{ signature: `fix:${PY}`, failIndex: 0, passIndex: 5, edits: 2 }],
    ],
    [
      'NotebookEdit is an edit',
      [bash(PY, 1), tool('NotebookEdit'), bash(PY, 0)],
      [{ signature: `fix:${PY}`, failIndex: 0, passIndex: 2, edits: 1 }],
    ],
    ['a pass without an edit is a flaky rerun, not a loop', [bash(PY, 1), read, bash(PY, 0)], []],
    [
      'the flaky pass closes the failure: a later edit and pass is no loop',
      [bash(PY, 1), bash(PY, 0), edit, bash(PY, 0)],
      [],
    ],
    ['edits before the failure do not count', [edit, bash(PY, 1), read, bash(PY, 0)], []],
    ['a different command passing does not close it', [bash(PY, 1), edit, bash(RUFF, 0)], []],
    ['never passes', [bash(PY, 1), edit, bash(PY, 1)], []],
    ['pass first, no failure', [bash(PY, 0), edit, bash(PY, 0)], []],
    [
      'unknown outcomes (no exit code, no error flag) neither fail nor pass',
      [bash(PY, null), edit, bash(PY, null), bash(PY, 1), edit, bash(PY, null)],
      [],
    ],
    [
      'exit 0 with isError true is a failure',
      [bash(PY, 0, true), edit, bash(PY, 0, false)],
      [{ signature: `fix:${PY}`, failIndex: 0, passIndex: 2, edits: 1 }],
    ],
    [
      'interleaved loops of two commands',
      [bash(PY, 1), bash(TSC, 2), edit, bash(TSC, 0), edit, bash(PY, 0)],
      [
        { signature: `fix:${TSC}`, failIndex: 1, passIndex: 3, edits: 1 },
        { signature: `fix:${PY}`, failIndex: 0, passIndex: 5, edits: 2 },
      ],
    ],
    [
      'two loops of the same command in one session',
      [bash(PY, 1), edit, bash(PY, 0), bash(PY, 1), edit, bash(PY, 0)],
      [
        { signature: `fix:${PY}`, failIndex: 0, passIndex: 2, edits: 1 },
        { signature: `fix:${PY}`, failIndex: 3, passIndex: 5, edits: 1 },
      ],
    ],
    [
      'steps with a null or empty signature are not commands',
      [
        { signature: null, toolName: 'Bash', exitCode: 1, isError: true },
        edit,
        { signature: '', toolName: 'Bash', exitCode: 0, isError: false },
      ],
      [],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(detectFixLoops(steps)).toEqual(expected);
  });

  it('handles a long session in one pass', () => {
    const steps: CallStep[] = [];
    for (let i = 0; i < 5000; i++) steps.push(bash(PY, 1), edit, bash(PY, 0));
    expect(detectFixLoops(steps)).toHaveLength(5000);
  });
});

describe('stepOutcome', () => {
  it.each<[number | null, boolean | null, string]>([
    [0, null, 'pass'],
    [0, false, 'pass'],
    [null, false, 'pass'],
    [1, null, 'fail'],
    [127, false, 'fail'],
    [-1, null, 'fail'],
    [null, true, 'fail'],
    [0, true, 'fail'],
    [null, null, 'unknown'],
  ])('exitCode %j, isError %j → %s', (exitCode, isError, expected) => {
    expect(stepOutcome({ exitCode, isError })).toBe(expected);
  });
});

describe('fixLoopUse: what a fix loop stores as a use of its pattern', () => {
  const M = 'claude-sonnet-4-5';
  /** Estimated (bytes/4 in and out + 100 of overhead, Sonnet prices): 700 + 150 + 310 + 1400 + 310 tokens. */
  const inLoop: LoopCall[] = [
    { model: M, inputBytes: 400, responseBytes: 2000 },
    { model: M, inputBytes: 80, responseBytes: 120 },
    { model: M, inputBytes: 40, responseBytes: 800 },
    { model: M, inputBytes: 1200, responseBytes: 4000 },
    { model: null, inputBytes: 40, responseBytes: 800 },
  ];
  const fail: LoopRun = { command: 'uv run pytest -q', tsMs: 1_000, durationMs: 5_000, responseBytes: 3_000 };
  const pass: LoopRun = { command: 'uv run pytest -q', tsMs: 61_000, durationMs: 4_000, responseBytes: 900 };
  const loop: FixLoop = { signature: `fix:${PY}`, failIndex: 0, passIndex: 4, edits: 2 };

  it("sums every call of the loop, prices the passing run's compact result and times the loop", () => {
    expect(fixLoopUse(loop, fail, pass, inLoop)).toEqual({
      cost: { tokens: 2870, costUsd: 0.01764, basis: 'estimated' },
      toolTokensEst: 230,
      durationMs: 64_000,
      example: 'uv run pytest -q (failed, 2 edit(s), then passed)',
    });
  });

  it('shows the signature when the failing run has no command', () => {
    expect(fixLoopUse(loop, { ...fail, command: null }, pass, []).example).toBe(
      `fix:${PY} (failed, 2 edit(s), then passed)`,
    );
  });

  it('costs nothing without calls', () => {
    expect(fixLoopCost([])).toEqual({ tokens: 0, costUsd: 0, basis: 'estimated' });
  });

  it('times the loop from the failing start to the passing end, null without both starts', () => {
    expect(fixLoopDurationMs(fail, { ...pass, durationMs: null })).toBe(60_000);
    expect(fixLoopDurationMs({ ...fail, tsMs: null }, pass)).toBeNull();
    expect(fixLoopDurationMs(fail, { ...pass, tsMs: null })).toBeNull();
  });
});
