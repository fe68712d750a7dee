/**
 * The efficiency of a session's calls folded one call at a time, in time order: each call's
 * mentions are matched against the files loaded before it, then its loads and uses are added.
 */
import { normalizePath } from '../paths.js';
import { efficiencyReport, type Efficiency } from './efficiency-report.js';
import { restoreTable, saveTable } from './efficiency-state.js';
import { tokenFact, type CallFacts, type TokenFact } from './facts.js';
import { FileTable } from './file-table.js';

const NONE: readonly never[] = [];

/** Resolves the facts of calls without a cwd against the session cwd (memoized per run). */
function resolver(root: string | null): (f: CallFacts) => CallFacts {
  const normCache = new Map<string, string>();
  const tokenCache = new Map<string, TokenFact | null>();
  const norm = (p: string): string => {
    let v = normCache.get(p);
    if (v === undefined) {
      v = normalizePath(p, root);
      normCache.set(p, v);
    }
    return v;
  };
  return (f) => {
    const tokens: (string | null)[] = [];
    for (const m of f.mentions) {
      let t = tokenCache.get(m);
      if (t === undefined) {
        t = tokenFact(m, root);
        tokenCache.set(m, t);
      }
      if (t !== null) tokens.push(t.exact, t.tail);
    }
    return { ...f, rel: false, loads: f.loads.map(norm), uses: f.uses.map(norm), tokens, mentions: NONE };
  };
}

/**
 * The efficiency of a session's calls folded one at a time, in time order, from a session cwd
 * (`root`) fixed beforehand (efficiencyFromFacts takes the first call's cwd). `save` gives the
 * state as a string and `restore` takes it back, so a caller that keeps it only folds the calls
 * that came after: the result is the same as folding every call again.
 */
export class EfficiencyFold {
  private table: FileTable;
  private resolve: ((f: CallFacts) => CallFacts) | null = null;

  constructor(readonly root: string | null) {
    this.table = new FileTable(root);
  }

  /** Folds the facts of the next call. */
  add(given: CallFacts): void {
    const root = this.root;
    const table = this.table;
    const f = given.cwd === null ? (this.resolve ??= resolver(root))(given) : given;
    const { tokens, loads, uses, media } = f;
    const atRoot = table.prefix !== null && f.cwd === root;
    for (let i = 0; i + 1 < tokens.length; i += 2)
      table.matchToken(tokens[i] ?? null, tokens[i + 1] ?? null, f.cwd, atRoot);
    // the response bytes: all to one file, else split evenly, the remainder one byte each to the first
    const n = loads.length;
    const share = n > 1 ? Math.floor(f.bytes / n) : f.bytes;
    const rest = n > 1 ? f.bytes - share * n : 0;
    const at = f.rel ? (atRoot ? '' : `${f.cwd ?? ''}/`) : null;
    for (let i = 0; i < n; i++) {
      const p = loads[i] ?? '';
      const bytes = i < rest ? share + 1 : share;
      if (at === '') table.loadIn(p, bytes, media);
      else table.load(at === null ? p : at + p, bytes, media);
    }
    for (const u of uses) {
      if (at === '') table.useIn(u);
      else table.use(at === null ? u : at + u);
    }
  }

  /** The state as one string (JSON): files in the order loaded, used files in the order used. */
  save(): string {
    return saveTable(this.table);
  }

  /** A fold from `save`'s string, or null when it is not one (then fold every call again). */
  static restore(saved: string): EfficiencyFold | null {
    const table = restoreTable(saved);
    if (table === null) return null;
    const fold = new EfficiencyFold(table.root);
    fold.table = table;
    return fold;
  }

  result(): Efficiency {
    return efficiencyReport(this.table);
  }
}
