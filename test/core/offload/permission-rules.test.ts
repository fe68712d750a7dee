import { describe, expect, it } from 'vitest';
import {
  allowed,
  bashRuleMatches,
  deniedOrAsked,
  managedRulesOnly,
  mergeRules,
  parseBashRule,
  permissionRulesOf,
  type PermissionRules,
} from '../../../src/core/offload/permission-rules.js';

const rules = (r: Partial<PermissionRules>): PermissionRules => ({ allow: [], deny: [], ask: [], ...r });
const matches = (rule: string, command: string): boolean => {
  const parsed = parseBashRule(rule);
  if (parsed === null) throw new Error(`${rule} is not a Bash rule`);
  return bashRuleMatches(parsed, command, false);
};

describe('parseBashRule', () => {
  it.each([
    ['Bash', { kind: 'all' }],
    ['Bash(*)', { kind: 'all' }],
    [' Bash( * ) ', { kind: 'all' }],
    ['Bash(npm run build)', { kind: 'exact', command: 'npm run build' }],
    ['Bash(npm run test:*)', { kind: 'prefix', prefix: 'npm run test' }],
    ['Bash()', { kind: 'unreadable' }],
    ['Bash(npm test', { kind: 'unreadable' }],
    ['Bash npm test', { kind: 'unreadable' }],
  ])('%s', (rule, want) => {
    expect(parseBashRule(rule)).toEqual(want);
  });

  it('leaves other tools alone', () => {
    for (const r of ['Read', 'Edit(src/**)', 'BashOutput', 'WebFetch(domain:x.com)', 'mcp__bash__run', ''])
      expect(parseBashRule(r)).toBeNull();
  });
});

describe('bashRuleMatches', () => {
  it.each([
    // exact
    ['Bash(npm run build)', 'npm run build', true],
    ['Bash(npm run build)', 'npm run build --watch', false],
    ['Bash(npm run build)', 'npm run buil', false],
    // the legacy prefix form keeps the word boundary
    ['Bash(npm run test:*)', 'npm run test', true],
    ['Bash(npm run test:*)', 'npm run test --filter cart', true],
    ['Bash(npm run test:*)', 'npm run test:unit', false],
    ['Bash(npm:*)', 'npmx install', false],
    ['Bash(npm:*)', 'npm install', true],
    // wildcards anywhere; a trailing " *" as the only wildcard is optional and keeps the boundary
    ['Bash(npm run test *)', 'npm run test', true],
    ['Bash(npm run test *)', 'npm run test --filter cart', true],
    ['Bash(npm run test *)', 'npm run tests', false],
    ['Bash(ls *)', 'ls -la', true],
    ['Bash(ls *)', 'lsof', false],
    ['Bash(ls*)', 'lsof', true],
    ['Bash(ls*)', 'ls', true],
    ['Bash(git * main)', 'git push origin main', true],
    ['Bash(git * main)', 'git push origin main2', false],
    ['Bash(git * main)', 'git main', false],
    ['Bash(* --version)', 'node --version', true],
    ['Bash(a * b *)', 'a x b', false],
    ['Bash(a * b *)', 'a x b y', true],
    // escapes and regex characters are literal
    // without an unescaped star the rule is an exact one, compared as written
    ['Bash(echo \\*)', 'echo \\*', true],
    ['Bash(echo \\*)', 'echo *', false],
    ['Bash(echo \\* *)', 'echo * -n', true],
    ['Bash(echo \\* *)', 'echo x -n', false],
    ['Bash(pytest -k a.b *)', 'pytest -k aXb -x', false],
    ['Bash(pytest -k a.b *)', 'pytest -k a.b -x', true],
    ['Bash(grep (a|b) *)', 'grep (a|b) f', true],
    ['Bash(grep (a|b) *)', 'grep a f', false],
    // a wildcard spans newlines too (never narrower than Claude Code)
    ['Bash(echo *)', 'echo a\nb', true],
    ['Bash', 'anything at all; rm -rf /', true],
  ])('%s ~ %j → %s', (rule, command, want) => {
    expect(matches(rule, command)).toBe(want);
  });

  it('an unreadable rule matches only when told to', () => {
    expect(bashRuleMatches({ kind: 'unreadable' }, 'npm test', true)).toBe(true);
    expect(bashRuleMatches({ kind: 'unreadable' }, 'npm test', false)).toBe(false);
  });
});

describe('settings lists', () => {
  it('reads permissions.allow|deny|ask leniently', () => {
    expect(
      permissionRulesOf({ permissions: { allow: ['Bash(ls)', 3, null], deny: 'Bash', ask: ['Bash(rm *)'] } }),
    ).toEqual({ allow: ['Bash(ls)'], deny: [], ask: ['Bash(rm *)'] });
    for (const bad of [null, [], 'x', { permissions: [] }, { permissions: null }, {}])
      expect(permissionRulesOf(bad)).toEqual({ allow: [], deny: [], ask: [] });
  });

  it('merges lists in order', () => {
    expect(mergeRules([rules({ allow: ['a'] }), rules({ allow: ['b'], deny: ['c'] })])).toEqual({
      allow: ['a', 'b'],
      deny: ['c'],
      ask: [],
    });
  });

  it('managedRulesOnly reads the flag at the top or under permissions', () => {
    expect(managedRulesOnly({ allowManagedPermissionRulesOnly: true })).toBe(true);
    expect(managedRulesOnly({ permissions: { allowManagedPermissionRulesOnly: true } })).toBe(true);
    expect(managedRulesOnly({ allowManagedPermissionRulesOnly: 'yes' })).toBe(false);
    expect(managedRulesOnly(null)).toBe(false);
  });
});

describe('deniedOrAsked and allowed', () => {
  it('deny wins over ask, ask over allow; any reading matching is enough', () => {
    const r = rules({ allow: ['Bash(npm test *)'], deny: ['Bash(npm test --prod)'], ask: ['Bash(npm *)'] });
    expect(deniedOrAsked(r, ['x', 'npm test --prod'])).toBe('deny');
    expect(deniedOrAsked(r, ['npm test'])).toBe('ask');
    expect(deniedOrAsked(rules({ allow: ['Bash'] }), ['npm test'])).toBeNull();
  });

  it('an unreadable deny or ask rule stops everything; an unreadable allow rule allows nothing', () => {
    expect(deniedOrAsked(rules({ deny: ['Bash(npm'] }), ['npm test'])).toBe('deny');
    expect(deniedOrAsked(rules({ ask: ['Bash()'] }), ['npm test'])).toBe('ask');
    expect(allowed(rules({ allow: ['Bash(npm', 'Bash()'] }), 'npm test')).toBe(false);
  });

  it('rules for other tools never match a Bash command', () => {
    expect(deniedOrAsked(rules({ deny: ['Read', 'Edit(*)'] }), ['npm test'])).toBeNull();
    expect(allowed(rules({ allow: ['Read', 'WebFetch'] }), 'npm test')).toBe(false);
  });
});
