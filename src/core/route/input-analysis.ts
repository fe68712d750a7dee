/**
 * Input analysis for pre-flight: how big a request is and how many separate asks it holds.
 *
 * A concern (separate ask) is:
 * - a top-level bullet or numbered list item (`-`, `*`, `+`, `•`, `1.`, `1)`, `a)`; checkboxes
 *   stripped); deeper-indented items and continuation lines belong to the item above;
 * - outside lists, each piece of a sentence joined by "and also", "also," or "additionally" (every
 *   piece of at least two words counts);
 * - otherwise a sentence that starts with an imperative verb (IMPERATIVE_VERBS), after fillers such as
 *   "please", "then", "can you".
 * Sentences end at `.`, `!` or `?` followed by whitespace (so `app.ts` stays whole); blank lines,
 * headings and fenced code end a paragraph; fenced code is never a concern. Identical concerns
 * (case and spacing ignored) count once. Non-empty input with no concern found is one concern.
 * Split is recommended above 300 words or above 2 concerns; `proposedParts` then holds one part per
 * concern (empty when there is only one concern or no split). `concerns` are capped at 200
 * characters for display; `proposedParts` keep the full text. Words are whitespace-separated runs,
 * chars are Unicode code points. Every pass is linear in the input.
 */

export interface InputAnalysis {
  words: number;
  chars: number;
  concerns: string[];
  concernCount: number;
  splitRecommended: boolean;
  splitReason: string | null;
  proposedParts: string[];
}

export const SPLIT_WORDS_ABOVE = 300;
export const SPLIT_CONCERNS_ABOVE = 2;
const CONCERN_DISPLAY_CHARS = 200;

export const IMPERATIVE_VERBS: ReadonlySet<string> = new Set(
  (
    'add fix update remove create implement refactor write make change rename move test document ' +
    'delete migrate improve support replace convert extract split merge upgrade bump install ' +
    'configure set enable disable allow ensure handle optimize optimise clean cleanup build deploy ' +
    'run check validate verify investigate debug resolve integrate introduce drop rewrite simplify ' +
    'generate expose log cache speed reduce increase limit prevent avoid use switch wire hook ' +
    'show hide display render style format lint review audit bump publish release revert restore ' +
    'port translate localize include exclude expand shrink adjust tweak tune polish finish complete ' +
    'start stop schedule retry fetch load save store persist sync parse serialize validate sanitize'
  ).split(' '),
);

const FILLER_RE =
  /^(?:please|also|then|and|finally|next|first|firstly|second|secondly|third|lastly|now|kindly|let'?s|can you|could you|would you|will you|i need you to|i want you to|we need to|you should)\b[\s,:]*/i;
const LIST_RE = /^(\s*)(?:[-*+•]|\d{1,3}[.)]|[a-zA-Z][.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;
const FENCE_RE = /^\s*(?:```|~~~)/;
const HEADING_RE = /^\s*#{1,6}\s/;
const JOIN_RE = /\b(?:and\s+also|additionally)\b,?|\balso,/i;
const JOIN_RE_G = new RegExp(JOIN_RE.source, 'gi');
const SENTENCE_END_RE = /(?<=[.!?])\s+/;

function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || (c >= 9 && c <= 13) || c === 160 || c === 0x2028 || c === 0x2029;
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
  }
  return words;
}

function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++; // count every unit except low surrogates
  }
  return n;
}

function stripFillers(s: string): string {
  let out = s.trim();
  for (let i = 0; i < 4; i++) {
    const next = out.replace(FILLER_RE, '');
    if (next === out) break;
    out = next;
  }
  return out;
}

export function isImperative(sentence: string): boolean {
  const m = /^[\p{L}]+/u.exec(stripFillers(sentence));
  return m !== null && IMPERATIVE_VERBS.has(m[0].toLowerCase());
}

function clean(piece: string): string {
  return piece.replace(/^[\s,;:]+|[\s,;:]+$/g, '');
}

/** Concerns of one prose paragraph (already joined into one line). */
function paragraphConcerns(paragraph: string, out: string[]): void {
  for (const raw of paragraph.split(SENTENCE_END_RE)) {
    const sentence = raw.trim();
    if (sentence === '') continue;
    if (JOIN_RE.test(sentence)) {
      for (const piece of sentence.split(JOIN_RE_G)) {
        const p = clean(piece);
        if (countWords(p) >= 2) out.push(p);
      }
    } else if (isImperative(sentence)) {
      out.push(sentence);
    }
  }
}

function findConcerns(text: string): string[] {
  const found: string[] = [];
  let paragraph: string[] = [];
  let inFence = false;
  let listIndent = -1; // indent of the current list's top-level items, -1 outside a list
  let item: string[] | null = null;

  const flushParagraph = (): void => {
    if (paragraph.length > 0) paragraphConcerns(paragraph.join(' '), found);
    paragraph = [];
  };
  const flushItem = (): void => {
    if (item !== null) {
      const t = item.join(' ').trim();
      if (t !== '') found.push(t);
    }
    item = null;
  };

  for (const line of text.split(/\r\n|\r|\n/)) {
    if (FENCE_RE.test(line)) {
      flushParagraph();
      flushItem();
      listIndent = -1;
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const trimmed = line.trim();
    if (trimmed === '' || HEADING_RE.test(line)) {
      flushParagraph();
      if (trimmed !== '') {
        flushItem();
        listIndent = -1;
      }
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const li = LIST_RE.exec(line);
    if (li !== null) {
      flushParagraph();
      const itemIndent = li[1]?.length ?? 0;
      if (listIndent < 0 || itemIndent <= listIndent) {
        flushItem();
        listIndent = itemIndent;
        item = [li[2] ?? ''];
      } else if (item !== null) {
        item.push(li[2] ?? '');
      }
      continue;
    }
    if (item !== null && indent > listIndent) {
      item.push(trimmed);
      continue;
    }
    flushItem();
    listIndent = -1;
    paragraph.push(trimmed);
  }
  flushParagraph();
  flushItem();

  const seen = new Set<string>();
  const unique: string[] = [];
  for (const c of found) {
    const key = c.toLowerCase().replace(/\s+/g, ' ');
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(c);
  }
  return unique;
}

function display(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= CONCERN_DISPLAY_CHARS ? one : `${one.slice(0, CONCERN_DISPLAY_CHARS - 1)}…`;
}

export function analyzeInput(text: string): InputAnalysis {
  const words = countWords(text);
  const chars = countCodePoints(text);
  if (words === 0) {
    return {
      words: 0,
      chars,
      concerns: [],
      concernCount: 0,
      splitRecommended: false,
      splitReason: null,
      proposedParts: [],
    };
  }
  let parts = findConcerns(text);
  if (parts.length === 0) parts = [text.trim()];
  const reasons: string[] = [];
  if (words > SPLIT_WORDS_ABOVE) reasons.push(`${words} words (more than ${SPLIT_WORDS_ABOVE})`);
  if (parts.length > SPLIT_CONCERNS_ABOVE) {
    reasons.push(`${parts.length} separate asks (more than ${SPLIT_CONCERNS_ABOVE})`);
  }
  const splitRecommended = reasons.length > 0;
  return {
    words,
    chars,
    concerns: parts.map(display),
    concernCount: parts.length,
    splitRecommended,
    splitReason: splitRecommended ? reasons.join('; ') : null,
    proposedParts: splitRecommended && parts.length > 1 ? parts : [],
  };
}
