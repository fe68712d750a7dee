/**
 * Signatures of ADW workflow runs, from the workflow type and the issue text: keyword rules
 * matched on whole words, so `test` never matches inside `latest`.
 *
 * Rules, in order:
 * 1. Whole pipelines are never patterns (the `sdlc:full:all` junk pattern): null when the type names
 *    sdlc or zte, or chains two or more phases (plan_build, plan_build_test_review, ...). A `plan` run
 *    executes nothing, so it is null too.
 * 2. Feature work is not an operation (real `nl_input` values are mostly feature requests):
 *    null when the text starts with an implementation verb (implement, add, create, design, refactor,
 *    introduce, develop, write, "build a/an/new") or is longer than 60 words (a spec, not a request).
 * 3. The category comes from the issue text, first match wins: test, build, format, git, deps, docs.
 *    No operation word → null ("implement X", "fix bug Y" are not operations).
 * 4. The subcategory is the tool the text names (pytest, vitest, jest, mocha; typecheck, compile,
 *    bundle; prettier, black, eslint, ruff; diff, status, log; npm, pip, uv, bun, yarn; docs are always
 *    `generate`), else the workflow type (`patch`, `test`, ...), else `generic`.
 * 5. The target: backend and frontend words (see `detectTarget`) → both; else the one found; else
 *    `both` when the text says "both"; else `all`, so every target is one of backend | frontend |
 *    both | all.
 */
import { detectTarget, signaturePart } from './operation.js';

const PHASES = new Set(['plan', 'build', 'test', 'review', 'document', 'ship', 'patch', 'cleanup', 'deploy']);
const TYPE_SYNONYMS: Record<string, string> = { testing: 'test', building: 'build', planning: 'plan' };

/** `adws/adw_patch_iso.py` → `patch`; `/chore` → `chore`; `testing` → `test`. */
function typeKey(workflowType: string): string {
  const raw = workflowType.trim().toLowerCase();
  const t = raw
    .slice(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1)
    .replace(/^adw[_-]/, '')
    .replace(/(_iso|_workflow|\.py)+$/, '');
  return TYPE_SYNONYMS[t] ?? t;
}

/** True for types that run a whole pipeline (sdlc, zte, or two or more phases chained). */
export function isWholePipeline(workflowType: string): boolean {
  const parts = typeKey(workflowType).split(/[^a-z0-9]+/);
  if (parts.some((p) => p === 'sdlc' || p === 'zte' || p === 'complete')) return true;
  return new Set(parts.filter((p) => PHASES.has(p))).size >= 2;
}

interface Rule {
  category: string;
  /** whole-word (or phrase) triggers, lower case */
  words: readonly string[];
  /** [subcategory, its trigger words], first match wins */
  subs: readonly (readonly [string, readonly string[]])[];
  /** the target is always `all` for this category */
  allTarget?: boolean;
}

const RULES: readonly Rule[] = [
  {
    category: 'test',
    words: ['test', 'tests', 'testing', 'pytest', 'py.test', 'vitest', 'jest', 'mocha', 'test suite'],
    subs: [
      ['pytest', ['pytest', 'py.test']],
      ['vitest', ['vitest']],
      ['jest', ['jest']],
      ['mocha', ['mocha']],
    ],
  },
  {
    category: 'build',
    words: ['build', 'compile', 'typecheck', 'type check', 'type-check', 'tsc'],
    subs: [
      ['typecheck', ['typecheck', 'type check', 'type-check', 'tsc']],
      ['compile', ['compile']],
      ['bundle', ['bundle', 'webpack', 'vite']],
    ],
  },
  {
    category: 'format',
    words: ['format', 'formatting', 'prettier', 'black', 'lint', 'linting', 'eslint', 'ruff'],
    subs: [
      ['prettier', ['prettier']],
      ['black', ['black']],
      ['eslint', ['eslint']],
      ['ruff', ['ruff']],
    ],
    allTarget: true,
  },
  {
    category: 'git',
    words: ['git diff', 'git status', 'git log'],
    subs: [
      ['diff', ['git diff']],
      ['status', ['git status']],
      ['log', ['git log']],
    ],
    allTarget: true,
  },
  {
    category: 'deps',
    words: [
      'update dependencies',
      'upgrade dependencies',
      'npm update',
      'pip install',
      'uv sync',
      'bun update',
      'yarn upgrade',
    ],
    subs: [
      ['npm', ['npm']],
      ['pip', ['pip', 'python']],
      ['uv', ['uv']],
      ['bun', ['bun']],
      ['yarn', ['yarn']],
    ],
    allTarget: true,
  },
  {
    category: 'docs',
    words: ['generate docs', 'update readme', 'documentation'],
    subs: [['generate', ['generate docs', 'update readme', 'documentation']]],
    allTarget: true,
  },
];

/** Lower-case words of `text` joined by single spaces, padded, so ` phrase ` finds whole words only. */
function wordText(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, ' ')
    .replace(/\.(?=\s|$)/g, '')} `;
}
const has = (t: string, phrase: string): boolean => t.includes(` ${phrase.replace(/-/g, ' ')} `);

const FEATURE_VERBS = /^ (implement|add|create|design|refactor|introduce|develop|write|build (a|an|new))\b/;
/** Above this many words the text is a spec, not an operation request. */
export const MAX_OPERATION_REQUEST_WORDS = 60;

/** The operation signature of an ADW run, or null (see the module comment for the rules). */
export function workflowSignature(workflowType: string | null, issueText: string | null): string | null {
  const type = workflowType === null || workflowType.trim() === '' ? null : typeKey(workflowType);
  if (type !== null && (type === 'plan' || isWholePipeline(type))) return null;
  if (issueText === null || issueText.trim() === '') return null;
  const t = wordText(issueText);
  if (FEATURE_VERBS.test(t) || t.trim().split(' ').length > MAX_OPERATION_REQUEST_WORDS) return null;
  const rule = RULES.find((r) => r.words.some((w) => has(t, w)));
  if (rule === undefined) return null;
  const tool = rule.subs.find(([, ws]) => ws.some((w) => has(t, w)))?.[0];
  const sub = tool ?? (type !== null ? signaturePart(type) : 'generic');
  let target = rule.allTarget ? 'all' : detectTarget([issueText]);
  if (target === 'all' && !rule.allTarget && has(t, 'both')) target = 'both';
  return `${rule.category}:${sub}:${target}`;
}
