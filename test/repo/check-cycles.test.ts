/**
 * scripts/check-cycles.mjs (run by `npm test` before vitest): on a small project written to a temp
 * dir, it reports every import cycle among src/ modules, with the exit code 1, and passes a tree
 * without one; and this repository's own src/ has none.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDirs } from '../helpers/temp-dir.js';

const SCRIPT = join(REPO_ROOT, 'scripts', 'check-cycles.mjs');
const dirs = tempDirs();
afterEach(() => dirs.removeAll());

/** A project whose src/ holds these files (path relative to src → text). */
function project(files: Record<string, string>): string {
  const root = dirs.make('ol-cycles-');
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, 'src', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

function check(root: string): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

describe('check-cycles', () => {
  it('passes a tree whose imports only go one way', () => {
    const root = project({
      'a.ts': "import { b } from './b.js';\nexport const a = b + 1;\n",
      'b.ts': "import { c } from './lib/c.js';\nexport const b = c;\n",
      'lib/c.ts': 'export const c = 1;\n',
    });
    const r = check(root);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no import cycles among 3 modules');
  });

  it('reports a two-module cycle made by a type-only import, and exits 1', () => {
    const root = project({
      'engine.ts': "import { helper } from './parsed.js';\nexport interface Outcome { n: number }\nhelper();\n",
      'parsed.ts': "import type { Outcome } from './engine.js';\nexport const helper = (o?: Outcome) => o;\n",
    });
    const r = check(root);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/import cycle \(2 modules\): src\/(engine|parsed)\.ts -> src\/(engine|parsed)\.ts -> /);
    expect(r.stdout).toContain('1 import cycle(s)');
  });

  it('follows re-exports, dynamic imports and .tsx files through a longer cycle', () => {
    const root = project({
      'a.ts': "export { b } from './b.js';\n",
      'b.ts': "export const b = () => import('./view/c.js');\n",
      'view/c.tsx': "import {\n  a as unused,\n} from '../a.js';\nexport const c = unused;\n",
      'side.ts': "import './a.js';\n",
    });
    const r = check(root);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('import cycle (3 modules): src/a.ts -> src/b.ts -> src/view/c.tsx -> src/a.ts');
    expect(r.stdout).not.toContain('side.ts ->');
  });

  it('ignores imports inside comments and package imports', () => {
    const root = project({
      'a.ts':
        "import { join } from 'node:path';\n// import { b } from './b.js';\n/* import './b.js'; */\nexport const a = join('x');\n",
      'b.ts': "import { a } from './a.js';\nexport const b = a;\n",
    });
    expect(check(root).status).toBe(0);
  });

  it('finds no cycle in this repository', () => {
    const out = execFileSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect(out).toMatch(/^no import cycles among \d+ modules in src\/$/m);
  });
});
