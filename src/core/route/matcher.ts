/**
 * Word-level request matcher for routing: BM25 over an inverted index of every doc text (example
 * inputs and trigger phrases), built once.
 *
 * Each text t is its own BM25 document (k1 = 1.2, b = 0.75, idf = ln(1 + (N − df + 0.5)/(df + 0.5)),
 * N = number of texts). For a query q with unique tokens Q and a text t with unique tokens T:
 * - text coverage R = BM25(q, t) / BM25(t, t): the share of the text's own BM25 weight that the
 *   query hits (1 when q contains every token of t);
 * - query coverage P = |Q ∩ T| / |Q|: the share of the query's tokens the text explains, so a
 *   request with extra asks ("run tests then deploy") does not look like the bare trigger;
 * - similarity(q, t) = 100 × R × P; a doc's similarity is the max over its texts, rounded to 0.01.
 * A query equal to a trigger phrase (after tokenize: stop words, plurals, punctuation) scores 100;
 * a query sharing no token scores 0 and is left out.
 * score = 0.8 × similarity + 0.2 × confidence (confidence clamped to 0..100), rounded to 0.01.
 * The route handler decides on similarity; confidence only ranks. Results are sorted by score,
 * then similarity, descending, then id ascending. A query costs O(postings of its tokens).
 */
import { tokenize } from '../learning/stem.js';

export interface MatchDoc {
  id: number;
  /** example inputs and trigger phrases */
  texts: string[];
  confidence: number;
}

export interface MatchResult {
  id: number;
  /** 0-100 */
  similarity: number;
  confidence: number;
  /** 0-100 */
  score: number;
}

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
export const SIMILARITY_WEIGHT = 0.8;
export const CONFIDENCE_WEIGHT = 0.2;

interface Posting {
  texts: Int32Array;
  contrib: Float64Array;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function clampConfidence(c: number): number {
  return Number.isFinite(c) ? Math.min(100, Math.max(0, c)) : 0;
}

export class Matcher {
  readonly #docs: readonly MatchDoc[];
  readonly #postings = new Map<string, Posting>();
  /** text index → doc index */
  readonly #textDoc: number[] = [];
  /** text index → BM25(t, t) */
  readonly #self: number[] = [];
  readonly #acc: Float64Array;
  readonly #hits: Int32Array;
  readonly #docBest: Float64Array;

  constructor(docs: readonly MatchDoc[]) {
    this.#docs = docs;
    const texts: Map<string, number>[] = [];
    const lengths: number[] = [];
    const df = new Map<string, number>();
    docs.forEach((doc, docIndex) => {
      for (const text of doc.texts) {
        const tokens = tokenize(text);
        if (tokens.length === 0) continue;
        const tf = new Map<string, number>();
        for (const tok of tokens) tf.set(tok, (tf.get(tok) ?? 0) + 1);
        for (const tok of tf.keys()) df.set(tok, (df.get(tok) ?? 0) + 1);
        texts.push(tf);
        lengths.push(tokens.length);
        this.#textDoc.push(docIndex);
      }
    });
    const n = texts.length;
    const avgLen = n === 0 ? 1 : lengths.reduce((a, b) => a + b, 0) / n;
    const building = new Map<string, { texts: number[]; contrib: number[] }>();
    texts.forEach((tf, t) => {
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * (lengths[t] ?? 0)) / avgLen);
      let self = 0;
      for (const [tok, f] of tf) {
        const d = df.get(tok) ?? 0;
        const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
        const c = (idf * f * (BM25_K1 + 1)) / (f + norm);
        self += c;
        let p = building.get(tok);
        if (p === undefined) {
          p = { texts: [], contrib: [] };
          building.set(tok, p);
        }
        p.texts.push(t);
        p.contrib.push(c);
      }
      this.#self.push(self);
    });
    for (const [tok, p] of building) {
      this.#postings.set(tok, { texts: Int32Array.from(p.texts), contrib: Float64Array.from(p.contrib) });
    }
    this.#acc = new Float64Array(n);
    this.#hits = new Int32Array(n);
    this.#docBest = new Float64Array(docs.length);
  }

  /** Number of indexed texts. */
  get textCount(): number {
    return this.#self.length;
  }

  score(query: string): MatchResult[] {
    const terms = new Set(tokenize(query));
    if (terms.size === 0) return [];
    const touched: number[] = [];
    for (const term of terms) {
      const p = this.#postings.get(term);
      if (p === undefined) continue;
      const { texts, contrib } = p;
      const acc = this.#acc;
      const hits = this.#hits;
      for (let i = 0; i < texts.length; i++) {
        const t = texts[i] ?? 0;
        if (hits[t] === 0) touched.push(t);
        acc[t] = (acc[t] ?? 0) + (contrib[i] ?? 0);
        hits[t] = (hits[t] ?? 0) + 1;
      }
    }
    const acc = this.#acc;
    const hits = this.#hits;
    const docBest = this.#docBest;
    const touchedDocs: number[] = [];
    for (const t of touched) {
      const self = this.#self[t] ?? 0;
      const r = self > 0 ? Math.min(1, (acc[t] ?? 0) / self) : 0;
      const sim = (r * (hits[t] ?? 0)) / terms.size;
      acc[t] = 0;
      hits[t] = 0;
      const d = this.#textDoc[t] ?? 0;
      const prev = docBest[d] ?? 0;
      if (prev === 0 && sim > 0) touchedDocs.push(d);
      if (sim > prev) docBest[d] = sim;
    }
    const out: MatchResult[] = [];
    for (const d of touchedDocs) {
      const sim = docBest[d] ?? 0;
      docBest[d] = 0;
      const doc = this.#docs[d];
      if (doc === undefined) continue;
      const similarity = round2(Math.min(100, sim * 100));
      if (similarity <= 0) continue;
      const confidence = clampConfidence(doc.confidence);
      const score = round2(SIMILARITY_WEIGHT * similarity + CONFIDENCE_WEIGHT * confidence);
      out.push({ id: doc.id, similarity, confidence, score });
    }
    out.sort((a, b) => b.score - a.score || b.similarity - a.similarity || a.id - b.id);
    return out;
  }
}
