import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { StatusResult } from '../../src/rpc/protocol.js';
import { CLI_PATH, cliEnv, runCli, type DaemonTarget } from '../helpers/cli.js';
import { shortSocketPath } from '../helpers/short-socket.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, targets } = e2eDaemons({ stopGracefully: true });

const mode = (path: string): number => statSync(path).mode & 0o777;

/** Starts `outloop daemon` under `umask 022`, as a login shell typically leaves it. */
async function daemonUnderUmask022(t: DaemonTarget): Promise<StatusResult> {
  const child = spawn('sh', ['-c', `umask 022; exec "${process.execPath}" "${CLI_PATH}" daemon`], {
    env: cliEnv(t),
    stdio: 'ignore',
  });
  child.unref();
  let status: StatusResult | undefined;
  await vi.waitFor(
    async () => {
      const r = await runCli(['status', '--json'], t);
      expect(r.code).toBe(0);
      status = JSON.parse(r.stdout) as StatusResult;
    },
    { timeout: 20_000, interval: 100 },
  );
  return status!;
}

describe('private files', () => {
  it('umask 022 and a pre-existing 0755 state dir: database, WAL, SHM and log are 0600; status warns', async () => {
    const stateDir = join(dirs.make('ol-priv-'), 'state');
    mkdirSync(stateDir, { mode: 0o755 });
    chmodSync(stateDir, 0o755);
    writeFileSync(join(stateDir, 'daemon.log'), 'an older log\n', { mode: 0o644 });
    chmodSync(join(stateDir, 'daemon.log'), 0o644);
    const t: DaemonTarget = { stateDir, socket: shortSocketPath() };
    targets.push(t);
    const status = await daemonUnderUmask022(t);

    for (const name of ['outloop.db', 'outloop.db-wal', 'outloop.db-shm', 'daemon.log']) {
      const path = join(stateDir, name);
      expect(existsSync(path), name).toBe(true);
      expect(mode(path), name).toBe(0o600);
    }
    expect(mode(t.socket!)).toBe(0o600);
    expect(status.warnings.join('\n')).toMatch(/state dir .* is open to other users \(mode 0755\)/);
    const text = await runCli(['status'], t);
    expect(text.stdout).toMatch(/warning .*chmod 700/);
  });

  it('a state dir the daemon creates is 0700', async () => {
    const stateDir = join(dirs.make('ol-priv-'), 'new', 'state');
    const t: DaemonTarget = { stateDir, socket: shortSocketPath() };
    targets.push(t);
    const status = await daemonUnderUmask022(t);
    expect(mode(stateDir)).toBe(0o700);
    expect(status.warnings.join('\n')).not.toMatch(/open to other users/);
  });
});

describe('config.json with fields of the wrong type', () => {
  it('names each ignored field in status warnings and the daemon log, and keeps the good ones', async () => {
    const stateDir = dirs.make('ol-conf-');
    writeFileSync(
      join(stateDir, 'config.json'),
      JSON.stringify({
        routeThreshold: '90',
        tokenBudget: -5,
        watchDefaultTranscripts: 'no',
        watch: ['', 42, 'relative/ok', '/abs/ok'],
        budgetWarnPct: 50,
        colour: 'blue',
      }),
    );
    const t: DaemonTarget = { stateDir, socket: shortSocketPath() };
    targets.push(t);
    const status = await daemonUnderUmask022(t);
    const warnings = status.warnings.join('\n');
    for (const re of [
      /routeThreshold ignored: must be a number from 0 to 100, got "90"; using 70/,
      /tokenBudget ignored: .*got -5/,
      /watchDefaultTranscripts ignored: must be true or false, got "no"/,
      /watch\[0\] ignored: must be a path, got ""/,
      /watch\[1\] ignored: must be a path, got 42/,
      /unknown field "colour" ignored/,
    ]) {
      expect(warnings).toMatch(re);
      expect(readFileSync(join(stateDir, 'daemon.log'), 'utf8')).toMatch(re);
    }
    expect(warnings).not.toMatch(/budgetWarnPct/);
    expect(status.ingest.watchedRoots).toContain('/abs/ok');
    expect(status.ingest.watchedRoots).toContain(join(stateDir, 'relative/ok'));
    expect(warnings).not.toMatch(/watch\[2\]|watch\[3\]/);
  });

  it('a watch that is not a list is named', async () => {
    const stateDir = dirs.make('ol-conf-');
    writeFileSync(join(stateDir, 'config.json'), JSON.stringify({ watch: '/one/dir' }));
    const t: DaemonTarget = { stateDir, socket: shortSocketPath() };
    targets.push(t);
    const status = await daemonUnderUmask022(t);
    expect(status.warnings.join('\n')).toMatch(/watch ignored: must be a list of paths, got "\/one\/dir"/);
  });
});
