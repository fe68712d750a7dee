import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  offloadDecision,
  runPrefix,
  shellQuote,
  singleQuote,
  wouldRunUnprompted,
  wrapCommand,
  type OffloadContext,
} from '../../../src/core/offload/decision.js';
import type { OffloadFile } from '../../../src/core/offload/offload-file.js';
import { isOutloopRun } from '../../../src/core/offload/run-wrap.js';
import type { PermissionRules } from '../../../src/core/offload/permission-rules.js';

const PREFIX = '/usr/bin/node /opt/outloop/dist/cli/outloop.cjs';

const OFFLOAD: OffloadFile = {
  v: 1,
  enabled: true,
  writtenAt: '2026-12-06T20:00:00.000Z',
  patterns: [
    { signature: 'test:npm:all', patternId: 7, family: 'test' },
    { signature: 'test:npm:frontend', patternId: 8, family: 'test' },
    { signature: 'test:pytest:all', patternId: 9, family: 'test' },
  ],
};

const RULES: PermissionRules = { allow: ['Bash(npm test *)', 'Bash(pytest *)'], deny: [], ask: [] };

const ctx = (over: Partial<OffloadContext> = {}): OffloadContext => ({
  offload: OFFLOAD,
  rules: RULES,
  prefix: PREFIX,
  switchedOff: false,
  ...over,
});

const payload = (over: Record<string, unknown> = {}, input: Record<string, unknown> = {}): Record<string, unknown> => ({
  session_id: 's-1',
  transcript_path: '/t.jsonl',
  cwd: '/home/ana/shop',
  permission_mode: 'default',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'npm test', description: 'Run tests', timeout: 120000, ...input },
  tool_use_id: 'toolu_1',
  ...over,
});

const why = (p: unknown, c: OffloadContext = ctx()): string => {
  const d = offloadDecision(p, c);
  return d.rewrite ? 'rewrite' : d.why;
};

describe('offloadDecision', () => {
  it('rewrites an approved, allowed simple command: allow + the whole tool_input with only command changed', () => {
    const d = offloadDecision(payload(), ctx());
    expect(d.rewrite).toBe(true);
    if (!d.rewrite) return;
    expect(d.output).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'allow',
        permissionDecisionReason: expect.stringMatching(/^outloop: test:npm:all is offloaded \(pattern #7\)/) as string,
        updatedInput: {
          command: `${PREFIX} run --pattern test:npm:all -- 'npm test'`,
          description: 'Run tests',
          timeout: 120000,
        },
      },
    });
  });

  it('keeps unknown tool_input fields as they are', () => {
    const d = offloadDecision(payload({}, { run_in_background: false, future: { a: [1] } }), ctx());
    expect(d.rewrite && d.output.hookSpecificOutput.updatedInput).toMatchObject({
      run_in_background: false,
      future: { a: [1] },
    });
  });

  it.each([
    ['not an object', null, /payload is not an object/],
    ['another event', payload({ hook_event_name: 'PostToolUse' }), /not PreToolUse/],
    ['another tool', payload({ tool_name: 'Read' }), /not the Bash tool/],
    ['no tool_input', payload({ tool_input: undefined }), /no tool_input.command/],
    ['command not a string', payload({}, { command: ['npm', 'test'] }), /no tool_input.command/],
    ['a background run', payload({}, { run_in_background: true }), /a background run/],
    ['a chained command', payload({}, { command: 'npm test && rm -rf dist' }), /not one simple command/],
    ['a pipe', payload({}, { command: 'npm test | tail' }), /not one simple command/],
    ['a redirection', payload({}, { command: 'npm test > out.txt' }), /not one simple command/],
    ['a substitution', payload({}, { command: 'npm test $(cat args)' }), /not one simple command/],
    ['a heredoc', payload({}, { command: 'npm test <<EOF\nx\nEOF' }), /not one simple command/],
    ['background', payload({}, { command: 'npm test &' }), /not one simple command/],
    ['an empty command', payload({}, { command: '  ' }), /not one simple command/],
    ['an unapproved signature', payload({}, { command: 'cargo test' }), /test:cargo:all is not offloaded/],
    ['already wrapped', payload({}, { command: `${PREFIX} run --pattern test:npm:all -- 'npm test'` }), /already/],
    ['no permission_mode', payload({ permission_mode: undefined }), /no permission_mode/],
    ['plan mode', payload({ permission_mode: 'plan' }), /permission mode plan/],
    ['auto mode', payload({ permission_mode: 'auto' }), /permission mode auto/],
    ['an unknown mode', payload({ permission_mode: 'yolo' }), /permission mode yolo/],
  ])('%s', (_name, p, want) => {
    expect(why(p)).toMatch(want);
  });

  it('needs offload.json, switched on, and the environment switch not set to 0', () => {
    expect(why(payload(), ctx({ offload: null }))).toMatch(/offload.json missing/);
    expect(why(payload(), ctx({ offload: { ...OFFLOAD, enabled: false } }))).toMatch(/switched off/);
    expect(why(payload(), ctx({ switchedOff: true }))).toBe('OUTLOOP_OFFLOAD=0');
    expect(why(payload(), ctx({ offload: { ...OFFLOAD, patterns: [] } }))).toMatch(/not offloaded/);
  });

  it('uses the session cwd for the signature (the target)', () => {
    const only = (signature: string): OffloadContext =>
      ctx({ offload: { ...OFFLOAD, patterns: [{ signature, patternId: 1, family: 'test' }] } });
    expect(why(payload({ cwd: '/home/ana/shop/frontend' }), only('test:npm:frontend'))).toBe('rewrite');
    expect(why(payload({ cwd: '/home/ana/shop/frontend' }), only('test:npm:all'))).toMatch(/not offloaded/);
  });

  it('permission: default, acceptEdits and dontAsk need an allow rule; bypassPermissions needs none', () => {
    const none = ctx({ rules: { allow: [], deny: [], ask: [] } });
    for (const mode of ['default', 'acceptEdits', 'dontAsk']) {
      expect(why(payload({ permission_mode: mode }))).toBe('rewrite');
      expect(why(payload({ permission_mode: mode }), none)).toMatch(/no allow rule/);
    }
    expect(why(payload({ permission_mode: 'bypassPermissions' }), none)).toBe('rewrite');
  });

  it('a deny or ask rule stops the rewrite, in bypassPermissions too', () => {
    for (const mode of ['default', 'bypassPermissions']) {
      const p = payload({ permission_mode: mode });
      expect(why(p, ctx({ rules: { ...RULES, deny: ['Bash(npm test:*)'] } }))).toMatch(/^deny rule matches/);
      expect(why(p, ctx({ rules: { ...RULES, ask: ['Bash(npm *)'] } }))).toMatch(/^ask rule matches/);
      expect(why(p, ctx({ rules: { ...RULES, ask: ['Bash'] } }))).toMatch(/^ask rule matches/);
      expect(why(p, ctx({ rules: { ...RULES, deny: ['Read', 'Bash(cargo *)'] } }))).toBe('rewrite');
    }
  });

  it('allow rules match the command as written, env assignments included; deny rules also without them', () => {
    const p = payload({}, { command: 'CI=1 npm test' });
    expect(why(p)).toMatch(/no allow rule/);
    expect(why(p, ctx({ rules: { ...RULES, allow: ['Bash(CI=1 npm test)'] } }))).toBe('rewrite');
    expect(why(p, ctx({ rules: { ...RULES, allow: ['Bash'], deny: ['Bash(npm test)'] } }))).toMatch(/deny/);
    const q = payload({}, { command: 'CI="a b" timeout 60 npm test' });
    expect(why(q, ctx({ rules: { ...RULES, allow: ['Bash'], ask: ['Bash(npm test)'] } }))).toMatch(/ask/);
  });

  it('cd DIR && cmd: cmd needs its own allow rule; DIR a plain subdirectory or allowed itself', () => {
    const at = (command: string, rules: Partial<PermissionRules> = {}): string =>
      why(payload({}, { command }), ctx({ rules: { ...RULES, ...rules } }));
    expect(at('cd web && npm test')).toBe('rewrite');
    expect(at('cd packages/web/ && npm test')).toBe('rewrite');
    expect(at('cd web && npm install')).toMatch(/not offloaded/);
    expect(at('cd web && npm test', { allow: ['Bash(cd *)'] })).toMatch(/no allow rule matches$/);
    for (const dir of ['..', '../other', '/tmp', '~/x', '$HOME', "'web'", 'a/../../b', 'w*'])
      expect(at(`cd ${dir} && npm test`)).toMatch(/no allow rule matches the cd|not one simple command/);
    expect(at('cd /tmp && npm test', { allow: ['Bash(npm test *)', 'Bash(cd /tmp)'] })).toBe('rewrite');
    expect(at('cd web && npm test', { deny: ['Bash(cd *)'] })).toMatch(/deny/);
    expect(at('cd web && npm test', { ask: ['Bash(cd web && npm test)'] })).toMatch(/ask/);
    expect(at('cd web && npm test', { allow: ['Bash(cd web && npm test)'] })).toMatch(/no allow rule matches$/);
  });

  it('the wrapped command keeps the original byte for byte, cd and quotes included', () => {
    const command = `cd web && npm test -- -t "it's \\"quoted\\"" 'x y' *.ts $HOME é✓`;
    const d = offloadDecision(
      payload({ permission_mode: 'bypassPermissions' }, { command }),
      ctx({ offload: { ...OFFLOAD, patterns: [{ signature: 'test:npm:frontend', patternId: 8, family: 'test' }] } }),
    );
    expect(d.rewrite && d.output.hookSpecificOutput.updatedInput['command']).toBe(
      `${PREFIX} run --pattern test:npm:frontend -- ${singleQuote(command)}`,
    );
  });
});

describe('wouldRunUnprompted', () => {
  it('refuses a cd it cannot find in the command', () => {
    expect(wouldRunUnprompted('npm test', 'web', 'default', RULES)).toMatch(/cd prefix/);
  });
});

describe('isOutloopRun', () => {
  it.each([
    ['outloop run --pattern x -- "npm test"', true],
    ["/usr/bin/node /opt/o/dist/cli/outloop.cjs run --pattern x -- 'npm test'", true],
    ["'/opt/my node/bin/node' '/opt/my o/dist/cli/outloop.cjs' run -- 'npm test'", true],
    ['node --no-warnings /opt/o/dist/cli/main.js run -- x', true],
    ['/home/a/.npm/bin/outloop run -- x', true],
    ['CI=1 outloop run -- x', true],
    ['npx outloop run -- x', true],
    ['cd web && outloop run -- x', true],
    ['outloop runs show r-1', false],
    ['outloop status', false],
    ['npm run outloop', false],
    ['npm test', false],
    ['node build.js run', false],
  ])('%s → %s', (command, want) => {
    expect(isOutloopRun(command)).toBe(want);
  });
});

describe('quoting', () => {
  it('shellQuote leaves plain words bare and single-quotes the rest', () => {
    expect(shellQuote('test:npm:all')).toBe('test:npm:all');
    expect(shellQuote('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellQuote('/opt/my node/x')).toBe("'/opt/my node/x'");
    expect(shellQuote('')).toBe("''");
    expect(singleQuote("it's")).toBe("'it'\\''s'");
    expect(runPrefix('/usr/bin/node', "/o'k/outloop.cjs")).toBe("/usr/bin/node '/o'\\''k/outloop.cjs'");
  });

  const COMMANDS = [
    'npm test',
    `pytest -k 'a and not b' "x y"`,
    `echo "it's $HOME" '$HOME' \`date\` $(id) \${X}`,
    'ls *.ts ? [ab] ~ !x !! {a,b}',
    'grep -r "é ✓ 🚀 中文" src',
    "a'b''c'''",
    'tab\there\nnewline\\ back\\\\slash',
    '-- --pattern x',
    '',
    '   leading and trailing   ',
  ];

  // The prefix is a real program that prints its argv as JSON, so the words the shell hands over are checked.
  const argvPrinter =
    runPrefix(process.execPath, '-e') +
    ' ' +
    singleQuote('process.stdout.write(JSON.stringify(process.argv.slice(1)))');

  for (const shell of ['bash', 'sh']) {
    it(`${shell} -c hands the wrapper exactly run --pattern SIG -- COMMAND`, () => {
      for (const command of COMMANDS) {
        for (const signature of ['test:npm:all', "odd sig'*$"]) {
          const wrapped = wrapCommand(argvPrinter, signature, command);
          const r = spawnSync(shell, ['-c', wrapped], { encoding: 'utf8' });
          expect(r.status, r.stderr).toBe(0);
          expect(JSON.parse(r.stdout)).toEqual(['run', '--pattern', signature, '--', command]);
        }
      }
    });
  }
});
