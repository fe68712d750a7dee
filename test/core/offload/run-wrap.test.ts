import { describe, expect, it } from 'vitest';
import { extractOperation } from '../../../src/core/learning/operation.js';
import { readRunArgs, unwrapRun, unwrapRunParts } from '../../../src/core/offload/run-wrap.js';

describe('unwrapRun', () => {
  it.each([
    [`outloop run --pattern test:npm-test:all -- 'npm test'`, 'npm test'],
    [`outloop run --pattern=test:npm-test:all -- 'npm test -- --grep "cart adds"'`, 'npm test -- --grep "cart adds"'],
    [`'/usr/bin/node' '/x/dist/cli/outloop.cjs' run --pattern SIG -- 'npm test'`, 'npm test'],
    [`/usr/local/bin/node --no-warnings /x/dist/cli/main.js run -- 'cd api && pytest -x'`, 'cd api && pytest -x'],
    [`/home/ana/.npm/bin/outloop run -- npm test`, 'npm test'],
    [`outloop run -- 'it'\\''s "ünï" *.ts'`, `it's "ünï" *.ts`],
    [`OUTLOOP_HOME=/tmp/x outloop run -- 'make test'`, 'make test'],
    [`outloop run npm test`, 'npm test'],
  ])('%s → %s', (command, inner) => {
    expect(unwrapRun(command)).toBe(inner);
  });

  it('reads the pattern too', () => {
    expect(unwrapRunParts(`outloop run --pattern lint:eslint:all -- 'eslint .'`)).toEqual({
      command: 'eslint .',
      pattern: 'lint:eslint:all',
    });
  });

  it.each([
    ['npm run test'],
    ['outloop runs show r-0123456789abcdef'],
    [`outloop run --pattern SIG -- 'npm test' && rm -rf /`],
    [`outloop run --pattern SIG -- 'npm test' | tail`],
    [`outloop run --pattern SIG --`],
    [`outloop run --bogus -- 'npm test'`],
    [`echo outloop run -- 'npm test'`],
    [`node other.js run -- 'npm test'`],
    [`outloop run -- 'unterminated`],
    [`outloop run --help`],
  ])('%s is not a wrapper', (command) => {
    expect(unwrapRun(command)).toBeNull();
  });
});

describe('readRunArgs (the argv of outloop run)', () => {
  it('joins the words after -- with spaces, options before', () => {
    expect(readRunArgs(['--pattern', 'S', '--json', '--', 'echo', 'a b', '--json'])).toEqual({
      command: 'echo a b --json',
      pattern: 'S',
      json: true,
      help: false,
    });
  });
  it('needs a command, and knows no other options', () => {
    expect(readRunArgs([])).toBeNull();
    expect(readRunArgs(['--pattern', 'S', '--'])).toBeNull();
    expect(readRunArgs(['-x', '--', 'true'])).toBeNull();
    expect(readRunArgs(['--help'])).toMatchObject({ help: true });
  });
});

describe('extractOperation sees through outloop run', () => {
  it('an offloaded call is the operation of the command inside', () => {
    const inner = extractOperation('cd api && pytest -x', '/w');
    expect(inner?.signature).toBe('test:pytest:backend');
    for (const wrapped of [
      `outloop run --pattern test:pytest:backend -- 'cd api && pytest -x'`,
      `'/usr/bin/node' '/x/dist/cli/outloop.cjs' run --pattern test:pytest:backend -- 'cd api && pytest -x'`,
    ])
      expect(extractOperation(wrapped, '/w')).toEqual(inner);
  });
  it('a wrapper joined to another command is not seen through', () => {
    expect(extractOperation(`outloop run -- 'npm test'; git status`, '/w')?.signature).toBe('git:status:all');
  });
});
