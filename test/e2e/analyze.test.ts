import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AnalyzeResult, PatternSummary } from '../../src/rpc/protocol.js';
import { runCli, type CliResult, type DaemonTarget } from '../helpers/cli.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const TEMPLATE = fileURLToPath(new URL('../fixtures/discovery/session.jsonl.tmpl', import.meta.url));
const SESSIONS = 6;
const HOUR = 3_600_000;
/** a dozen CLI round trips: generous on a loaded machine (a bound, not a timing assertion) */
const LONG = 120_000;

const { dirs, targets } = e2eDaemons({ stopGracefully: true });

function json<T>(r: CliResult): T {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/**
 * Six Claude Code sessions in the last day, each running the frontend tests once (4 s, passing) in a
 * 60k-token turn: one pattern at 6 sessions, confidence 90, about $1/month with Sonnet prices.
 */
function transcripts(): string {
  const root = join(dirs.make('ol-analyze-data-'), 'projects', '-home-ana-src-shop');
  mkdirSync(root, { recursive: true });
  const template = readFileSync(TEMPLATE, 'utf8');
  const now = Date.now();
  for (let i = 0; i < SESSIONS; i++) {
    const session = `00000000-0000-4000-8000-0000000000${String(i + 10)}`;
    const t0 = now - (i + 1) * HOUR;
    const at = (s: number): string => new Date(t0 + s * 1000).toISOString();
    const text = template
      .replaceAll('{{SESSION}}', session)
      .replaceAll('{{T0}}', at(0))
      .replaceAll('{{T1}}', at(3))
      .replaceAll('{{T2}}', at(7))
      .replaceAll('{{T3}}', at(9));
    writeFileSync(join(root, `${session}.jsonl`), text);
  }
  return dirname(dirname(root));
}

function target(): DaemonTarget {
  const stateDir = dirs.make('ol-analyze-e2e-');
  // no gh anywhere: PATH holds only node's directory, OUTLOOP_GH unset
  const t: DaemonTarget = {
    stateDir,
    socket: shortSocketPath(),
    env: { PATH: dirname(process.execPath), OUTLOOP_GH: undefined },
  };
  targets.push(t);
  return t;
}

describe('outloop analyze', () => {
  it(
    'writes a Markdown suggestion once, re-analysing changes nothing, and approving from the CLI is audited',
    async () => {
      const t = target();
      const ingest = await runCli(['ingest', transcripts(), '--json'], t);
      expect(json<{ toolCalls: number; quarantined: number }>(ingest)).toMatchObject({
        toolCalls: SESSIONS,
        quarantined: 0,
      });

      const patterns = json<PatternSummary[]>(await runCli(['patterns', '--json'], t));
      const p = patterns.find((x) => x.signature.startsWith('test:vitest:'));
      expect(p).toMatchObject({
        status: 'detected',
        occurrences: SESSIONS,
        occurrences30d: SESSIONS,
        tokenBasis: 'measured',
        issueUrl: null,
      });
      expect(p?.confidence).toBeGreaterThanOrEqual(70);
      expect(p?.monthlySavingsUsd).toBeGreaterThanOrEqual(0.5);
      const id = p?.id ?? 0;

      const first = json<AnalyzeResult>(await runCli(['analyze', '--json'], t));
      expect(first).toMatchObject({
        trigger: 'manual',
        implemented: [],
        gh: { consulted: false },
        suggestionsDir: join(t.stateDir, 'suggestions'),
      });
      expect(first.candidates).toMatchObject([
        { id, status: 'candidate', promoted: true, filed: 'markdown', occurrences: SESSIONS },
      ]);
      const file = fileURLToPath(first.candidates[0]?.location ?? '');
      expect(readdirSync(join(t.stateDir, 'suggestions'))).toEqual([file.split('/').pop()]);
      const md = readFileSync(file, 'utf8');
      expect(md).toContain(`Automation Opportunity: ${p?.signature}`);
      expect(md).toMatch(/Priority: (HIGH|MEDIUM|LOW)/);
      expect(md).toContain('```text\nvitest run\n```'); // the sample input, as the learner normalized it

      // again, and with --create-issues while gh is missing: nothing new, the reason is reported
      const second = json<AnalyzeResult>(await runCli(['analyze', '--json'], t));
      expect(second.candidates).toMatchObject([
        { id, filed: 'already', promoted: false, location: first.candidates[0]?.location },
      ]);
      const gh = json<AnalyzeResult>(await runCli(['analyze', '--create-issues', '--repo', 'acme/shop', '--json'], t));
      expect(gh.gh).toMatchObject({ consulted: true, available: false, authenticated: false });
      expect(gh.gh.error).toContain('gh (GitHub CLI) was not found on PATH');
      expect(gh.candidates).toMatchObject([{ id, filed: 'already' }]);
      const text = await runCli(['analyze', '--create-issues'], t);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('already filed');
      expect(text.stdout).toContain('gh not used: gh (GitHub CLI) was not found on PATH');
      expect(readdirSync(join(t.stateDir, 'suggestions'))).toHaveLength(1);

      const after = json<PatternSummary[]>(await runCli(['patterns', '--json'], t)).find((x) => x.id === id);
      expect(after).toMatchObject({
        status: 'candidate',
        occurrences: SESSIONS,
        issueUrl: first.candidates[0]?.location,
      });

      const approved = await runCli(['approve', String(id), '--note', 'worth a script', '--json'], t);
      expect(json<PatternSummary>(approved)).toMatchObject({ id, status: 'approved' });
      const listed = json<PatternSummary[]>(await runCli(['patterns', '--json'], t)).find((x) => x.id === id);
      expect(listed?.status).toBe('approved');

      const db = new Database(join(t.stateDir, 'outloop.db'), { readonly: true, fileMustExist: true });
      try {
        const rows = db
          .prepare(
            'SELECT action, from_status, to_status, actor, note FROM pattern_reviews WHERE pattern_id = ? ORDER BY id',
          )
          .all(id);
        expect(rows).toMatchObject([
          { action: 'promote', from_status: 'detected', to_status: 'candidate', actor: 'outloop' },
          { action: 'approve', from_status: 'candidate', to_status: 'approved', note: 'worth a script' },
          // a person's approval of a pattern a compactor reads turns offload on, audited like the approval
          { action: 'offload_on', from_status: 'approved', to_status: 'approved', note: 'approve' },
        ]);
      } finally {
        db.close();
      }

      // a review that does not apply to an approved pattern is refused, naming the one that does
      const reject = await runCli(['reject', String(id), '--note', 'too late'], t);
      expect(reject.code).toBe(1);
      expect(reject.stderr).toContain('Cannot reject a pattern that is approved');
      expect(reject.stderr).toContain(`For a pattern that is approved: outloop deprecate ${id}.`);
      const again = await runCli(['approve', String(id), '--json'], t);
      expect(again.code).toBe(1);
      expect(JSON.parse(again.stdout)).toMatchObject({
        error: { type: 'illegal_transition', message: expect.stringContaining(`outloop deprecate ${id}`) },
      });

      // an approved pattern is no longer a candidate: nothing to do, no error
      const done = json<AnalyzeResult>(await runCli(['analyze', '--json'], t));
      expect(done.candidates).toEqual([]);
    },
    LONG,
  );

  it.each([
    ['approve', 'detected or candidate'],
    ['reject', 'detected or candidate'],
    ['deprecate', 'approved, implemented or active'],
  ])('outloop %s --help says which statuses it applies to', async (command, statuses) => {
    const r = await runCli([command, '--help'], target());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`a pattern that is ${statuses}`);
    expect(r.stdout).toContain('approve from detected or candidate; reject from detected or candidate; deprecate');
  });

  it(
    'bad usage and a malformed --repo fail cleanly',
    async () => {
      const t = target();
      const bad = await runCli(['analyze', '--repo', 'no spaces allowed/x y', '--json'], t);
      expect(bad.code).toBe(2);
      expect(JSON.parse(bad.stdout)).toMatchObject({ error: { type: 'invalid_argument' } });
      expect(bad.stderr).toContain('repo must be OWNER/NAME');
      const extra = await runCli(['analyze', 'extra'], t);
      expect(extra.code).toBe(2);
      expect(existsSync(join(t.stateDir, 'suggestions'))).toBe(false);
    },
    LONG,
  );
});
