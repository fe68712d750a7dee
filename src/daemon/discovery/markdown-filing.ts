import { getErrorMessage } from '../../core/errors.js';
import type { Suggestion } from '../../core/learning/suggestion.js';
import type { AnalyzeCandidate } from '../../rpc/protocol.js';
import type { Store } from '../store/store.js';
import { ensureSuggestionsDir, writeSuggestionFile } from './suggestion-files.js';

/** Markdown writing hands the event loop back after about this long (ms). */
const WRITE_TURN_MS = 10;

/**
 * Writes the Markdown suggestions (synchronously: about a third of a millisecond each, handing the
 * event loop back every WRITE_TURN_MS), then stores their locations in one transaction: a crash
 * before that rewrites the same files, never a duplicate.
 */
export async function writeMarkdown(
  store: Store,
  stateDir: string,
  list: AnalyzeCandidate[],
  suggestionOf: Map<number, Suggestion>,
): Promise<void> {
  if (list.length === 0) return;
  const written: [number, string][] = [];
  let dir: string | null = null;
  let turnStart = performance.now();
  for (const c of list) {
    if (performance.now() - turnStart > WRITE_TURN_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turnStart = performance.now();
    }
    const s = suggestionOf.get(c.id);
    if (!s) continue;
    try {
      dir ??= ensureSuggestionsDir(stateDir);
      const url = writeSuggestionFile(dir, c.signature, s);
      written.push([c.id, url]);
      Object.assign(c, { filed: 'markdown', location: url });
    } catch (e) {
      const error = [c.error, `cannot write the suggestion: ${getErrorMessage(e)}`].filter(Boolean).join('; ');
      Object.assign(c, { filed: 'failed', error });
    }
  }
  if (written.length > 0) store.tx(() => written.forEach(([id, url]) => store.patterns.setIssue(id, url)));
}
