/**
 * Claude Code permission rules for the Bash tool (`permissions.allow|deny|ask` in settings.json), read and
 * matched the way Claude Code matches them, for one question: would this command have run without a prompt?
 *
 * Rule forms (`Tool` or `Tool(specifier)`):
 * - `Bash`, `Bash()` with `*` alone: every command;
 * - `Bash(npm run build)`: exactly that command;
 * - `Bash(npm run test:*)`, the older prefix form: the prefix alone or followed by a space and anything;
 * - `Bash(npm run test *)`: `*` stands for any text, anywhere; `\*` is a literal star and `\\` a backslash.
 *   A pattern whose only wildcard is a trailing ` *` also matches without the tail (`ls *` matches `ls`);
 *   the space keeps the word boundary (`ls *` never matches `lsof`, `ls*` does).
 *
 * Matching never errs towards allowing: an allow rule this module cannot read matches nothing, a deny or ask
 * rule it cannot read (a malformed `Bash(…`) matches everything.
 */
import { isRecord } from '../json-value.js';

export interface PermissionRules {
  allow: readonly string[];
  deny: readonly string[];
  ask: readonly string[];
}

export const NO_RULES: PermissionRules = { allow: [], deny: [], ask: [] };

/** The rule lists of one parsed settings file; anything of the wrong shape is left out. */
export function permissionRulesOf(settings: unknown): PermissionRules {
  const p = isRecord(settings) ? settings['permissions'] : undefined;
  if (!isRecord(p)) return NO_RULES;
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string') : []);
  return { allow: list(p['allow']), deny: list(p['deny']), ask: list(p['ask']) };
}

/** True when managed settings say only their own rules count (`allowManagedPermissionRulesOnly`). */
export function managedRulesOnly(settings: unknown): boolean {
  if (!isRecord(settings)) return false;
  const p = settings['permissions'];
  return (
    settings['allowManagedPermissionRulesOnly'] === true ||
    (isRecord(p) && p['allowManagedPermissionRulesOnly'] === true)
  );
}

/** All lists of all files, in order. */
export function mergeRules(all: readonly PermissionRules[]): PermissionRules {
  return {
    allow: all.flatMap((r) => r.allow),
    deny: all.flatMap((r) => r.deny),
    ask: all.flatMap((r) => r.ask),
  };
}

export type BashRule =
  | { kind: 'all' }
  | { kind: 'exact'; command: string }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'wildcard'; pattern: RegExp }
  /** names Bash but cannot be read */
  | { kind: 'unreadable' };

/** The Bash rule a rule string states, or null when it is about another tool. */
export function parseBashRule(rule: string): BashRule | null {
  const r = rule.trim();
  if (r === 'Bash') return { kind: 'all' };
  if (!/^bash\b/i.test(r)) return null;
  const m = /^Bash\((.*)\)$/s.exec(r);
  if (!m) return { kind: 'unreadable' };
  const spec = (m[1] ?? '').trim();
  if (spec === '*') return { kind: 'all' };
  if (spec === '') return { kind: 'unreadable' };
  const legacy = /^(.+):\*$/s.exec(spec);
  if (legacy) return { kind: 'prefix', prefix: legacy[1] ?? '' };
  if (!hasWildcard(spec)) return { kind: 'exact', command: spec };
  return { kind: 'wildcard', pattern: wildcardPattern(spec) };
}

/** An unescaped `*` (one not preceded by an odd number of backslashes). */
function hasWildcard(spec: string): boolean {
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] === '\\') i++;
    else if (spec[i] === '*') return true;
  }
  return false;
}

function wildcardPattern(spec: string): RegExp {
  const parts: string[] = [];
  let stars = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i] ?? '';
    if (c === '\\' && (spec[i + 1] === '*' || spec[i + 1] === '\\')) {
      parts.push(escapeRegExp(spec[i + 1] ?? ''));
      i++;
    } else if (c === '*') {
      parts.push('.*');
      stars++;
    } else parts.push(escapeRegExp(c));
  }
  let source = parts.join('');
  // `ls *` with no other wildcard: the space and the tail are optional, so `ls` alone matches too
  if (stars === 1 && source.endsWith(' .*') && spec.endsWith(' *')) source = `${source.slice(0, -3)}(?: .*)?`;
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether `rule` matches the command text; an unreadable rule matches as `unreadableMatches` says. */
export function bashRuleMatches(rule: BashRule, command: string, unreadableMatches: boolean): boolean {
  switch (rule.kind) {
    case 'all':
      return true;
    case 'unreadable':
      return unreadableMatches;
    case 'exact':
      return command === rule.command;
    case 'prefix':
      return command === rule.prefix || command.startsWith(`${rule.prefix} `);
    case 'wildcard':
      return rule.pattern.test(command);
  }
}

/** Some Bash rule of `rules` matches one of `texts`. */
function anyMatch(rules: readonly string[], texts: readonly string[], unreadableMatches: boolean): boolean {
  for (const r of rules) {
    const rule = parseBashRule(r);
    if (rule !== null && texts.some((t) => bashRuleMatches(rule, t, unreadableMatches))) return true;
  }
  return false;
}

/** A deny or an ask rule matches one of the texts (the caller passes every reading of the command). */
export function deniedOrAsked(rules: PermissionRules, texts: readonly string[]): 'deny' | 'ask' | null {
  if (anyMatch(rules.deny, texts, true)) return 'deny';
  if (anyMatch(rules.ask, texts, true)) return 'ask';
  return null;
}

/** An allow rule matches this text exactly as written. */
export function allowed(rules: PermissionRules, text: string): boolean {
  return anyMatch(rules.allow, [text], false);
}
