/** The files a Grep or Glob call names in its response, as context efficiency counts them loaded. */
import { extOf } from '../paths.js';
import { field, type CallInput } from './call-input.js';
import type { ContextCall } from './facts-types.js';
import { looksLikePath } from './mentioned-tokens.js';

const TRUNCATED = /(…|\.\.\.|\[truncated\]|\(truncated\))\s*$/;
const SKIP_LINE = /^(Found \d+ |No (files|matches) found|\(Results are truncated|--$)/;

/** File names in a Grep/Glob response (files_with_matches, content and count output modes). */
export function namedFiles(call: ContextCall, inputOf: () => CallInput): string[] {
  if (call.responseText === null) return [...call.filePaths];
  const input = inputOf();
  const cut = TRUNCATED.exec(call.responseText);
  const text = cut ? call.responseText.slice(0, cut.index) : call.responseText;
  const lines = text.split(/\r?\n/);
  if (cut && !text.endsWith('\n')) lines.pop();
  const mode = call.toolName === 'Grep' ? field(input, ['output_mode']) : null;
  const out: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (t === '' || SKIP_LINE.test(t)) continue;
    let name: string | null = null;
    if (mode === 'content') {
      const m = /^(.+?):\d+:/.exec(t) ?? /^(.+?)-\d+-/.exec(t) ?? /^(.+?\.[A-Za-z0-9]+):/.exec(t);
      name = m?.[1] ?? null;
    } else if (mode === 'count') {
      name = /^(.+):\d+$/.exec(t)?.[1] ?? null;
    } else if (looksLikePath(t)) {
      name = t;
    }
    if (name !== null && !out.includes(name)) out.push(name);
  }
  const searched = field(input, ['path']);
  if (out.length === 0 && mode === 'content' && searched !== null && extOf(searched) !== '') {
    out.push(searched);
  }
  return out;
}
