import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The fixtures under test/fixtures/compact are real outputs of real tools on small projects written for the
 * capture: `<tool>/<version>/<name>.txt` holds stdout and stderr together (`2>&1`, as an agent's Bash tool
 * shows them) and `<name>.meta.json` is `{tool, version, command, exitCode, family}`. The exit code is the one
 * the shell saw, so a `… 2>&1 | tail -n 30` variant has tail's. Paths are made independent of where they
 * ran: the project directory reads `/home/dev/app`, the bare git remote `/home/dev/remote`. Not captured:
 * uv (not installable here) and npm's deprecation warnings (not returned by the registry reachable here);
 * those are tested on short outputs written in the tests. The fixture folder holds nothing but tool folders,
 * so a reader can walk it as `<tool>/<version>/<name>`.
 */

/** One captured output of a real tool, with the meta.json written when it was captured. */
export interface Fixture {
  /** `<tool>/<version>/<name>` */
  id: string;
  name: string;
  raw: string;
  meta: { tool: string; version: string; command: string; exitCode: number; family: string };
}

export const FIXTURE_ROOT = join(import.meta.dirname, '..', '..', 'fixtures', 'compact');

/** Every fixture of a tool, across its captured versions. */
export function fixturesOf(tool: string): Fixture[] {
  const out: Fixture[] = [];
  for (const version of readdirSync(join(FIXTURE_ROOT, tool))) {
    const dir = join(FIXTURE_ROOT, tool, version);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
      const name = file.slice(0, -'.txt'.length);
      const meta = JSON.parse(readFileSync(join(dir, `${name}.meta.json`), 'utf8')) as Fixture['meta'];
      out.push({ id: `${tool}/${version}/${name}`, name, raw: readFileSync(join(dir, file), 'utf8'), meta });
    }
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** The output's lines with ANSI escapes removed, as a reader would see them. */
export function plainLines(raw: string): string[] {
  return raw.replace(ANSI, '').split('\n');
}

/** The binary of a devDependency. */
export function bin(name: string): string {
  return join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', name);
}
