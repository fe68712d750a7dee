import { describe, expect, it } from 'vitest';
import { baseOf, dirOf, extOf, isAbsolutePath, normalizePath, relativeTo } from '../../src/core/paths.js';

describe('normalizePath', () => {
  it.each<[string, string | null | undefined, string]>([
    ['/home/ana/src/shop/app/cart.py', undefined, '/home/ana/src/shop/app/cart.py'],
    ['./app/cart.py', '/home/ana/src/shop', '/home/ana/src/shop/app/cart.py'],
    ['app/cart.py', '/home/ana/src/shop/', '/home/ana/src/shop/app/cart.py'],
    ['app/cart.py', null, 'app/cart.py'],
    ['./app/./cart.py', undefined, 'app/cart.py'],
    ['app/server/../cart.py', undefined, 'app/cart.py'],
    ['../other/x.py', '/home/ana/src/shop', '/home/ana/src/other/x.py'],
    ['../x.py', undefined, '../x.py'],
    ['/../../etc/x', undefined, '/etc/x'],
    ['/home/ana/src/shop/', undefined, '/home/ana/src/shop'],
    ['/', undefined, '/'],
    ['.', undefined, '.'],
    ['./', undefined, '.'],
    ['', undefined, '.'],
    ['C:\\Users\\Ana\\shop\\app\\cart.py', undefined, 'c:/Users/Ana/shop/app/cart.py'],
    ['app\\cart.py', 'C:\\Users\\Ana\\shop', 'c:/Users/Ana/shop/app/cart.py'],
    ['.\\app\\cart.py', 'c:/Users/Ana/shop', 'c:/Users/Ana/shop/app/cart.py'],
    ['C:\\', undefined, 'c:/'],
    ['C:', undefined, 'c:/'],
    ['\\\\?\\C:\\Long\\x.txt', undefined, 'c:/Long/x.txt'],
    ['\\\\server\\share\\x.txt', undefined, '//server/share/x.txt'],
    ['C:\\Program Files (x86)\\My App\\main.py', undefined, 'c:/Program Files (x86)/My App/main.py'],
    ['my dir/ficheiro ção.py', '/home/ana', '/home/ana/my dir/ficheiro ção.py'],
    // NFD "e + combining acute" becomes NFC "é"
    ['cafe\u0301/menu.py', undefined, 'caf\u00e9/menu.py'],
    ['/abs/x.py', '/ignored', '/abs/x.py'],
    ['x.py', 'relative/cwd', 'x.py'],
  ])('%j (cwd %j) → %j', (p, cwd, expected) => {
    expect(normalizePath(p, cwd)).toBe(expected);
  });
});

describe('relativeTo', () => {
  it.each<[string, string, string]>([
    ['/home/ana/shop/app/cart.py', '/home/ana/shop', 'app/cart.py'],
    ['/home/ana/shop/app/cart.py', '/home/ana/shop/', 'app/cart.py'],
    ['/home/ana/shop', '/home/ana/shop', '.'],
    ['/home/ana/shopping/x.py', '/home/ana/shop', '/home/ana/shopping/x.py'],
    ['/etc/hosts', '/home/ana/shop', '/etc/hosts'],
    ['./app/x.py', '/home/ana/shop', 'app/x.py'],
    ['C:\\Users\\Ana\\Shop\\app\\x.py', 'c:/users/ana/shop', 'app/x.py'],
  ])('%j from %j → %j', (p, root, expected) => {
    expect(relativeTo(p, root)).toBe(expected);
  });
});

describe('dirOf / baseOf / extOf / isAbsolutePath', () => {
  it.each<[string, string, string, string, boolean]>([
    ['app/server/cart.py', 'app/server', 'cart.py', 'py', false],
    ['cart.py', '.', 'cart.py', 'py', false],
    ['/cart.py', '/', 'cart.py', 'py', true],
    ['C:\\cart.py', 'c:/', 'cart.py', 'py', true],
    ['src/cart.test.TS', 'src', 'cart.test.TS', 'ts', false],
    ['Makefile', '.', 'Makefile', '', false],
    ['app/.env', 'app', '.env', '', false],
    ['my dir/ção.md', 'my dir', 'ção.md', 'md', false],
  ])('%j', (p, dir, base, ext, abs) => {
    expect([dirOf(p), baseOf(p), extOf(p), isAbsolutePath(p)]).toEqual([dir, base, ext, abs]);
  });
});
