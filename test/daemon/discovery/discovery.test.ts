import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { operationForTool } from '../../../src/core/learning/operation.js';
import { renderSuggestion } from '../../../src/core/learning/suggestion.js';
import type { AnalyzeResult } from '../../../src/rpc/protocol.js';
import { DEFAULT_CONFIG, loadConfig } from '../../../src/daemon/config.js';
import { analyzeHandlers } from '../../../src/daemon/handlers/analyze.js';
import { Hub } from '../../../src/daemon/hub.js';
import { Discovery, LAST_RUN_KEY, type RunRequest } from '../../../src/daemon/discovery/discovery.js';
import { DiscoverySchedule } from '../../../src/daemon/discovery/schedule.js';
import { Learner } from '../../../src/daemon/learn/learner.js';
import { toSummary, WINDOW_MS } from '../../../src/daemon/handlers/pattern-view.js';
import { suggestionFileName } from '../../../src/daemon/discovery/suggestion-files.js';
import { createFileLogger, type Logger } from '../../../src/daemon/logger.js';
import { Store } from '../../../src/daemon/store/store.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
const DAY = 86_400_000;
const SYSTEM_PATH = '/usr/bin:/bin';
/** the gh timeout in the hang cases: long enough that the fake's quick commands finish on a loaded machine */
const HANG_TIMEOUT_MS = 2000;

let stateDir: string;
let store: Store;
let hub: Hub;
let logger: Logger;
let learner: Learner;
const discoveries: Discovery[] = [];
const schedules: DiscoverySchedule[] = [];

beforeEach(() => {
  stateDir = dirs.make('ol-disc-');
  store = Store.open(join(stateDir, 'outloop.db'));
  hub = new Hub();
  logger = createFileLogger(join(stateDir, 'daemon.log'), 'debug');
  learner = new Learner(store, hub, logger);
});

afterEach(async () => {
  for (const s of schedules.splice(0)) s.stop();
  for (const d of discoveries.splice(0)) await d.close();
  learner.close();
  hub.close();
  store.close();
  dirs.removeAll();
});

const CWD = '/home/ana/shop';
let callSeq = 0;

/**
 * A pattern the real way: `sessions` completed Bash calls of `command` (one per session, yesterday,
 * 4 s each, exit 0) merged into tool_calls, then learned by the Learner. Cost is the byte estimate priced
 * with Sonnet: a 200 kB response is about $0.15 a use. Returns the pattern id.
 */
function pattern(command: string, sessions: number, responseBytes = 200_000): number {
  const t0 = Date.now() - DAY;
  store.tx(() => {
    for (let i = 0; i < sessions; i++) {
      const key = `toolu_${++callSeq}`;
      store.toolCalls.merge({
        callKey: key,
        toolUseId: key,
        source: 'transcript',
        sessionId: `session-${command}-${i}`,
        toolName: 'Bash',
        command,
        cwd: CWD,
        inputBytes: 80,
        responseBytes,
        exitCode: 0,
        isError: false,
        durationMs: 4000,
        startedAt: new Date(t0 + i * 60_000).toISOString(),
        endedAt: new Date(t0 + i * 60_000 + 4000).toISOString(),
        model: 'claude-sonnet-4-5-20250929',
      });
    }
  });
  learner.learnPending();
  const signature = operationForTool('Bash', command, CWD)?.signature ?? '';
  const row = store.patterns.bySignature(signature);
  if (!row) throw new Error(`no pattern learned for ${command}`);
  return row.id;
}

/** Three patterns over the thresholds (highest savings first), one below (3 sessions). */
function seed(): { over: number[]; below: number } {
  const over = [pattern('npx vitest run', 8), pattern('npx eslint src', 6), pattern('npx tsc --noEmit', 5, 150_000)];
  return { over, below: pattern('npx prettier --check .', 3) };
}

function discovery(env: Record<string, string | undefined>, ghTimeoutMs = 10_000): Discovery {
  const d = new Discovery(store, hub, logger, { stateDir, env, ghTimeoutMs });
  discoveries.push(d);
  return d;
}

const manual = (over: Partial<RunRequest> = {}): RunRequest => ({
  createIssues: false,
  repo: null,
  cwd: null,
  trigger: 'manual',
  ...over,
});

type Mode = 'ok' | 'unauthenticated' | 'create-fails' | 'create-hangs' | 'auth-hangs' | 'garbage';

/** A fake `gh`: a real executable shell script that logs its argv and acts per mode. */
function fakeGh(mode: Mode): { path: string; dir: string; calls: () => string[]; creates: () => string[] } {
  const dir = dirs.make('ol-fake-gh-');
  const path = join(dir, 'gh');
  const auth =
    mode === 'unauthenticated'
      ? `echo "You are not logged into any GitHub hosts. To log in, run: gh auth login" >&2; exit 1`
      : mode === 'auth-hangs'
        ? `sleep 600 & echo $! > "$dir/sleep.pid"; wait`
        : `echo "github.com: Logged in to github.com account ana (keyring)" >&2; exit 0`;
  const create = {
    ok: `cat > "$dir/body.txt"; n=$(( $(cat "$dir/n" 2>/dev/null || echo 0) + 1 )); echo $n > "$dir/n"
         echo "Creating issue in acme/shop" >&2; echo "https://github.com/acme/shop/issues/$n"`,
    'create-fails': `echo "HTTP 502: Bad Gateway (https://api.github.com/graphql)" >&2; exit 1`,
    'create-hangs': `sleep 600 & echo $! > "$dir/sleep.pid"; wait`,
    garbage: `echo "¯\\_(ツ)_/¯ created something somewhere"`,
  } as Record<string, string>;
  const list =
    mode === 'garbage'
      ? `echo "<html>rate limited</html>"`
      : `if [ -f "$dir/list.json" ]; then cat "$dir/list.json"; else echo "[]"; fi`;
  const view =
    mode === 'garbage'
      ? `echo "not json"`
      : `if grep -qxF "$3" "$dir/closed" 2>/dev/null; then echo '{"state":"CLOSED","labels":[{"name":"Implemented"}]}'; else echo '{"state":"OPEN","labels":[{"name":"automation-candidate"}]}'; fi`;
  writeFileSync(
    path,
    `#!/bin/sh
dir=$(dirname "$0")
printf '%s\\n' "$*" >> "$dir/calls.log"
case "$1 $2" in
  "auth status") ${auth} ;;
  "label create") if [ -f "$dir/labels-exist" ]; then echo "label \\"$3\\" already exists; use --force to update" >&2; exit 1; fi; exit 0 ;;
  "issue list") ${list} ;;
  "issue create") ${create[mode] ?? create['ok']} ;;
  "issue view") ${view} ;;
  *) echo "unknown command: $*" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(path, 0o755);
  const calls = (): string[] => {
    try {
      return readFileSync(join(dir, 'calls.log'), 'utf8').trimEnd().split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  return { path, dir, calls, creates: () => calls().filter((c) => c.startsWith('issue create')) };
}

/** Everything an analysis may change, to compare before and after a re-run. */
function snapshot(): unknown {
  const sugg = join(stateDir, 'suggestions');
  return {
    patterns: store.patterns.all().map((r) => ({
      id: r.id,
      status: r.status,
      occurrences: r.occurrences,
      uses: r.uses,
      issue: r.issue_url,
      filedAt: r.issue_filed_at,
    })),
    reviews: store.patterns.all().flatMap((r) => store.patterns.reviews(r.id)),
    files: existsSync(sugg) ? readdirSync(sugg).sort() : [],
  };
}

const byId = (r: AnalyzeResult, id: number) => r.candidates.find((c) => c.id === id);

describe('discovery without gh', () => {
  it('selects by the thresholds, promotes once, writes each suggestion once; re-analysing changes nothing', async () => {
    const { over, below } = seed();
    const d = discovery({ PATH: dirs.make('ol-empty-path-') });
    const first = await d.run(manual());
    expect(first.patternsScanned).toBe(4);
    expect(first.candidates.map((c) => c.id)).toEqual(over); // highest savings first
    expect(first.candidates.map((c) => c.id)).not.toContain(below);
    expect(first.gh).toEqual({ consulted: false, available: false, authenticated: false, error: null });
    for (const c of first.candidates) {
      expect(c).toMatchObject({ status: 'candidate', promoted: true, filed: 'markdown', error: null });
      const path = fileURLToPath(c.location ?? '');
      expect(path.startsWith(join(stateDir, 'suggestions'))).toBe(true);
      const text = readFileSync(path, 'utf8');
      expect(text).toContain(`# 🤖 Automation Opportunity: ${c.signature}`);
      for (const section of [
        'Cost analysis',
        'ROI',
        'Payback period',
        'Characteristics',
        'Sample inputs',
        'Implementation guide',
        'Next steps',
      ]) {
        expect(text).toContain(section);
      }
      expect(store.patterns.get(c.id)?.issue_url).toBe(c.location);
      expect(store.patterns.reviews(c.id)).toMatchObject([
        { action: 'promote', from_status: 'detected', to_status: 'candidate', actor: 'outloop' },
      ]);
    }
    expect(readdirSync(join(stateDir, 'suggestions')).sort()).toEqual(
      first.candidates.map((c) => suggestionFileName(c.signature)).sort(),
    );
    expect(store.meta.get(LAST_RUN_KEY)).toBe(first.analyzedAt);

    const before = snapshot();
    const second = await d.run(manual());
    expect(second.candidates.map((c) => [c.id, c.filed, c.promoted, c.location])).toEqual(
      first.candidates.map((c) => [c.id, 'already', false, c.location]),
    );
    expect(snapshot()).toEqual(before);
  });

  it('gh missing, unauthenticated or hanging on auth: Markdown, with the reason reported', async () => {
    const { over } = seed();
    const missing = await discovery({ PATH: dirs.make('ol-empty-path-') }).run(manual({ createIssues: true }));
    expect(missing.gh).toMatchObject({ consulted: true, available: false, authenticated: false });
    expect(missing.gh.error).toMatch(/gh \(GitHub CLI\) was not found on PATH/);
    expect(missing.candidates.map((c) => c.filed)).toEqual(['markdown', 'markdown', 'markdown']);
    expect(missing.candidates[0]?.error).toMatch(/not found on PATH/);

    const bogus = await discovery({ OUTLOOP_GH: join(stateDir, 'no-such-gh'), PATH: SYSTEM_PATH }).run(
      manual({ createIssues: true }),
    );
    expect(bogus.gh.error).toMatch(/OUTLOOP_GH=.*no-such-gh is not an executable file/);
    expect(bogus.candidates.map((c) => c.filed)).toEqual(['already', 'already', 'already']);

    const unauth = fakeGh('unauthenticated');
    const r = await discovery({ OUTLOOP_GH: unauth.path, PATH: SYSTEM_PATH }).run(manual({ createIssues: true }));
    expect(r.gh).toMatchObject({ consulted: true, available: true, authenticated: false });
    expect(r.gh.error).toMatch(/not authenticated.*You are not logged into any GitHub hosts/);
    expect(unauth.creates()).toEqual([]);

    const hang = fakeGh('auth-hangs');
    const h = await discovery({ OUTLOOP_GH: hang.path, PATH: SYSTEM_PATH }, HANG_TIMEOUT_MS).run(
      manual({ createIssues: true }),
    );
    expect(h.gh.error).toMatch(/gh auth status did not answer within 2 s/);
    expect(h.candidates.every((c) => c.filed === 'already')).toBe(true);
    await expectDead(hang.dir);
    expect(over.every((id) => store.patterns.get(id)?.issue_url?.startsWith('file://'))).toBe(true);
  });
});

/** The fake's background `sleep` must not outlive the run (the whole process group is killed). */
async function expectDead(dir: string): Promise<void> {
  const pid = Number(readFileSync(join(dir, 'sleep.pid'), 'utf8'));
  expect(pid).toBeGreaterThan(0);
  await vi.waitFor(() => {
    let state = 'gone';
    try {
      // a killed orphan may linger as a zombie until init reaps it: that is dead too
      state = /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 'gone';
    } catch {
      // no such process
    }
    expect(['gone', 'Z', 'X']).toContain(state);
  });
}

describe('discovery with gh', () => {
  it('files each candidate once with the suggestion labels (Markdown upgraded to an issue); re-analysing files nothing', async () => {
    const { over } = seed();
    const gh = fakeGh('ok');
    const env = { OUTLOOP_GH: gh.path, PATH: SYSTEM_PATH };
    const local = await discovery(env).run(manual());
    expect(local.candidates.every((c) => c.filed === 'markdown')).toBe(true);
    expect(gh.calls()).toEqual([]); // nothing needed gh

    const r = await discovery(env).run(manual({ createIssues: true, repo: 'acme/shop' }));
    expect(r.gh).toEqual({ consulted: true, available: true, authenticated: true, error: null });
    expect(r.candidates.map((c) => [c.filed, c.location])).toEqual([
      ['issue', 'https://github.com/acme/shop/issues/1'],
      ['issue', 'https://github.com/acme/shop/issues/2'],
      ['issue', 'https://github.com/acme/shop/issues/3'],
    ]);
    expect(over.map((id) => store.patterns.get(id)?.issue_url)).toEqual(r.candidates.map((c) => c.location));
    const creates = gh.creates();
    expect(creates).toHaveLength(3);
    const first = r.candidates[0];
    const summary = toSummary(
      store.patterns.get(over[0] ?? 0)!,
      store.patterns.windowFor(over[0] ?? 0, Date.now() - WINDOW_MS),
      null,
    );
    const s = renderSuggestion(summary);
    expect(creates[0]).toBe(
      `issue create --title ${s.title} --body-file - --label automation-candidate --label cost-optimization --label priority-${first?.priority} --repo acme/shop`,
    );
    expect(readFileSync(join(gh.dir, 'body.txt'), 'utf8')).toContain(
      `<!-- outloop:signature=${r.candidates[2]?.signature} -->`,
    );
    expect(gh.calls().filter((c) => c.startsWith('label create')).length).toBeGreaterThanOrEqual(3);
    expect(gh.calls().filter((c) => c.startsWith('issue list'))).toEqual([
      'issue list --label automation-candidate --state all --limit 1000 --json url,title --repo acme/shop',
    ]);

    const before = snapshot();
    const calls = gh.calls().length;
    const again = await discovery(env).run(manual({ createIssues: true, repo: 'acme/shop' }));
    expect(again.candidates.map((c) => c.filed)).toEqual(['already', 'already', 'already']);
    expect(gh.creates()).toHaveLength(3);
    expect(
      gh
        .calls()
        .slice(calls)
        .filter((c) => !c.startsWith('issue view') && !c.startsWith('auth status')),
    ).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  it('two analyses at once: the second waits, nothing is filed twice', async () => {
    seed();
    const gh = fakeGh('ok');
    const d = discovery({ OUTLOOP_GH: gh.path, PATH: SYSTEM_PATH });
    const [a, b] = await Promise.all([d.run(manual({ createIssues: true })), d.run(manual({ createIssues: true }))]);
    expect(a.candidates.map((c) => c.filed)).toEqual(['issue', 'issue', 'issue']);
    expect(b.candidates.map((c) => c.filed)).toEqual(['already', 'already', 'already']);
    expect(b.candidates.map((c) => c.location)).toEqual(a.candidates.map((c) => c.location));
    expect(gh.creates()).toHaveLength(3);
    const reviews = store.patterns.all().flatMap((r) => store.patterns.reviews(r.id));
    expect(reviews.filter((x) => x.action === 'promote')).toHaveLength(3);
  });

  it('an issue already in the repo with the same title is linked, not filed again', async () => {
    const { over } = seed();
    const gh = fakeGh('ok');
    writeFileSync(join(gh.dir, 'labels-exist'), '');
    const title = `🤖 Automation Opportunity: ${store.patterns.get(over[1] ?? 0)?.signature}`;
    writeFileSync(
      join(gh.dir, 'list.json'),
      JSON.stringify([
        { url: 'https://github.com/acme/shop/issues/41', title },
        { url: 'garbage', title: 'x' },
      ]),
    );
    const r = await discovery({ OUTLOOP_GH: gh.path, PATH: SYSTEM_PATH }).run(manual({ createIssues: true }));
    expect(byId(r, over[1] ?? 0)).toMatchObject({
      filed: 'linked',
      location: 'https://github.com/acme/shop/issues/41',
    });
    expect(gh.creates()).toHaveLength(2);
    expect(r.warnings).toEqual([]); // labels that already exist are fine
  });

  it('gh failing, hanging or printing garbage while filing: one attempt, then Markdown; nothing bogus stored', async () => {
    const { over } = seed();
    const fails = fakeGh('create-fails');
    const f = await discovery({ OUTLOOP_GH: fails.path, PATH: SYSTEM_PATH }).run(manual({ createIssues: true }));
    expect(fails.creates()).toHaveLength(1);
    expect(f.gh.error).toMatch(/gh issue create failed \(exit 1\): HTTP 502: Bad Gateway/);
    expect(f.candidates.map((c) => c.filed)).toEqual(['markdown', 'markdown', 'markdown']);
    expect(f.candidates.every((c) => c.error !== null)).toBe(true);

    const hangs = fakeGh('create-hangs');
    const h = await discovery({ OUTLOOP_GH: hangs.path, PATH: SYSTEM_PATH }, HANG_TIMEOUT_MS).run(
      manual({ createIssues: true }),
    );
    expect(hangs.creates()).toHaveLength(1);
    expect(h.gh.error).toMatch(/gh issue create did not answer within 2 s/);
    expect(h.candidates.map((c) => c.filed)).toEqual(['already', 'already', 'already']);
    await expectDead(hangs.dir);

    const junk = fakeGh('garbage');
    const g = await discovery({ OUTLOOP_GH: junk.path, PATH: SYSTEM_PATH }).run(manual({ createIssues: true }));
    expect(junk.creates()).toHaveLength(1);
    expect(g.gh.error).toMatch(/gh issue create printed no issue URL: ¯\\_\(ツ\)_\/¯/);
    expect(g.warnings.join('\n')).toMatch(/cannot list existing issues.*not JSON/);
    expect(over.every((id) => store.patterns.get(id)?.issue_url?.startsWith('file://'))).toBe(true);
    expect(store.patterns.all().flatMap((r) => store.patterns.reviews(r.id))).toHaveLength(3);
  });

  it('shutting down during a hanging gh call stops it and ends the run', async () => {
    seed();
    const hangs = fakeGh('create-hangs');
    // a timeout far beyond the test's own: only close() can end this run in time
    const d = discovery({ OUTLOOP_GH: hangs.path, PATH: SYSTEM_PATH }, 600_000);
    const run = d.run(manual({ createIssues: true }));
    await vi.waitFor(() => expect(existsSync(join(hangs.dir, 'sleep.pid'))).toBe(true), { timeout: 20_000 });
    await d.close();
    const r = await run;
    expect(r.gh.error).toMatch(/gh issue create was stopped \(SIGKILL\)/);
    expect(hangs.creates()).toHaveLength(1);
    await expectDead(hangs.dir);
    await expect(d.run(manual())).rejects.toThrow(/shutting down/);
  });

  it('an issue closed with label implemented moves its pattern to implemented (approved first, audited); garbage views are warnings', async () => {
    const { over } = seed();
    const gh = fakeGh('ok');
    const env = { OUTLOOP_GH: gh.path, PATH: SYSTEM_PATH };
    const filed = await discovery(env).run(manual({ createIssues: true }));
    const [a, b] = filed.candidates;
    writeFileSync(join(gh.dir, 'closed'), `${a?.location}\n`);
    store.tx(() =>
      store.patterns.transition(b?.id ?? 0, 'candidate', 'approved', { action: 'approve', actor: 'ana', note: null }),
    );
    writeFileSync(join(gh.dir, 'closed'), `${a?.location}\n${b?.location}\n`);

    const r = await discovery(env).run(manual());
    expect(r.implemented).toEqual([a?.id, b?.id].sort((x, y) => (x ?? 0) - (y ?? 0)));
    expect(r.candidates.map((c) => c.id)).toEqual([over[2]]); // the open one is still a candidate
    expect(store.patterns.get(a?.id ?? 0)?.status).toBe('implemented');
    expect(store.patterns.reviews(a?.id ?? 0).map((x) => [x.action, x.from_status, x.to_status, x.actor])).toEqual([
      ['promote', 'detected', 'candidate', 'outloop'],
      ['approve', 'candidate', 'approved', 'outloop'],
      ['implement', 'approved', 'implemented', 'outloop'],
    ]);
    expect(store.patterns.reviews(b?.id ?? 0).map((x) => x.action)).toEqual(['promote', 'approve', 'implement']);

    const before = snapshot();
    await discovery(env).run(manual());
    expect(snapshot()).toEqual(before);

    const junk = fakeGh('garbage');
    const g = await discovery({ OUTLOOP_GH: junk.path, PATH: SYSTEM_PATH }).run(manual());
    expect(g.implemented).toEqual([]);
    expect(g.warnings.join('\n')).toMatch(/gh issue view printed something that is not JSON: not json/);
    expect(snapshot()).toEqual(before);
  });
});

describe('analyze/run handler and the weekly schedule', () => {
  it('refuses a malformed repo or a relative cwd', async () => {
    const h = analyzeHandlers(discovery({ PATH: SYSTEM_PATH }))['analyze/run'];
    const conn = { id: 1, notify: () => undefined, onClose: () => undefined };
    expect(() => h?.({ repo: 'not a repo; rm -rf /' }, conn)).toThrow(AppError);
    expect(() => h?.({ cwd: 'relative/dir' }, conn)).toThrow(/cwd must be an absolute path/);
    const ok = await h?.({ repo: 'acme/shop', cwd: stateDir }, conn);
    expect(ok).toMatchObject({ trigger: 'manual', candidates: [] });
  });

  it('runs at start when overdue (Markdown only unless configured), then re-arms one interval later', async () => {
    const { over } = seed();
    store.meta.set(LAST_RUN_KEY, new Date(Date.now() - 8 * DAY).toISOString());
    const d = discovery({ PATH: SYSTEM_PATH });
    const s = new DiscoverySchedule(d, logger, {
      intervalMs: 7 * DAY,
      startDelayMs: 0,
      createIssues: false,
      repo: null,
    });
    schedules.push(s);
    s.start();
    await vi.waitFor(() => expect(store.patterns.get(over[0] ?? 0)?.status).toBe('candidate'));
    await vi.waitFor(() => expect(s.nextDueAt).toBe(Date.parse(store.meta.get(LAST_RUN_KEY) ?? '') + 7 * DAY));
    expect(over.every((id) => store.patterns.get(id)?.issue_url?.startsWith('file://'))).toBe(true);
  });

  it('waits for the due time when the last run is recent, and counts a manual run', async () => {
    const last = Date.now() - DAY;
    store.meta.set(LAST_RUN_KEY, new Date(last).toISOString());
    const d = discovery({ PATH: SYSTEM_PATH });
    const s = new DiscoverySchedule(d, logger, {
      intervalMs: 7 * DAY,
      startDelayMs: 60_000,
      createIssues: false,
      repo: null,
    });
    schedules.push(s);
    s.start();
    expect(s.nextDueAt).toBe(last + 7 * DAY);
    const r = await d.run(manual());
    expect(s.nextDueAt).toBe(Date.parse(r.analyzedAt) + 7 * DAY);
    s.stop();
    expect(s.nextDueAt).toBeNull();
  });

  it('config: scheduled runs file issues only with autoCreateIssues and a valid issueRepo', () => {
    expect(DEFAULT_CONFIG).toMatchObject({ analyzeIntervalHours: 168, autoCreateIssues: false, issueRepo: null });
    const write = (v: unknown): ReturnType<typeof loadConfig> => {
      writeFileSync(join(stateDir, 'config.json'), JSON.stringify(v));
      return loadConfig(stateDir);
    };
    expect(write({ autoCreateIssues: true, issueRepo: 'acme/shop' })).toEqual({
      config: expect.objectContaining({ autoCreateIssues: true, issueRepo: 'acme/shop' }),
      warnings: [],
    });
    expect(write({ autoCreateIssues: true }).warnings.join('\n')).toMatch(/autoCreateIssues needs issueRepo/);
    const bad = write({ autoCreateIssues: true, issueRepo: '../etc' });
    expect(bad.config.issueRepo).toBeNull();
    expect(bad.warnings.join('\n')).toMatch(/issueRepo must be "OWNER\/NAME"/);
  });
});
