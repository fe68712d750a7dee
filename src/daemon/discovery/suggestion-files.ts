/**
 * Markdown suggestions under `<state dir>/suggestions/`, for when no GitHub issue is filed. One file per
 * pattern, named from its signature with unsafe characters replaced plus a short hash of the exact
 * signature (two signatures that clean up alike never share a file). Written in place, no tmp + rename:
 * the pattern records the location only after the file is complete, so a crash mid-write means the next
 * run writes the whole file again (and 1,000 new suggestions cost half the file operations).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fnv1a64 } from '../../core/hash.js';
import type { Suggestion } from '../../core/learning/suggestion.js';

export function suggestionsDir(stateDir: string): string {
  return join(stateDir, 'suggestions');
}

/** `test_pytest_backend-1a2b3c4d.md`: letters, digits, `.`, `_`, `-` only; never hidden, never empty. */
export function suggestionFileName(signature: string): string {
  const safe =
    signature
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._-]+/, '')
      .slice(0, 100)
      .replace(/[._-]+$/, '') || 'pattern';
  return `${safe}-${fnv1a64(signature).slice(0, 8)}.md`;
}

export function renderSuggestionFile(s: Suggestion): string {
  return `# ${s.title}\n\n_Labels: ${s.labels.map((l) => `\`${l}\``).join(', ')}_\n\n${s.body}`;
}

/** Creates the suggestions directory (once per run) and returns it. */
export function ensureSuggestionsDir(stateDir: string): string {
  const dir = suggestionsDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Writes the suggestion into `dir`; returns its `file://` URL (what the pattern stores as its issue location). */
export function writeSuggestionFile(dir: string, signature: string, s: Suggestion): string {
  const path = join(dir, suggestionFileName(signature));
  writeFileSync(path, renderSuggestionFile(s), { mode: 0o600 });
  return pathToFileURL(path).href;
}
