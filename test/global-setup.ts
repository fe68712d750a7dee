import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const BIN = join(ROOT, 'dist', 'cli', 'outloop.cjs');

/**
 * Daemons of this checkout whose state dir is gone: a test removed its temp dir but left its
 * daemon running. Killed, and returned as `pid (state dir)`.
 */
function killOrphanDaemons(): string[] {
  const found: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found; // no procfs: nothing to check
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!argv.includes('daemon') || !(argv.includes(CLI) || argv.includes(BIN))) continue;
      const home = readFileSync(`/proc/${entry}/environ`, 'utf8')
        .split('\0')
        .find((v) => v.startsWith('OUTLOOP_HOME='))
        ?.slice('OUTLOOP_HOME='.length);
      if (home === undefined || existsSync(home)) continue;
      process.kill(Number(entry), 'SIGKILL');
      found.push(`${entry} (${home})`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/**
 * The e2e tests run the built CLI. `npm test` builds first; when vitest runs alone, build here
 * if dist/cli/main.js or the bundled bin is missing or older than the newest file under src/.
 */
export default function setup(): () => void {
  const teardown = (): void => {
    const orphans = killOrphanDaemons();
    if (orphans.length > 0) {
      // vitest only logs an error thrown here: fail the run explicitly
      process.exitCode = 1;
      throw new Error(`${orphans.length} daemon(s) outlived their tests (killed now): ${orphans.join(', ')}`);
    }
  };
  const newestSource = newestMtime(join(ROOT, 'src'));
  const fresh = (file: string): boolean => existsSync(file) && statSync(file).mtimeMs >= newestSource;
  if (fresh(CLI) && fresh(BIN)) return teardown;
  process.stderr.write('global-setup: dist is stale, running tsc -p tsconfig.build.json\n');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // tsc still emits when some file has type errors; only a missing entry point is fatal here.
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(CLI)) {
    throw new Error(`build failed, ${CLI} is missing:\n${result.stdout}${result.stderr}`);
  }
  if (result.status !== 0)
    process.stderr.write(`global-setup: tsc reported errors (dist emitted anyway):\n${result.stdout}`);
  const bundle = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle-bin.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (bundle.status !== 0 || !existsSync(BIN)) {
    throw new Error(`bundling ${BIN} failed:\n${bundle.stdout}${bundle.stderr}`);
  }
  return teardown;
}
