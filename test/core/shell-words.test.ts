import { describe, expect, it } from 'vitest';
import {
  baseName,
  commandStart,
  isEnvAssignment,
  joinWords,
  parseShell,
  quoteWord,
  splitCommands,
} from '../../src/core/shell-words.js';

describe('splitCommands', () => {
  it.each<[string, string[][]]>([
    ['', []],
    ['   \t  ', []],
    ['pytest', [['pytest']]],
    ['pytest tests/ -x', [['pytest', 'tests/', '-x']]],
    [
      'cd app/server && uv run pytest',
      [
        ['cd', 'app/server'],
        ['uv', 'run', 'pytest'],
      ],
    ],
    ['a || b; c | d |& e & f', [['a'], ['b'], ['c'], ['d'], ['e'], ['f']]],
    ['a\nb\r\nc', [['a'], ['b'], ['c']]],
    ['a;;b', [['a'], ['b']]],
    // quotes: removed at top level, separators inside do not split
    [`echo 'a && b' "c; d"`, [['echo', 'a && b', 'c; d']]],
    [`git commit -m "it's done"`, [['git', 'commit', '-m', "it's done"]]],
    [`echo "say \\"hi\\" \\$HOME \\n"`, [['echo', 'say "hi" $HOME \\n']]],
    [`echo ''`, [['echo', '']]],
    [`echo a""b`, [['echo', 'ab']]],
    [`echo $'a\\'b'`, [['echo', "a\\'b"]]],
    // substitutions stay verbatim in their word
    ['pytest $(git diff --name-only | grep test_)', [['pytest', '$(git diff --name-only | grep test_)']]],
    ['echo `date; whoami` x', [['echo', '`date; whoami`', 'x']]],
    ['echo ${A:-a;b}', [['echo', '${A:-a;b}']]],
    ['x=$((1+(2*3))); echo $x', [['x=$((1+(2*3)))'], ['echo', '$x']]],
    [`echo "$(echo "inner; quoted")" done`, [['echo', '$(echo "inner; quoted")', 'done']]],
    ['diff <(sort a) <(sort b)', [['diff', '<(sort a)', '<(sort b)']]],
    // subshells and groups
    [
      '(cd app/client && npm test)',
      [
        ['cd', 'app/client'],
        ['npm', 'test'],
      ],
    ],
    ['{ pytest; ruff check; }', [['{', 'pytest'], ['ruff', 'check'], ['}']]],
    // redirections are dropped with their target
    [
      'npm test 2>&1 | tail -20',
      [
        ['npm', 'test'],
        ['tail', '-20'],
      ],
    ],
    ['pytest > out.txt 2> err.txt', [['pytest']]],
    ['pytest >>log &>/dev/null <in.txt', [['pytest']]],
    ['cmd >&2 x', [['cmd', 'x']]],
    ['cat <<< "here string" file', [['cat', 'file']]],
    ['echo a>b c', [['echo', 'a', 'c']]],
    // here-documents: bodies are skipped
    ['cat <<EOF > f.txt\nnpm test && rm -rf /\nEOF\necho done', [['cat'], ['echo', 'done']]],
    ["cat <<'EOF'\n$(not run)\nEOF\nls", [['cat'], ['ls']]],
    ['cat <<-"END"\n\tbody\n\tEND\nls', [['cat'], ['ls']]],
    ['cat <<A <<B\na\nA\nb\nB\nls', [['cat'], ['ls']]],
    [
      `git commit -m "$(cat <<'EOF'\nfeat: don't break (again)\n\n🤖 Generated\nEOF\n)" && git push`,
      [
        ['git', 'commit', '-m', "$(cat <<'EOF'\n)"],
        ['git', 'push'],
      ],
    ],
    // comments
    ['# only a comment', []],
    ['pytest # run tests && more', [['pytest']]],
    ['echo a#b', [['echo', 'a#b']]],
    [
      '# setup\nnpm ci\n# test\nnpm test',
      [
        ['npm', 'ci'],
        ['npm', 'test'],
      ],
    ],
    // escapes and line continuations
    ['echo a\\ b', [['echo', 'a b']]],
    ['npm \\\n  test', [['npm', 'test']]],
    ['echo \\&\\& \\;', [['echo', '&&', ';']]],
    // Windows paths keep their backslashes
    ['cd C:\\Users\\me\\app\\server && pytest', [['cd', 'C:\\Users\\me\\app\\server'], ['pytest']]],
    ['"C:\\Program Files\\nodejs\\npm.cmd" test', [['C:\\Program Files\\nodejs\\npm.cmd', 'test']]],
    // non-ASCII
    [
      'echo ünïcödé && pytest tests/tëst_ü.py',
      [
        ['echo', 'ünïcödé'],
        ['pytest', 'tests/tëst_ü.py'],
      ],
    ],
    ['echo 日本語 🤖', [['echo', '日本語', '🤖']]],
  ])('%j', (cmd, expected) => {
    expect(splitCommands(cmd)).toEqual(expected);
  });
});

describe('parseShell: unterminated input is reported, never thrown', () => {
  it.each<[string, string[][], boolean]>([
    ['echo "open && npm test', [['echo', 'open && npm test']], true],
    ["echo 'open", [['echo', 'open']], true],
    ['echo $(open', [['echo', '$(open']], true],
    ['echo `open', [['echo', '`open']], true],
    ['cat <<EOF\nnever closed', [['cat']], true],
    ['echo \\', [['echo']], false],
    ['echo ok', [['echo', 'ok']], false],
  ])('%j', (cmd, commands, unterminated) => {
    expect(parseShell(cmd)).toEqual({ commands, unterminated });
  });
});

describe('parseShell on large input', () => {
  it.each<[string, string, number, number]>([
    ['100 KB single word', 'x'.repeat(100_000), 1, 1],
    ['10k arguments', `pytest ${'tests/a.py '.repeat(10_000)}`, 1, 10_001],
    ['20k chained commands', `${'a && '.repeat(20_000)}pytest`, 20_001, 1],
    ['100 KB unterminated quote', `echo "${'y'.repeat(100_000)}`, 1, 2],
    ['30k nested substitutions', '$('.repeat(30_000), 1, 1],
    ['20k-line heredoc', `cat <<EOF\n${'line\n'.repeat(20_000)}EOF\nls`, 2, 1],
  ])('%s', (_name, cmd, commands, lastWords) => {
    const r = parseShell(cmd);
    expect(r.commands.length).toBe(commands);
    expect(r.commands[r.commands.length - 1]?.length).toBe(lastWords);
  });
});

describe('helpers', () => {
  it.each<[string, boolean]>([
    ['FOO=1', true],
    ['PATH+=/x', true],
    ['_A1=', true],
    ['1A=2', false],
    ['--flag=1', false],
    ['pytest', false],
  ])('isEnvAssignment(%j) = %s', (w, expected) => {
    expect(isEnvAssignment(w)).toBe(expected);
  });

  it.each<[string, string]>([
    ['pytest', 'pytest'],
    ['.venv/bin/pytest', 'pytest'],
    ['C:\\Python312\\python.exe', 'python.exe'],
    ['dir/sub/', 'sub'],
    ['/', ''],
    ['', ''],
  ])('baseName(%j) = %j', (p, expected) => {
    expect(baseName(p)).toBe(expected);
  });

  it.each<[string, string]>([
    ['tests/', 'tests/'],
    ['HEAD~1', 'HEAD~1'],
    ['$f', '$f'],
    ['not slow', "'not slow'"],
    ["it's", "'it'\\''s'"],
    ['', "''"],
    ['a;b', "'a;b'"],
  ])('quoteWord(%j) = %j', (w, expected) => {
    expect(quoteWord(w)).toBe(expected);
  });

  it.each<[string[], number, string]>([
    [['pytest', '-k', 'not slow'], 100, "pytest -k 'not slow'"],
    [['git', 'commit', '-m', 'line one\nline two'], 100, "git commit -m 'line one line two'"],
    [['echo', 'x'.repeat(50)], 20, `echo ${'x'.repeat(14)}…`],
  ])('joinWords(%j, %d)', (words, max, expected) => {
    expect(joinWords(words, max)).toBe(expected);
  });

  it.each<[string[], number]>([
    [['pytest'], 0],
    [['FOO=1', 'BAR=2', 'pytest'], 2],
    [['time', 'npm', 'test'], 1],
    [['time', '-p', 'npm', 'test'], 2],
    [['/usr/bin/time', '-f', '%e', 'pytest'], 3],
    [['env', 'CI=1', 'npm', 'test'], 2],
    [['env', '-u', 'HOME', 'npm', 'test'], 3],
    [['sudo', '-u', 'app', 'pytest'], 3],
    [['timeout', '300', 'npm', 'test'], 2],
    [['timeout', '-s', 'KILL', '5m', 'pytest'], 4],
    [['nohup', 'nice', '-n', '10', 'pytest'], 4],
    [['do', 'pytest', '$f'], 1],
    [['!', 'grep', 'x'], 1],
    [['FOO=1'], 1],
    [[], 0],
  ])('commandStart(%j) = %d', (words, expected) => {
    expect(commandStart(words)).toBe(expected);
  });
});
