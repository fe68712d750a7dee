import { describe, expect, it } from 'vitest';
import {
  CAPTURE_MATCHER,
  DECIDING_MATCHER,
  HOOK_EVENTS,
  SKIPPED_EVENTS,
  TOOL_EVENTS,
  isOutloopHookCommand,
  mergeOutloopHooks,
} from '../../../src/core/offload/claude-settings.js';
import { jsonErrorOffset, parseSettingsText } from '../../../src/core/offload/settings-text.js';
import { AppError } from '../../../src/core/errors.js';

const CMD = 'outloop hook';

type Handler = { type: string; command: string; async?: boolean; args?: string[] };
type Group = { matcher?: string; hooks: Handler[] };
const hooksOf = (s: Record<string, unknown>): Record<string, Group[]> => s['hooks'] as Record<string, Group[]>;
const ourHandlers = (groups: Group[] | undefined): number =>
  (groups ?? []).flatMap((g) => g.hooks).filter((h) => h.type === 'command' && h.command === CMD).length;
/** The installed PreToolUse groups: synchronous for Bash, async for every other tool. */
const preToolUse = (command = CMD): Group[] => [
  { matcher: DECIDING_MATCHER, hooks: [{ type: 'command', command }] },
  { matcher: CAPTURE_MATCHER, hooks: [{ type: 'command', command, async: true }] },
];

describe('HOOK_EVENTS', () => {
  it('covers the catalogue without duplicates and leaves out the worktree events', () => {
    expect(new Set(HOOK_EVENTS).size).toBe(HOOK_EVENTS.length);
    for (const e of [
      'PreToolUse',
      'PostToolUse',
      'PostToolUseFailure',
      'PostToolBatch',
      'UserPromptSubmit',
      'Stop',
      'SubagentStop',
      'SessionStart',
      'SessionEnd',
      'StopFailure',
      'Notification',
      'PreCompact',
    ]) {
      expect(HOOK_EVENTS).toContain(e);
    }
    for (const e of Object.keys(SKIPPED_EVENTS)) expect(HOOK_EVENTS).not.toContain(e);
    for (const e of TOOL_EVENTS) expect(HOOK_EVENTS).toContain(e);
  });
});

describe('mergeOutloopHooks', () => {
  it('fills empty settings: one async handler per event, a "*" matcher only on tool events, PreToolUse split', () => {
    const r = mergeOutloopHooks({}, CMD);
    expect(r.added).toEqual([...HOOK_EVENTS]);
    expect(r.upgraded).toEqual([]);
    expect(r.unchanged).toBe(false);
    const hooks = hooksOf(r.settings);
    expect(Object.keys(hooks)).toEqual([...HOOK_EVENTS]);
    expect(hooks['PreToolUse']).toEqual(preToolUse());
    expect(hooks['PostToolUse']).toEqual([{ matcher: '*', hooks: [{ type: 'command', command: CMD, async: true }] }]);
    expect(hooks['Stop']).toEqual([{ hooks: [{ type: 'command', command: CMD, async: true }] }]);
    for (const [event, groups] of Object.entries(hooks)) {
      expect('matcher' in groups[0]!).toBe(TOOL_EVENTS.includes(event));
      if (event !== 'PreToolUse') expect(groups.flatMap((g) => g.hooks).every((h) => h.async === true)).toBe(true);
    }
  });

  it('the PreToolUse matchers split the tools: Bash only to the synchronous handler, every other to the async one', () => {
    // a matcher of letters only is an exact name; any other value is an unanchored JavaScript regex
    expect(DECIDING_MATCHER).toMatch(/^[A-Za-z0-9_\- ,|]+$/);
    const other = new RegExp(CAPTURE_MATCHER);
    for (const tool of ['Read', 'Edit', 'Agent', 'BashOutput', 'Bashful', 'mcp__x__Bash', 'NotebookEdit'])
      expect(other.test(tool)).toBe(true);
    expect(other.test('Bash')).toBe(false);
  });

  it('treats undefined as empty settings', () => {
    expect(mergeOutloopHooks(undefined, CMD).added).toHaveLength(HOOK_EVENTS.length);
  });

  it("keeps other tools' hooks, unknown keys and their order, and appends its own group", () => {
    const input = {
      model: 'opus',
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/opt/guard.sh', timeout: 5 }] }],
        CustomFutureEvent: [{ hooks: [{ type: 'http', url: 'http://127.0.0.1:1/h' }] }],
      },
      permissions: { allow: ['Bash(ls)'] },
    };
    const before = structuredClone(input);
    const r = mergeOutloopHooks(input, CMD);
    expect(input).toEqual(before); // not mutated
    expect(Object.keys(r.settings)).toEqual(['model', 'hooks', 'permissions']);
    const hooks = hooksOf(r.settings);
    expect(Object.keys(hooks).slice(0, 2)).toEqual(['PreToolUse', 'CustomFutureEvent']);
    expect(hooks['PreToolUse']).toEqual([
      { matcher: 'Bash', hooks: [{ type: 'command', command: '/opt/guard.sh', timeout: 5 }] },
      ...preToolUse(),
    ]);
    expect(hooks['CustomFutureEvent']).toEqual(input.hooks.CustomFutureEvent);
    expect(r.added).toEqual([...HOOK_EVENTS]);
  });

  it('counts an existing outloop handler as present, whatever group it sits in, and makes it async there', () => {
    const input = {
      hooks: {
        PostToolUse: [
          {
            matcher: 'Edit|Write',
            hooks: [
              { type: 'command', command: '/opt/fmt.sh' },
              { type: 'command', command: '  outloop   hook ' },
            ],
          },
        ],
        Stop: [{ hooks: [{ type: 'command', command: 'outloop', args: ['hook'] }] }],
        SessionEnd: [
          { hooks: [{ type: 'command', command: 'node /usr/lib/node_modules/outloop/dist/cli/main.js hook' }] },
        ],
      },
    };
    const r = mergeOutloopHooks(input, CMD);
    expect(r.added).not.toContain('PostToolUse');
    expect(r.added).not.toContain('Stop');
    expect(r.added).not.toContain('SessionEnd');
    expect(r.added).toHaveLength(HOOK_EVENTS.length - 3);
    expect(r.upgraded).toEqual(['PostToolUse', 'Stop', 'SessionEnd']);
    expect(hooksOf(r.settings)['PostToolUse']).toEqual([
      {
        matcher: 'Edit|Write',
        hooks: [
          { type: 'command', command: '/opt/fmt.sh' },
          { type: 'command', command: '  outloop   hook ', async: true },
        ],
      },
    ]);
    expect(hooksOf(r.settings)['Stop']).toEqual([
      { hooks: [{ type: 'command', command: 'outloop', args: ['hook'], async: true }] },
    ]);
  });

  it('upgrades an older install in place: capture handlers made async, PreToolUse split, others untouched', () => {
    const old: Record<string, unknown> = { hooks: {} };
    const oldHooks = old['hooks'] as Record<string, Group[]>;
    for (const e of HOOK_EVENTS)
      oldHooks[e] = [
        TOOL_EVENTS.includes(e)
          ? { matcher: '*', hooks: [{ type: 'command', command: CMD }] }
          : { hooks: [{ type: 'command', command: CMD }] },
      ];
    oldHooks['PreToolUse']!.unshift({ matcher: 'Bash', hooks: [{ type: 'command', command: '/opt/guard.sh' }] });
    oldHooks['PreToolUse']![1]!.hooks.push({ type: 'command', command: '/opt/audit.sh' });
    const r = mergeOutloopHooks(old, CMD);
    expect(r.added).toEqual([]);
    expect(r.upgraded).toEqual([...HOOK_EVENTS]);
    expect(r.unchanged).toBe(false);
    const hooks = hooksOf(r.settings);
    expect(hooks['PreToolUse']).toEqual([
      { matcher: 'Bash', hooks: [{ type: 'command', command: '/opt/guard.sh' }] },
      { matcher: '*', hooks: [{ type: 'command', command: '/opt/audit.sh' }] },
      ...preToolUse(),
    ]);
    expect(hooks['Stop']).toEqual([{ hooks: [{ type: 'command', command: CMD, async: true }] }]);
    const fresh = hooksOf(mergeOutloopHooks({}, CMD).settings);
    for (const e of HOOK_EVENTS) if (e !== 'PreToolUse') expect(hooks[e]).toEqual(fresh[e]);
    const again = mergeOutloopHooks(r.settings, CMD);
    expect(again.unchanged).toBe(true);
    expect(again.settings).toEqual(r.settings);
  });

  it('rebuilds PreToolUse from the handler it found (its command, args and fields), dropping the emptied group', () => {
    const old = {
      hooks: {
        PreToolUse: [
          {
            matcher: '*',
            hooks: [{ type: 'command', command: 'node', args: ['/opt/o/dist/cli/outloop.cjs', 'hook'], timeout: 9 }],
          },
        ],
      },
    };
    const r = mergeOutloopHooks(old, CMD);
    const h = { type: 'command', command: 'node', args: ['/opt/o/dist/cli/outloop.cjs', 'hook'], timeout: 9 };
    expect(hooksOf(r.settings)['PreToolUse']).toEqual([
      { matcher: DECIDING_MATCHER, hooks: [h] },
      { matcher: CAPTURE_MATCHER, hooks: [{ ...h, async: true }] },
    ]);
    expect(r.upgraded).toContain('PreToolUse');
  });

  it('repairs a PreToolUse install that is half there (a deciding handler made async, a duplicate)', () => {
    const broken = mergeOutloopHooks({}, CMD).settings;
    const groups = hooksOf(broken)['PreToolUse']!;
    groups[0]!.hooks[0]!.async = true;
    groups.push({ matcher: '*', hooks: [{ type: 'command', command: CMD }] });
    const r = mergeOutloopHooks(broken, CMD);
    expect(r.upgraded).toEqual(['PreToolUse']);
    expect(hooksOf(r.settings)['PreToolUse']).toEqual(preToolUse());
  });

  it('does not take a different command, or a non-command handler, for ours', () => {
    const input = {
      hooks: {
        Stop: [{ hooks: [{ type: 'command', command: 'outloop hook-debug' }] }],
        Notification: [{ hooks: [{ type: 'http', url: 'http://x', command: CMD }] }],
      },
    };
    const r = mergeOutloopHooks(input, CMD);
    expect(r.added).toContain('Stop');
    expect(r.added).toContain('Notification');
    expect(ourHandlers(hooksOf(r.settings)['Stop'])).toBe(1);
  });

  it('is idempotent: a second run changes nothing', () => {
    const once = mergeOutloopHooks({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] } }, CMD);
    const twice = mergeOutloopHooks(once.settings, CMD);
    expect(twice.unchanged).toBe(true);
    expect(twice.added).toEqual([]);
    expect(twice.settings).toEqual(once.settings);
    // PreToolUse holds two: the synchronous one for Bash and the async one for every other tool
    for (const e of HOOK_EVENTS) expect(ourHandlers(hooksOf(twice.settings)[e])).toBe(e === 'PreToolUse' ? 2 : 1);
  });

  it('writes a custom command as given (trimmed)', () => {
    const r = mergeOutloopHooks({}, ' /usr/local/bin/outloop hook ');
    expect(hooksOf(r.settings)['Stop']![0]!.hooks[0]!.command).toBe('/usr/local/bin/outloop hook');
    expect(hooksOf(r.settings)['PreToolUse']).toEqual(preToolUse('/usr/local/bin/outloop hook'));
    expect(mergeOutloopHooks(r.settings, '/usr/local/bin/outloop hook').unchanged).toBe(true);
  });

  it.each([
    ['settings an array', [], /settings must be a JSON object, found an array/],
    ['settings null', null, /settings must be a JSON object, found null/],
    ['hooks an array', { hooks: [] }, /"hooks" must be an object/],
    ['hooks a string', { hooks: 'outloop hook' }, /"hooks" must be an object.*a string/],
    ['an event not a list', { hooks: { Stop: { hooks: [] } } }, /"hooks.Stop" must be a list/],
    ['a group not an object', { hooks: { Stop: ['outloop hook'] } }, /"hooks.Stop\[0\]" must be a matcher group/],
    [
      'handlers flat in the event list',
      { hooks: { Stop: [{ type: 'command', command: 'x' }] } },
      /"hooks.Stop\[0\].hooks" must be a list of handlers/,
    ],
    [
      'a handler not an object',
      { hooks: { Stop: [{ hooks: [42] }] } },
      /"hooks.Stop\[0\].hooks\[0\]" must be a handler object/,
    ],
  ])('rejects %s with invalid_argument', (_name, settings, message) => {
    let caught: unknown;
    try {
      mergeOutloopHooks(settings, CMD);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('invalid_argument');
    expect((caught as AppError).message).toMatch(message);
  });

  it('rejects an empty command', () => {
    expect(() => mergeOutloopHooks({}, '  ')).toThrow(/empty/);
  });
});

describe('isOutloopHookCommand', () => {
  it.each([
    ['outloop hook', true],
    ['/home/a/.npm-global/bin/outloop hook', true],
    ['npx outloop hook', true],
    ['node "/opt/outloop/dist/cli/main.js" hook', true],
    ['node /opt/outloop/dist/cli/outloop.cjs hook', true],
    ['node /opt/outloop/dist/cli/outloop.cjs statusline', false],
    ['outloop hooks', false],
    ['myoutloop hook', false],
    ['outloop init', false],
  ])('%s → %s', (cmd, want) => {
    expect(isOutloopHookCommand(cmd)).toBe(want);
  });
});

describe('parseSettingsText', () => {
  it('parses JSON, treats empty text as {} and ignores a BOM', () => {
    expect(parseSettingsText('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseSettingsText(' \n')).toEqual({ ok: true, value: {} });
    expect(parseSettingsText('\ufeff{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('reports the line and column of the first error', () => {
    const r = parseSettingsText('{\n  "a": 1,\n  "b": ,\n}\n');
    expect(r).toMatchObject({ ok: false, line: 3, column: 8 });
    expect(parseSettingsText('{\n  // comment\n}')).toMatchObject({ ok: false, line: 2, column: 3 });
    expect(parseSettingsText('{"a": 1')).toMatchObject({ ok: false, line: 1, column: 8 });
    const bad = parseSettingsText('{\n  "a": [1,\n 2,],\n "b": "long string"}');
    expect(bad.ok === false && bad.message).toMatch(/^\S.*[^\n]$/);
    expect(bad.ok === false && bad.message).not.toContain('\n');
  });

  it('jsonErrorOffset agrees with JSON.parse on what is valid', () => {
    for (const ok of ['{}', '[1, -2.5e3, "x\\u00e9\\n", true, false, null, {"k": []}]', ' "s" ']) {
      expect(() => JSON.parse(ok)).not.toThrow();
      expect(jsonErrorOffset(ok)).toBe(ok.length);
    }
    expect(jsonErrorOffset('[1,]')).toBe(3);
    expect(jsonErrorOffset('{"a":01}')).toBe(6);
    expect(jsonErrorOffset('"\\x"')).toBe(1);
    expect(jsonErrorOffset('{} x')).toBe(3);
  });
});
