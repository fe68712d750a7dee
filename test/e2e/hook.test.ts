import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI_PATH, cliEnv, killStarted, runCli } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';

const dirs = tempDirs();
afterEach(() => killStarted());
afterAll(() => dirs.removeAll());

interface Envelope {
  v: number;
  receivedAt: string;
  payload?: string;
  payloadBase64?: string;
  error?: string;
}

function spoolFiles(home: string): string[] {
  return readdirSync(join(home, 'spool')).sort();
}

function readEnvelopes(home: string): Envelope[] {
  return spoolFiles(home).map((f) => JSON.parse(readFileSync(join(home, 'spool', f), 'utf8')) as Envelope);
}

/**
 * Runs `outloop hook` with raw bytes on stdin (runCli only takes strings). With `keepOpen` the
 * pipe is not closed until the hook has exited, as Claude Code sometimes does.
 */
function hookWithBytes(
  home: string,
  input: Buffer,
  keepOpen = false,
): Promise<{ code: number | null; stdout: Buffer; stderr: Buffer }> {
  const child = spawn(process.execPath, [CLI_PATH, 'hook'], {
    env: cliEnv({ stateDir: home }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.on('error', () => undefined);
  if (keepOpen) child.stdin.write(input);
  else child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      child.stdin.destroy();
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
  });
}

const PAYLOAD = `${JSON.stringify({
  session_id: '5b1f0c2e-8a44-4b8e-9a7c-1d2e3f4a5b6c',
  transcript_path: '/home/ana/.claude/projects/-home-ana-src-shop-api/5b1f0c2e.jsonl',
  cwd: '/home/ana/src/shop-api',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'pnpm test --filter cart "ünïcödé ✓ 🚀"', description: 'tab\there, quote " and \\ backslash' },
  tool_use_id: 'toolu_01QxV8tRk3mN2bH7pLcD9eFa',
})}\n`;

describe('outloop hook', () => {
  it('spools exactly one file whose envelope payload is stdin byte for byte, and prints nothing', async () => {
    const home = dirs.make('ol-hook-');
    const r = await runCli(['hook'], { stateDir: home }, { input: PAYLOAD });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const files = spoolFiles(home);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{13}-\d+-[0-9a-f]{16}\.json$/);
    const [env] = readEnvelopes(home);
    expect(env!.v).toBe(1);
    expect(Date.parse(env!.receivedAt)).not.toBeNaN();
    expect(Buffer.from(env!.payload!, 'utf8').equals(Buffer.from(PAYLOAD, 'utf8'))).toBe(true);
    expect(statSync(join(home, 'spool', files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'spool')).mode & 0o777).toBe(0o700);
  });

  it('keeps a large payload whole', async () => {
    const home = dirs.make('ol-hook-');
    const big = JSON.stringify({ hook_event_name: 'PostToolUse', tool_response: { stdout: 'x{"}\\'.repeat(400_000) } });
    const r = await runCli(['hook'], { stateDir: home }, { input: big });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readEnvelopes(home).map((e) => e.payload)).toEqual([big]);
  });

  it('spools empty stdin as an empty payload (the daemon quarantines it)', async () => {
    const home = dirs.make('ol-hook-');
    const r = await runCli(['hook'], { stateDir: home }, { input: '' });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readEnvelopes(home).map((e) => e.payload)).toEqual(['']);
  });

  it('spools garbage as it is', async () => {
    const home = dirs.make('ol-hook-');
    const garbage = 'not json at all {{{ ]] \u0000 "';
    const r = await runCli(['hook'], { stateDir: home }, { input: garbage });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readEnvelopes(home).map((e) => e.payload)).toEqual([garbage]);
  });

  it('keeps invalid UTF-8 losslessly as payloadBase64, with no payload string', async () => {
    const home = dirs.make('ol-hook-');
    const bytes = Buffer.concat([
      Buffer.from('{"hook_event_name":"Stop","x":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}'),
    ]);
    const r = await hookWithBytes(home, bytes);
    expect(r.code).toBe(0);
    expect(r.stdout.length + r.stderr.length).toBe(0);
    const [env] = readEnvelopes(home);
    expect(env!.payload).toBeUndefined();
    expect(env!.error).toMatch(/UTF-8/);
    expect(Buffer.from(env!.payloadBase64!, 'base64').equals(bytes)).toBe(true);
  });

  it('does not wait for EOF once a whole JSON object has arrived (stdin left open)', async () => {
    const home = dirs.make('ol-hook-');
    const r = await hookWithBytes(home, Buffer.from(PAYLOAD), true);
    expect(r.code).toBe(0);
    expect(r.stdout.length + r.stderr.length).toBe(0);
    expect(readEnvelopes(home).map((e) => e.payload)).toEqual([PAYLOAD]);
  });

  it('gives up on an open stdin that never completes a JSON object, spooling what came', async () => {
    const home = dirs.make('ol-hook-');
    const r = await hookWithBytes(home, Buffer.from('{"truncated": "payl'), true);
    expect(r.code).toBe(0);
    expect(readEnvelopes(home).map((e) => e.payload)).toEqual(['{"truncated": "payl']);
  });

  it('exits 0 silently when the state dir cannot be created, and logs nothing anywhere it cannot', async () => {
    const base = dirs.make('ol-hook-');
    const file = join(base, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(['hook'], { stateDir: join(file, 'x') }, { input: PAYLOAD });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(base)).toEqual(['a-file']);
  });

  it('exits 0 silently and logs one line to hook-errors.log when the spool cannot be written', async () => {
    const home = dirs.make('ol-hook-');
    writeFileSync(join(home, 'spool'), 'a file where the spool dir should be');
    const r = await runCli(['hook'], { stateDir: home }, { input: PAYLOAD });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const log = readFileSync(join(home, 'hook-errors.log'), 'utf8');
    expect(log.trimEnd().split('\n')).toHaveLength(1);
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT.*Z pid \d+: ENOTDIR/);
  });

  it('exits 0 when the daemon is not running (it never talks to it)', async () => {
    const home = dirs.make('ol-hook-');
    const r = await runCli(['hook'], { stateDir: home, socket: join(home, 'nobody.sock') }, { input: PAYLOAD });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(spoolFiles(home)).toHaveLength(1);
  });

  it('uses an existing spool dir as it is', async () => {
    const home = dirs.make('ol-hook-');
    await runCli(['hook'], { stateDir: home }, { input: PAYLOAD });
    chmodSync(join(home, 'spool'), 0o750);
    const r = await runCli(['hook'], { stateDir: home }, { input: PAYLOAD });
    expect(r.code).toBe(0);
    expect(spoolFiles(home)).toHaveLength(2);
  });

  it('50 concurrent hooks write 50 distinct, complete files and leave no .tmp behind', async () => {
    const home = dirs.make('ol-hook-');
    const payloads = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ hook_event_name: 'PostToolUse', n: i, pad: String(i).repeat(20_000) }),
    );
    const results = await Promise.all(
      payloads.map((p) => runCli(['hook'], { stateDir: home }, { input: p, timeoutMs: 60_000 })),
    );
    for (const r of results) expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const files = spoolFiles(home);
    expect(files).toHaveLength(50);
    expect(files.every((f) => !f.startsWith('.') && f.endsWith('.json'))).toBe(true);
    expect(new Set(readEnvelopes(home).map((e) => e.payload))).toEqual(new Set(payloads));
  }, 120_000);

  it('prints usage on --help', async () => {
    const home = dirs.make('ol-hook-');
    const r = await runCli(['hook', '--help'], { stateDir: home });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: outloop hook/);
  });
});
