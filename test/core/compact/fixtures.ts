import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
