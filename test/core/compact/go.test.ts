import { describe, expect, it } from 'vitest';
import { goBuildCompactor } from '../../../src/core/compact/go-build.js';
import { goTestCompactor } from '../../../src/core/compact/go-test.js';
import { commandInfo, compact } from '../../../src/core/compact/index.js';
import { toolFixtures, ungroup } from './toolchain-fixtures.js';

const fixtures = toolFixtures('go');
const byName = (name: string) => {
  const f = fixtures.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no fixture ${name}`);
  const r = compact(f.command, f.output, f.exitCode);
  return { ...f, r, flat: ungroup(r.text) };
};
const COMPILE_LOCATIONS = ['broken/broken_test.go:6:17', 'broken/broken_test.go:8:11'];
const BUILD_LOCATIONS = [
  'cmd/app/main.go:5:2',
  'cmd/app/main.go:9:18',
  'cmd/app/main.go:10:21',
  'cmd/app/main.go:11:2',
];

describe('go test compactor on captured go 1.19 output', () => {
  it.each(fixtures.map((f) => [f.id, f] as const))('%s is read by a go compactor', (_id, f) => {
    const r = compact(f.command, f.output, f.exitCode);
    expect(r.tool).toBe(f.family === 'test' ? 'go-test' : 'go-build');
    expect(r.text).toContain(`exit ${f.exitCode}`);
  });

  it('keeps every failing test, its messages, the panic and every compile error of go test ./...', () => {
    const { r, flat } = byName('test-fail');
    for (const name of ['TestAddWrong', 'TestSubFail/negative', 'TestAtPanics'])
      expect(r.text).toContain(`--- FAIL: ${name}`);
    expect(r.text).toContain('calc_test.go:19: Add(2, 2) = 4, want 5');
    expect(r.text).toContain('calc_test.go:30: negative numbers are not handled');
    expect(r.text).toContain('panic: runtime error: index out of range [5] with length 2');
    expect(r.text).toContain('panicky/panicky_test.go:12');
    for (const loc of [...COMPILE_LOCATIONS, ...BUILD_LOCATIONS, 'vetme/vetme.go:8:9'])
      expect(flat).toContain(`${loc}: `);
    expect(r.facts.locations).toEqual([
      ...COMPILE_LOCATIONS,
      ...BUILD_LOCATIONS,
      'vetme/vetme.go:8:9',
      'vetme/vetme.go:13:12',
    ]);
    expect(r.text).toContain('FAIL example.com/fixture/broken [build failed]');
    expect(r.text).toMatch(/^go test: packages 1 ok, 3 FAIL \(exit 2\)/);
    expect(r.facts.failures).toEqual(['TestAddWrong', 'TestSubFail', 'TestSubFail/negative', 'TestAtPanics']);
  });

  it('counts tests in -v and -json runs and keeps messages printed before --- FAIL', () => {
    for (const name of ['test-fail-v', 'test-json']) {
      const { r } = byName(name);
      expect(r.text).toContain('calc_test.go:19: Add(2, 2) = 4, want 5');
      expect(r.text).toContain('--- FAIL: TestSubFail/negative');
      expect(r.facts).toMatchObject({ failed: 3, skipped: 1 });
      expect(r.text).not.toContain('=== RUN');
      expect(1 - r.compactTokens / r.rawTokens).toBeGreaterThanOrEqual(0.75);
    }
    expect(byName('test-fail-v').r.facts.passed).toBe(44);
    expect(byName('test-json').r.facts.passed).toBe(42);
  });

  it('keeps the failing test and panic of a -v run cut by tail', () => {
    const { r, flat } = byName('test-fail-tail');
    expect(r.text).toContain('--- FAIL: TestAtPanics');
    expect(flat).toContain('vetme/vetme.go:13:12: fmt.Printf call has arguments but no formatting directives');
  });

  it('counts the passing packages of a many-package run and keeps its failures', () => {
    for (const name of ['test-many-packages', 'test-many-packages-v']) {
      const { r } = byName(name);
      expect(r.text).toMatch(/^go test: packages 14 ok, 1 FAIL/);
      expect(r.text).toContain('--- FAIL: TestSubFail/negative');
      expect(r.text).not.toContain('example.com/fixture/lib/p01');
    }
  });

  it('says a passing run in one line', () => {
    const { r } = byName('test-pass');
    expect(r.text.split('\n')[0]).toBe('go test: packages 2 ok, 0 FAIL (exit 0)');
    expect(byName('test-pass-v').r.facts).toMatchObject({ passed: 2, failed: 0 });
  });

  it('keeps every go build and go vet diagnostic', () => {
    const { r: build, flat } = byName('build-fail');
    for (const loc of BUILD_LOCATIONS) expect(flat).toContain(`${loc}: `);
    expect(build.facts.errors).toBe(4);
    const vet = byName('vet-fail').r;
    expect(ungroup(vet.text)).toContain('vetme/vetme.go:8:9: fmt.Sprintf format %s has arg n of wrong type int');
    expect(vet.facts.locations).toEqual(['vetme/vetme.go:8:9', 'vetme/vetme.go:13:12']);
    expect(byName('build-ok').r.text.split('\n')[0]).toBe('go build: ok (exit 0)');
  });

  it('keeps at most four messages of a failing test', () => {
    const logs = Array.from({ length: 9 }, (_, i) => `    x_test.go:${i + 1}: line ${i + 1}`);
    const out = ['--- FAIL: TestMany (0.00s)', ...logs, 'FAIL', 'FAIL\texample.com/x\t0.001s', ''].join('\n');
    const r = compact('go test ./...', out, 1);
    expect(r.text).toContain('x_test.go:4: line 4');
    expect(r.text).not.toContain('x_test.go:5: line 5');
    expect(r.facts.failures).toEqual(['TestMany']);
  });

  it('answers null for output it cannot read', () => {
    expect(goTestCompactor.compact(commandInfo('go test ./...'), 'signal: killed\n', null)).toBeNull();
    expect(goTestCompactor.compact(commandInfo('go test -json ./...'), '{"Action":"run"\n', 1)).toBeNull();
    expect(goBuildCompactor.compact(commandInfo('go build'), 'go: cannot find main module\n', 1)).toBeNull();
    expect(compact('go test ./...', 'signal: killed\n', 1).tool).toBe('generic');
  });

  it('matches go test, build and vet only', () => {
    expect(goTestCompactor.matches(commandInfo('cd svc && go test -race ./...'))).toBe(true);
    expect(goBuildCompactor.matches(commandInfo('go vet ./...'))).toBe(true);
    expect(goBuildCompactor.matches(commandInfo('go mod tidy'))).toBe(false);
  });
});
