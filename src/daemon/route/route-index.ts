/**
 * The matcher index `route` scores a request against. Each candidate is one matcher document
 * (core/route/matcher.ts, BM25): a registered tool's pattern examples, trigger phrases and signature,
 * or an offloaded pattern's built-in target (builtin-runner.ts), with the pattern's confidence.
 * The key changes whenever the routable set or one of its patterns may have (a cheap fingerprint
 * query), so an approval routes on the very next request.
 */
import { stringListOf } from '../../core/json-value.js';
import { Matcher, type MatchDoc } from '../../core/route/matcher.js';
import type { Store } from '../store/store.js';
import type { RoutableRow } from '../store/tools-repo.js';
import type { BuiltinRoute, BuiltinTarget } from './builtin-runner.js';

export interface RouteIndex {
  key: string;
  matcher: Matcher;
  /** by matcher id: the tool id */
  targets: Map<number, RoutableRow>;
  /** by matcher id: minus the pattern id (tool ids are positive) */
  builtins: Map<number, BuiltinTarget>;
}

/** The key of the index the store holds now. */
export function routeIndexKey(store: Store, builtin: BuiltinRoute | undefined): string {
  const { tools } = store;
  return `${tools.version}|${tools.routableFingerprint()}|${builtin?.fingerprint() ?? ''}`;
}

/** The routable tools and built-in targets, and their matcher. */
export function buildRouteIndex(store: Store, builtin: BuiltinRoute | undefined, key: string): RouteIndex {
  const { tools } = store;
  const targets = new Map<number, RoutableRow>();
  const builtins = new Map<number, BuiltinTarget>();
  const docs: MatchDoc[] = [];
  // a pattern with a registered tool (even a disabled one) is that tool's to route
  for (const b of builtin?.targets(new Set(tools.all().map((t) => t.signature))) ?? []) {
    builtins.set(-b.patternId, b);
    docs.push({ id: -b.patternId, texts: b.texts, confidence: b.confidence });
  }
  for (const r of tools.routable()) {
    targets.set(r.id, r);
    docs.push({
      id: r.id,
      texts: [...stringListOf(r.pattern_examples), ...stringListOf(r.triggers), r.signature],
      confidence: r.pattern_confidence,
    });
  }
  return { key, matcher: new Matcher(docs), targets, builtins };
}
