import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/compact', import.meta.url));

export interface Fixture {
  /** `<tool>/<version>/<case>` */
  id: string;
  tool: string;
  version: string;
  name: string;
  command: string;
  exitCode: number | null;
  output: string;
}

/** Every captured run under test/fixtures/compact (a directory holding meta.json and output.txt). */
export function loadFixtures(root = FIXTURES): Fixture[] {
  const out: Fixture[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
    }
    const meta = join(dir, 'meta.json');
    const output = join(dir, 'output.txt');
    if (!existsSync(meta) || !existsSync(output)) return;
    const m = JSON.parse(readFileSync(meta, 'utf8')) as Record<string, unknown>;
    const id = dir.slice(root.length + 1);
    out.push({
      id,
      tool: String(m['tool']),
      version: String(m['version']),
      name: id.split('/').pop() ?? '',
      command: String(m['command']),
      exitCode: typeof m['exitCode'] === 'number' ? m['exitCode'] : null,
      output: readFileSync(output, 'utf8'),
    });
  };
  walk(root);
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
