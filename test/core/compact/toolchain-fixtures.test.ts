import { describe, expect, it } from 'vitest';
import { compact } from '../../../src/core/compact/index.js';
import { toolFixtures } from './toolchain-fixtures.js';

const TOOLS = ['pytest', 'go', 'cargo', 'make', 'mypy', 'pyright', 'flake8'];
const all = TOOLS.flatMap((tool) => toolFixtures(tool).map((f) => ({ tool, ...f })));

describe('captured toolchain fixtures', () => {
  it('cover every tool with passing and failing runs', () => {
    for (const tool of TOOLS) {
      const codes = all.filter((f) => f.tool === tool).map((f) => f.exitCode);
      expect(codes, tool).toContain(0);
      expect(codes.some((c) => c !== 0)).toBe(true);
    }
  });

  it.each(all.map((f) => [`${f.tool}/${f.id}`, f] as const))(
    '%s is compacted as the family its meta.json names',
    (_id, f) => {
      const r = compact(f.command, f.output, f.exitCode);
      expect(r.family).toBe(f.family);
      expect(r.tool).not.toBe('generic');
      expect(r.facts.exitCode).toBe(f.exitCode);
    },
  );
});
