import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compact } from '../../../src/core/compact/index.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { fixturesOf, plainLines } from './fixtures.js';
import { runTool } from './live.js';

const ENV = {
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: '/nonexistent',
};

function git(dir: string, ...args: string[]): { out: string; code: number } {
  return runTool('git', args, dir, ENV);
}

describe('git compactors on captured outputs', () => {
  it.each(fixturesOf('git').map((f) => [f.id, f] as const))('%s', (_id, f) => {
    const r = compact(f.meta.command, f.raw, f.meta.exitCode);
    expect(r.family).toBe('git');
    const lines = plainLines(f.raw).map((l) => l.trimEnd());
    if (/git (?:-c \S+ )?(?:diff|show|log)/.test(f.meta.command)) {
      // lossless: every line is there, in order
      const body = r.text.split('\n');
      let at = 0;
      for (const line of lines.filter((l) => l !== '')) {
        const found = body.indexOf(line, at);
        expect(found, line).toBeGreaterThanOrEqual(at);
        at = found;
      }
    }
    for (const line of lines) {
      const entry = /^\t(?:[a-z ]+:\s+)?(\S+)$/.exec(line) ?? /^[ MADRCU?!]{2} (\S+)$/.exec(line);
      if (entry?.[1]) expect(r.text).toContain(entry[1]);
      if (
        /^(?:To |From | ! \[rejected\]|error: |hint: |CONFLICT|\s+\S+\.\.\S+\s+\S+\s+->|Fast-forward|Updating )/.test(
          line,
        )
      ) {
        expect(r.text).toContain(line.trim());
      }
    }
    expect(r.text).not.toMatch(/Counting objects|Compressing objects|Writing objects|Enumerating objects/);
  });
});

describe('git status with a huge list', () => {
  it('lists 500 paths of a section and counts the rest', () => {
    const raw = Array.from({ length: 800 }, (_, i) => `?? gen/file${i}.txt`).join('\n');
    const r = compact('git status --porcelain', `${raw}\n`, 0);
    expect(r.text).toContain('untracked (800): gen/file0.txt, ');
    expect(r.text).toContain('gen/file499.txt, … 300 more');
    expect(r.text).not.toContain('gen/file500.txt');
    expect(r.facts.files).toBe(800);
  });
});

describe('git compactors on live repositories', () => {
  const dirs = tempDirs();
  let work = '';
  let remote = '';
  beforeAll(() => {
    remote = join(dirs.make('ol-git-'), 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote], { env: { ...process.env, ...ENV } });
    work = dirs.make('ol-git-');
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'remote', 'add', 'origin', remote);
    writeFileSync(join(work, 'a.txt'), 'a\n');
    git(work, 'add', 'a.txt');
    git(work, 'commit', '-qm', 'first');
  });
  afterAll(() => dirs.removeAll());

  it('groups status by state and keeps every path', () => {
    writeFileSync(join(work, 'a.txt'), 'changed\n');
    mkdirSync(join(work, 'new'));
    for (let i = 0; i < 30; i++) writeFileSync(join(work, 'new', `n${i}.txt`), 'x\n');
    writeFileSync(join(work, 'staged.txt'), 's\n');
    git(work, 'add', 'staged.txt');
    const long = git(work, 'status', '-uall');
    const r = compact('git status -uall', long.out, long.code);
    expect(r.tool).toBe('git-status');
    expect(r.text).toContain('staged (1): A staged.txt');
    expect(r.text).toContain('unstaged (1): M a.txt');
    expect(r.text).toMatch(/untracked \(30\): /);
    for (let i = 0; i < 30; i++) expect(r.text).toContain(`new/n${i}.txt`);
    expect(r.text).not.toContain('(use "git');
    const short = git(work, 'status', '--porcelain', '-uall');
    const s = compact('git status --porcelain -uall', short.out, short.code);
    expect(s.text).toContain('staged (1): A staged.txt');
    expect(s.text).toContain('untracked (30)');
    expect(s.facts.files).toBe(32);
    rmSync(join(work, 'new'), { recursive: true });
  });

  it('keeps a diff whole', () => {
    const d = git(work, 'diff');
    const r = compact('git diff', d.out, d.code);
    expect(r.text).toContain('-a');
    expect(r.text).toContain('+changed');
    expect(r.text).toContain('diff --git a/a.txt b/a.txt');
  });

  it('keeps the refs of a push and leaves out its progress', () => {
    git(work, 'commit', '-qam', 'second');
    const p = git(work, 'push', '--progress', '-u', 'origin', 'main');
    expect(p.code).toBe(0);
    expect(p.out).toContain('Writing objects');
    const r = compact('git push --progress -u origin main', p.out, p.code);
    expect(r.text).toContain(`To ${remote}`);
    expect(r.text).toMatch(/\* \[new branch\]\s+main -> main/);
    expect(r.text).not.toContain('Writing objects');
    expect(r.text).toMatch(/^git push: done \(exit 0\)/);
  });

  it('says a silent git add succeeded', () => {
    const a = git(work, 'add', '-A');
    expect(compact('git add -A', a.out, a.code).text).toMatch(/^git add: done, no output \(exit 0\)/);
  });
});
