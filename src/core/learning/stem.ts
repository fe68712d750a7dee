/**
 * Word tokens for matching: NFKC, lower case, split on anything that is not a Unicode letter, digit
 * or combining mark, stop words dropped, simple English plurals folded (tests→test, fixes→fix,
 * stories→story, branches→branch, classes→class, statuses→status) while bus, status, this, analysis
 * and other -s/-us/-is/-ss words stay whole. Negations (not, no) are kept on purpose: "do not run
 * tests" must not look like "run tests".
 */

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the to of in on for and or but is are was were be been being am it its this that these ' +
    'those with as at by from into onto about over under up down out off please pls can could would ' +
    'should will shall may might must do does did doing done have has had having i me my mine we our ' +
    'ours us you your yours he him his she her they them their there here then than so if else just ' +
    'also now all any some each every very too again once more most other such only own same both ' +
    'what which who whom whose how why when where while let lets s t d ll re ve m via per kindly ' +
    'hey hi thanks thank ok okay'
  ).split(' '),
);

/** Whole words the suffix rules would get wrong. */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ['buses', 'bus'],
  ['series', 'series'],
  ['species', 'species'],
  ['news', 'news'],
  ['always', 'always'],
  ['aliases', 'alias'],
  ['canvases', 'canvas'],
]);

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** Folds a simple English plural to its singular; anything else is returned unchanged. */
export function stem(word: string): string {
  if (word.length <= 3 || !word.endsWith('s')) return word;
  const exception = EXCEPTIONS.get(word);
  if (exception !== undefined) return exception;
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('ies')) return word.length > 4 ? `${word.slice(0, -3)}y` : word.slice(0, -1);
  if (word.endsWith('sses') || word.endsWith('xes') || word.endsWith('zzes') || word.endsWith('shes')) {
    return word.slice(0, -2);
  }
  if (word.endsWith('tuses')) return word.slice(0, -2); // statuses → status
  if (word.endsWith('ches')) {
    // patches, branches, approaches → drop "es"; caches, niches → drop "s"
    const before = word.charAt(word.length - 5);
    const twoBefore = word.charAt(word.length - 6);
    const singleVowel = VOWELS.has(before) && !VOWELS.has(twoBefore);
    return singleVowel ? word.slice(0, -1) : word.slice(0, -2);
  }
  return word.slice(0, -1);
}

const SPLIT_RE = /[^\p{L}\p{N}\p{M}]+/u;

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.normalize('NFKC').toLowerCase().split(SPLIT_RE)) {
    if (raw === '' || STOP_WORDS.has(raw)) continue;
    const word = stem(raw);
    if (!STOP_WORDS.has(word)) out.push(word);
  }
  return out;
}
