/**
 * The natural-language input of an ADW run, from its saved prompts (`prompts/<command>.txt`).
 * The classify prompt is `/classify_issue {"number":..,"title":..,"body":..}`; planner prompts
 * (`/feature <n> <adw_id> {...}`) carry the same JSON.
 */
import { isRecord, num, str, tryParseJson } from '../json-value.js';

export interface IssueFacts {
  number: number | null;
  title: string | null;
  body: string | null;
}

const MAX_OBJECT_ATTEMPTS = 20;

/** The first JSON object in text that has a title or a body. */
export function findIssueJson(text: string): IssueFacts | null {
  let from = 0;
  for (let attempt = 0; attempt < MAX_OBJECT_ATTEMPTS; attempt++) {
    const open = text.indexOf('{', from);
    if (open < 0) return null;
    const close = matchingBrace(text, open);
    if (close < 0) return null;
    const p = tryParseJson(text.slice(open, close + 1));
    if (p.ok && isRecord(p.value)) {
      const title = str(p.value['title']);
      const body = str(p.value['body']);
      if (title !== null || body !== null) {
        const n = num(p.value['number']);
        return { number: n !== null && Number.isInteger(n) ? n : null, title, body };
      }
    }
    from = open + 1;
  }
  return null;
}

/** Index of the `}` closing the object opened at `open`, honouring strings; -1 if none. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function issueText(f: IssueFacts): string | null {
  const parts = [f.title, f.body].map((s) => (s === null ? '' : s.trim())).filter((s) => s !== '');
  return parts.length === 0 ? null : parts.join('\n\n');
}

const SECTION_RE =
  /^(?:#{1,6}\s*)?(?:github\s+)?(?:issue|issue body|issue description|feature request|request|user request|task|description)\s*:?\s*$/gim;
const HEADING_RE = /^#{1,6}\s+\S/m;

/** Text under an "Issue"/"Request"/"Description" heading, up to the next heading. */
function issueSection(text: string): string | null {
  SECTION_RE.lastIndex = 0;
  const m = SECTION_RE.exec(text);
  if (m === null) return null;
  const rest = text.slice(m.index + m[0].length);
  const next = HEADING_RE.exec(rest);
  const section = (next === null ? rest : rest.slice(0, next.index)).trim();
  return section === '' ? null : section;
}

/** A prompt's text without its leading `/command` and id-like arguments, if it reads as prose. */
function proseAfterCommand(text: string): string | null {
  const t = text.trim().replace(/^\/[\w:-]+\s*/, '');
  const words = t.split(/\s+/).filter((w) => w !== '');
  let i = 0;
  while (i < words.length && /^(?:#?\d+|adw[-_][\w-]+|[0-9a-f]{8}|\S*[/\\]\S*)$/i.test(words[i] ?? '')) i++;
  const prose = words.slice(i);
  return prose.length >= 3 ? prose.join(' ') : null;
}

function isClassify(name: string): boolean {
  return /classif/i.test(name);
}

/** Issue number + text from the prompts (classify prompt first, then any prompt with the JSON). */
export function extractIssue(promptTexts: readonly { name: string; text: string }[]): IssueFacts | null {
  const ordered = [...promptTexts].sort(
    (a, b) => Number(isClassify(b.name)) - Number(isClassify(a.name)) || b.text.length - a.text.length,
  );
  for (const p of ordered) {
    const f = findIssueJson(p.text);
    if (f !== null && issueText(f) !== null) return f;
  }
  return null;
}

/**
 * The workflow's natural-language input: title and body of the issue JSON in the classify
 * prompt (or any prompt carrying it); else the longest prompt's issue-like section or prose.
 */
export function extractIssueText(promptTexts: { name: string; text: string }[]): string | null {
  const f = extractIssue(promptTexts);
  if (f !== null) return issueText(f);
  const longest = [...promptTexts].sort((a, b) => b.text.length - a.text.length);
  for (const p of longest) {
    const s = issueSection(p.text) ?? proseAfterCommand(p.text);
    if (s !== null) return s;
  }
  return null;
}
