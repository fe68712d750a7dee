// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** Node I/O and runtime packages that the pure core must never import. */
const IO_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'child_process',
  'node:child_process',
  'os',
  'node:os',
  'path',
  'node:path',
  'crypto',
  'node:crypto',
  'better-sqlite3',
  'chokidar',
  'ink',
  'react',
  'json-rpc-2.0',
  'execa',
];

/** One no-restricted-imports rule per folder: the layer rules. */
const layer = (message, paths, patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: patterns.map((group) => ({ group: [group], message })),
    },
  ],
});

const SQL_ONLY_IN_STORE = {
  'no-restricted-syntax': [
    'error',
    {
      selector: 'TemplateElement[value.raw=/\\b(SELECT|INSERT|UPDATE|DELETE)\\b[\\s\\S]*\\b(FROM|INTO|SET|WHERE)\\b/]',
      message: 'SQL lives only in src/daemon/store/.',
    },
    {
      selector: 'Literal[value=/^\\s*(SELECT|INSERT|UPDATE|DELETE)\\b[\\s\\S]*\\b(FROM|INTO|SET|WHERE)\\b/]',
      message: 'SQL lives only in src/daemon/store/.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.outloop-bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-throw-literal': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['src/core/**'],
    rules: layer('src/core is pure: no I/O, no runtime packages, no other layer.', IO_MODULES, [
      '**/daemon/**',
      '**/rpc/**',
      '**/tui/**',
      '**/cli/**',
      '**/sys/**',
    ]),
  },
  {
    files: ['src/sys/**'],
    rules: layer(
      'src/sys holds the Node helpers the daemon and the CLI share: node builtins and core only.',
      ['better-sqlite3', 'chokidar', 'ink', 'react', 'ink-testing-library', 'execa', 'json-rpc-2.0'],
      ['**/daemon/**', '**/rpc/**', '**/tui/**', '**/cli/**'],
    ),
  },
  {
    files: ['src/rpc/**'],
    rules: layer(
      'src/rpc imports core only (plus node:net/os for the socket).',
      ['better-sqlite3', 'chokidar', 'ink', 'react', 'execa', 'child_process', 'node:child_process'],
      ['**/daemon/**', '**/tui/**', '**/cli/**', '**/sys/**'],
    ),
  },
  {
    files: ['src/daemon/**'],
    ignores: ['src/daemon/watch/**'],
    rules: layer(
      'src/daemon never imports the TUI or the CLI; chokidar only in src/daemon/watch/.',
      ['ink', 'react', 'ink-testing-library', 'chokidar'],
      ['**/tui/**', '**/cli/**'],
    ),
  },
  {
    files: ['src/daemon/watch/**'],
    rules: layer(
      'src/daemon never imports the TUI or the CLI.',
      ['ink', 'react', 'ink-testing-library'],
      ['**/tui/**', '**/cli/**'],
    ),
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/daemon/store/**'],
    rules: SQL_ONLY_IN_STORE,
  },
  {
    files: ['src/tui/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layer(
        'src/tui talks to the daemon over RPC only: never daemon code, SQLite, chokidar or the filesystem.',
        ['better-sqlite3', 'chokidar', 'node:fs', 'fs', 'node:child_process', 'child_process', 'execa'],
        ['**/daemon/**', '**/cli/**', '**/sys/**'],
      ),
    },
  },
  {
    files: ['src/cli/**'],
    rules: layer(
      'src/cli talks to the daemon over RPC: no SQLite, no chokidar.',
      ['better-sqlite3', 'chokidar'],
      ['**/store/**', '**/watch/**'],
    ),
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
);
