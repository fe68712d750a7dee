import { chmodSync, chownSync, mkdirSync, renameSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolRegisterParams } from '../../../src/rpc/protocol.js';
import type { DaemonDeps } from '../../../src/daemon/deps.js';
import { toolHandlers } from '../../../src/daemon/handlers/tools.js';
import { Hub } from '../../../src/daemon/hub.js';
import { addUse, confidence } from '../../../src/core/learning/confidence.js';
import { statsOf } from '../../../src/daemon/store/patterns-repo.js';
import { review } from '../../../src/daemon/handlers/reviews.js';
import { Router } from '../../../src/daemon/route/router.js';
import { NULL_LOGGER } from '../../../src/daemon/logger.js';
import type { Connection } from '../../../src/daemon/rpc-connection.js';
import { Store } from '../../../src/daemon/store/store.js';
import { ToolRunner } from '../../../src/daemon/route/tool-runner.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const dirs = tempDirs();
let store: Store;
let hub: Hub;
let runner: ToolRunner;
let router: Router;
let cwd: string;
const conn = {} as Connection;

beforeEach(() => {
  store = Store.open(join(dirs.make('ol-router-'), 'outloop.db'));
  hub = new Hub();
  runner = new ToolRunner();
  router = new Router({ store, hub, logger: NULL_LOGGER, runner, threshold: 70 });
  cwd = dirs.make('ol-router-cwd-');
});

afterEach(() => {
  runner.close();
  hub.close();
  store.close();
  dirs.removeAll();
});

/**
 * A pattern with `uses` measured uses (one per session) of 40,000 tokens and $0.12 each
 * (claude-sonnet-4-5), an estimated 230 tool tokens each, written through the store as the learner does.
 */
function pattern(signature: string, uses = 1, example = 'pytest tests/ -q'): number {
  const ts = new Date(Date.now() - 3_600_000).toISOString();
  return store.tx(() => {
    const { row } = store.patterns.ensure(signature, 'command', ts, 'claude-sonnet-4-5');
    let stats = statsOf(row);
    for (let i = 0; i < uses; i++) {
      const added = store.patterns.addOccurrence({
        patternId: row.id,
        occurrenceKey: `${signature}:${i}`,
        sessionKey: `session-${i}`,
        toolCallId: null,
        ts,
        llmTokens: 40_000,
        llmCost: 0.12,
        basis: 'measured',
        durationMs: 2000,
        ok: true,
      });
      stats = addUse(stats, { durationMs: 2000, ok: true, newOccurrence: added?.newSession ?? false });
    }
    store.patterns.applyUses(row, {
      stats,
      llmTokens: 40_000 * uses,
      llmCost: 0.12 * uses,
      measuredUses: uses,
      toolTokensEst: 230 * uses,
      examples: [example],
      firstTs: ts,
      lastTs: ts,
      model: 'claude-sonnet-4-5',
      confidence: confidence(stats),
    });
    return row.id;
  });
}

function approve(id: number): void {
  review(store, hub, id, 'approve', 'tester', null);
}

function script(body: string, name = 'tool.sh'): string {
  const path = join(dirs.make('ol-tool-'), name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function register(p: Partial<ToolRegisterParams> & { name: string; signature: string; argv: string[] }) {
  const handler = toolHandlers({ store, hub } as unknown as DaemonDeps, { PATH: '/usr/bin:/bin' })['tools/register'];
  if (!handler) throw new Error('no tools/register handler');
  return handler({ triggers: ['run the tests'], ...p }, conn);
}

const NOBODY = 65534;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function enable(name: string) {
  const handler = toolHandlers({ store, hub } as unknown as DaemonDeps, {})['tools/enable'];
  if (!handler) throw new Error('no tools/enable handler');
  return handler({ name }, conn);
}

describe('pinned tool executables', () => {
  it('registration records the resolved path, owner, mode, size and SHA-256', async () => {
    const tool = script('echo ok');
    const link = join(dirs.make('ol-link-'), 'tool-link');
    symlinkSync(tool, link);
    await register({ name: 'pinned', signature: 'test:pytest:all', argv: [link] });
    const row = store.tools.byName('pinned');
    expect(row).toMatchObject({
      resolved_path: link,
      pin_real_path: tool,
      pin_uid: process.getuid?.() ?? 0,
      pin_mode: 0o755,
      pin_size: '#!/bin/sh\necho ok\n'.length,
      pin_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('a symlink pointed at another file: the route refuses, the tool is disabled with the reason, enable refuses', async () => {
    const id = pattern('test:pytest:all', 3);
    approve(id);
    const good = script('cat >/dev/null; echo "5 passed"');
    const evil = script('cat >/dev/null; echo "pwned" > /dev/null; echo "5 passed"', 'evil.sh');
    const link = join(dirs.make('ol-link-'), 'runner');
    symlinkSync(good, link);
    await register({ name: 'swap', signature: 'test:pytest:all', argv: [link] });
    expect((await router.route({ input: 'run the tests', cwd })).decision).toBe('tool');

    const tmp = `${link}.new`;
    symlinkSync(evil, tmp);
    renameSync(tmp, link);
    const r = await router.route({ input: 'run the tests', cwd });
    expect(r.decision).toBe('llm');
    expect(r.reason).toMatch(new RegExp(`swap disabled automatically: .*now resolves to ${evil}`));
    expect(store.tools.byName('swap')).toMatchObject({
      enabled: 0,
      disabled_reason: expect.stringMatching(/register it again/),
    });
    expect(() => enable('swap')).toThrow(/cannot enable tool swap: .*now resolves to/);
    // registering again pins the new target and routes again
    await register({ name: 'swap', signature: 'test:pytest:all', argv: [link] });
    expect((await router.route({ input: 'run the tests', cwd })).decision).toBe('tool');
  });

  it('content changed in place (same size, same mtime) is caught by the hash', async () => {
    const id = pattern('test:pytest:all', 3);
    approve(id);
    const tool = script('cat >/dev/null; echo "5 passed"');
    await register({ name: 'edited', signature: 'test:pytest:all', argv: [tool] });
    const before = statSync(tool);
    writeFileSync(tool, '#!/bin/sh\ncat >/dev/null; echo "6 failed"\n');
    utimesSync(tool, before.atime, before.mtime);
    expect(statSync(tool).size).toBe(before.size);
    const r = await router.route({ input: 'run the tests', cwd });
    expect(r).toMatchObject({ decision: 'llm', result: null });
    expect(r.reason).toMatch(/changed content \(SHA-256 differs\)/);
    expect(store.tools.byName('edited')?.enabled).toBe(0);
  });

  it('a mode change (made group-writable) disables it', async () => {
    const id = pattern('test:pytest:all', 3);
    approve(id);
    const tool = script('cat >/dev/null; echo ok');
    await register({ name: 'loosened', signature: 'test:pytest:all', argv: [tool] });
    chmodSync(tool, 0o775);
    const r = await router.route({ input: 'run the tests', cwd });
    expect(r.reason).toMatch(/writable by group or others \(mode 0775\)/);
    expect(store.tools.byName('loosened')?.enabled).toBe(0);
  });

  it('refuses a world-writable script, and one in a directory others can write', async () => {
    const tool = script('echo ok');
    chmodSync(tool, 0o777);
    await expect(register({ name: 'ww', signature: 's:a:b', argv: [tool] })).rejects.toThrow(
      /cannot register the tool: .* is writable by group or others \(mode 0777\)/,
    );
    const dir = join(dirs.make('ol-open-'), 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const inOpenDir = join(dir, 'tool.sh');
    writeFileSync(inOpenDir, '#!/bin/sh\necho ok\n', { mode: 0o755 });
    await expect(register({ name: 'wd', signature: 's:a:b', argv: [inOpenDir] })).rejects.toThrow(
      /a directory on its path: .*shared is writable by group or others/,
    );
  });

  it.skipIf(!isRoot)('refuses a world-writable script owned by uid 65534 (needs root to chown)', async () => {
    const tool = script('echo ok');
    chownSync(tool, NOBODY, NOBODY);
    chmodSync(tool, 0o777);
    await expect(register({ name: 'nobody', signature: 's:a:b', argv: [tool] })).rejects.toThrow(
      /owned by uid 65534, not by you/,
    );
    chmodSync(tool, 0o755);
    await expect(register({ name: 'nobody', signature: 's:a:b', argv: [tool] })).rejects.toThrow(/owned by uid 65534/);
  });

  it('a tool registered before executables were pinned does not run until registered again', async () => {
    const id = pattern('test:pytest:all', 3);
    approve(id);
    await register({ name: 'old', signature: 'test:pytest:all', argv: [script('cat >/dev/null; echo ok')] });
    store.db.prepare('UPDATE adw_tools SET pin_sha256 = NULL').run();
    const r = await router.route({ input: 'run the tests', cwd });
    expect(r.reason).toMatch(/registered before executables were pinned; register it again/);
  });
});
