import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import {
  helpRows,
  hintFor,
  KEY_BINDINGS,
  keyLabel,
  promptKeyLabel,
  matchCommand,
  matchPromptCommand,
  promptText,
  type Command,
} from '../../src/tui/keymap.js';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (over: Partial<Key> = {}): Key => ({ ...NO_KEY, ...over });

describe('keymap', () => {
  it.each([
    ['q', key(), 'quit'],
    ['c', key({ ctrl: true }), 'quit'],
    ['?', key(), 'help'],
    ['', key({ escape: true, meta: true }), 'close'],
    ['', key({ tab: true }), 'nextPane'],
    ['', key({ tab: true, shift: true }), 'prevPane'],
    ['1', key(), 'panePatterns'],
    ['2', key(), 'paneSavings'],
    ['3', key(), 'paneQuota'],
    ['4', key(), 'paneEvents'],
    ['', key({ upArrow: true }), 'up'],
    ['k', key(), 'up'],
    ['', key({ downArrow: true }), 'down'],
    ['j', key(), 'down'],
    ['', key({ pageUp: true }), 'pageUp'],
    ['', key({ pageDown: true }), 'pageDown'],
    ['g', key(), 'top'],
    ['', key({ home: true }), 'top'],
    ['G', key({ shift: true }), 'bottom'],
    ['', key({ end: true }), 'bottom'],
    ['\r', key({ return: true }), 'details'],
    ['a', key(), 'approve'],
    ['r', key(), 'reject'],
    ['d', key(), 'deprecate'],
    ['u', key(), 'undo'],
    ['/', key(), 'filter'],
    ['f', key(), 'statusFilter'],
    ['s', key(), 'sort'],
    ['S', key({ shift: true }), 'sortReverse'],
    ['p', key(), 'pause'],
  ] as const satisfies readonly (readonly [string, Key, Command])[])('%j %j → %s', (input, k, cmd) => {
    expect(matchCommand(input, k)).toBe(cmd);
  });

  it('ignores unbound keys and ctrl variants of plain letters', () => {
    expect(matchCommand('z', key())).toBeUndefined();
    expect(matchCommand('a', key({ ctrl: true }))).toBeUndefined();
  });

  it('every command has a binding, and help lists each one', () => {
    const rows = helpRows();
    expect(rows).toHaveLength(Object.keys(KEY_BINDINGS).length);
    for (const spec of Object.values(KEY_BINDINGS)) expect(spec.bindings.length).toBeGreaterThan(0);
    expect(rows.find((r) => r.description === 'quit')?.keys).toBe('q ctrl-c');
  });

  it('no key is bound to two commands', () => {
    const seen = new Map<string, Command>();
    for (const [cmd, spec] of Object.entries(KEY_BINDINGS) as [Command, (typeof KEY_BINDINGS)[Command]][]) {
      for (const b of spec.bindings) {
        const id = JSON.stringify([b.key, b.input, b.ctrl ?? false, b.shift]);
        expect(seen.get(id), `${id} bound to ${seen.get(id)} and ${cmd}`).toBeUndefined();
        seen.set(id, cmd);
      }
    }
  });

  it('prompt keys and text', () => {
    expect(matchPromptCommand('\r', key({ return: true }))).toBe('submit');
    expect(matchPromptCommand('', key({ escape: true }))).toBe('cancel');
    expect(matchPromptCommand('', key({ backspace: true }))).toBe('deleteChar');
    expect(matchPromptCommand('q', key())).toBeUndefined();
    expect(promptText('q', key())).toBe('q');
    expect(promptText('flaky test\u0007', key())).toBe('flaky test');
    expect(promptText('c', key({ ctrl: true }))).toBe('');
  });

  it('hints come from the table', () => {
    expect(hintFor(['help', 'quit'])).toBe('? help · q quit');
  });

  it('messages name a command by its first key', () => {
    expect(keyLabel('undo')).toBe('u');
    expect(keyLabel('panePatterns')).toBe('1');
    expect(keyLabel('quit')).toBe('q');
  });

  it('prompt hints name a prompt command by its first key', () => {
    expect(promptKeyLabel('submit')).toBe('enter');
    expect(promptKeyLabel('cancel')).toBe('esc');
    expect(promptKeyLabel('deleteChar')).toBe('backspace');
  });
});
