/** Reads the captured toolchain outputs under test/fixtures/compact/<tool>/<version>/ with their meta.json. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../fixtures/compact/', import.meta.url));

export interface ToolFixture {
  /** `<version>/<name>` */
  id: string;
  name: string;
  command: string;
  exitCode: number;
  family: string;
  output: string;
}

/** Every fixture of one tool folder, all versions. */
export function toolFixtures(tool: string): ToolFixture[] {
  const dir = join(ROOT, tool);
  const out: ToolFixture[] = [];
  for (const version of readdirSync(dir)) {
    const vdir = join(dir, version);
    if (version === 'project' || !statSync(vdir).isDirectory()) continue;
    for (const file of readdirSync(vdir).filter((f) => f.endsWith('.meta.json'))) {
      const name = file.slice(0, -'.meta.json'.length);
      const meta = JSON.parse(readFileSync(join(vdir, file), 'utf8')) as Omit<ToolFixture, 'id' | 'name' | 'output'>;
      const output = readFileSync(join(vdir, `${name}.txt`), 'utf8');
      out.push({
        id: `${version}/${name}`,
        name,
        command: meta.command,
        exitCode: meta.exitCode,
        family: meta.family,
        output,
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The compact text with each grouped diagnostic written back as `file:line…` (a line naming a file, then
 * `  12:5: …` lines under it), so that tests can look for a location as the tool printed it.
 */
export function ungroup(text: string): string {
  let file = '';
  return text
    .split('\n')
    .map((line) => {
      const under = /^ {2}(\d+(?::\d+)?[: ].*)$/.exec(line);
      if (under && file !== '') return `${file}:${under[1] ?? ''}`;
      file = /^[^\s:]+\.\w+$/.test(line) ? line : '';
      return line;
    })
    .join('\n');
}
