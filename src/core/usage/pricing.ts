/**
 * Bundled Claude price table (USD per million tokens) and the per-request cost formula:
 * long-context tiers apply to the whole request, then fast and US-geo
 * multipliers, plus web search at $10 per 1,000.
 */
import type { TokenCounts } from '../types.js';

export const PRICING_TABLE_DATE = '2026-11-21';
export const SYNTHETIC_MODEL = '<synthetic>';
export const WEB_SEARCH_USD_PER_REQUEST = 0.01;
export const US_GEO_MULTIPLIER = 1.1;

export interface Rates {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

export interface ModelPrice extends Rates {
  id: string;
  /** Request-level premium tier: when input + cache writes + cache reads exceed threshold. */
  longContext?: Rates & { threshold: number };
  /** Multiplier when usage.speed is "fast". */
  fastMultiplier?: number;
  /** 4.6 and later: inference_geo "us" costs 1.1×. */
  geoPremium?: boolean;
  /** Effective-dated changes: from `since` (ISO date, inclusive) these rates replace the base. */
  changes?: readonly { since: string; rates: Partial<Rates> }[];
  aliases?: readonly string[];
}

function r(input: number, cacheWrite5m: number, cacheWrite1h: number, cacheRead: number, output: number): Rates {
  return { input, output, cacheWrite5m, cacheWrite1h, cacheRead };
}

export const PRICING_TABLE: readonly ModelPrice[] = [
  // Anthropic list prices
  { id: 'claude-opus-4-8', ...r(5, 6.25, 10, 0.5, 25), fastMultiplier: 2, geoPremium: true },
  { id: 'claude-opus-4-7', ...r(5, 6.25, 10, 0.5, 25), fastMultiplier: 6, geoPremium: true },
  { id: 'claude-opus-4-6', ...r(5, 6.25, 10, 0.5, 25), fastMultiplier: 6, geoPremium: true },
  { id: 'claude-opus-4-5', ...r(5, 6.25, 10, 0.5, 25) },
  { id: 'claude-opus-4-1', ...r(15, 18.75, 30, 1.5, 75) },
  { id: 'claude-opus-4', ...r(15, 18.75, 30, 1.5, 75), aliases: ['claude-4-opus', 'claude-opus-4-0'] },
  { id: 'claude-sonnet-4-6', ...r(3, 3.75, 6, 0.3, 15), geoPremium: true },
  {
    id: 'claude-sonnet-4-5',
    ...r(3, 3.75, 6, 0.3, 15),
    longContext: { threshold: 200_000, ...r(6, 7.5, 12, 0.6, 22.5) },
  },
  {
    id: 'claude-sonnet-4',
    ...r(3, 3.75, 6, 0.3, 15),
    longContext: { threshold: 200_000, ...r(6, 7.5, 12, 0.6, 22.5) },
    aliases: ['claude-4-sonnet', 'claude-sonnet-4-0'],
  },
  { id: 'claude-haiku-4-5', ...r(1, 1.25, 2, 0.1, 5) },
  { id: 'claude-3-5-haiku', ...r(0.8, 1, 1.6, 0.08, 4), aliases: ['claude-haiku-3-5'] },
  { id: 'claude-3-haiku', ...r(0.25, 0.3, 0.5, 0.03, 1.25), aliases: ['claude-haiku-3'] },
  // legacy ids still found in older transcripts (Anthropic list prices)
  { id: 'claude-3-7-sonnet', ...r(3, 3.75, 6, 0.3, 15) },
  { id: 'claude-3-5-sonnet', ...r(3, 3.75, 6, 0.3, 15) },
  { id: 'claude-3-opus', ...r(15, 18.75, 30, 1.5, 75) },
  // late-2026 models
  { id: 'claude-sonnet-5', ...r(2, 2.5, 4, 0.2, 10), geoPremium: true },
  { id: 'claude-opus-5', ...r(5, 6.25, 10, 0.5, 25), fastMultiplier: 2, geoPremium: true },
  { id: 'claude-fable-5', ...r(10, 12.5, 20, 1, 50), geoPremium: true, aliases: ['claude-mythos-5'] },
  { id: 'claude-fable-5-1', ...r(10, 12.5, 20, 0.25, 50), geoPremium: true, aliases: ['claude-mythos-5-1'] },
  { id: 'claude-opus-5-5', ...r(4, 5, 8, 0.2, 20), fastMultiplier: 2, geoPremium: true },
  {
    id: 'claude-sonnet-5-5',
    ...r(2, 2.5, 4, 0.2, 10),
    geoPremium: true,
    changes: [{ since: '2026-10-07', rates: { cacheRead: 0.1 } }],
  },
  {
    id: 'claude-haiku-5-5',
    ...r(0.1, 0.125, 0.2, 0.01, 0.5),
    // only input and output change above 100K (cache tokens count toward the threshold)
    longContext: { threshold: 100_000, ...r(0.5, 0.125, 0.2, 0.01, 2.5) },
    geoPremium: true,
  },
];

const BY_ID = new Map<string, ModelPrice>();
for (const p of PRICING_TABLE) {
  BY_ID.set(p.id, p);
  for (const a of p.aliases ?? []) BY_ID.set(a, p);
}

/** Strip provider prefixes and version/date/context suffixes; dotted versions become dashed. */
function normalizeModelId(model: string): string {
  let m = model.trim().toLowerCase();
  m = m.replace(/\[[^\]]*\]$/, ''); // [1m]
  const slash = m.lastIndexOf('/');
  if (slash >= 0) m = m.slice(slash + 1); // anthropic/, openrouter/anthropic/, bedrock/...
  m = m.replace(/^(?:[a-z]{2,6}\.)?anthropic\./, ''); // us.anthropic., anthropic.
  m = m.replace(/-v\d+(?::\d+)?$/, ''); // bedrock -v1:0
  m = m.replace(/@.*$/, ''); // vertex @20250929
  m = m.replace(/-(?:\d{8}|latest)$/, ''); // date suffix
  m = m.replace(/(\d)\.(\d)/g, '$1-$2'); // claude-sonnet-4.5
  return m;
}

/** Spellings already looked up (a handful in practice; bounded against a stream of odd ids). */
const FOUND = new Map<string, ModelPrice | null>();
const FOUND_MAX = 512;

/** The table entry for a model id, or null when unknown. */
export function findModelPrice(model: string): ModelPrice | null {
  if (typeof model !== 'string' || model === '') return null;
  const exact = BY_ID.get(model);
  if (exact !== undefined) return exact;
  const hit = FOUND.get(model);
  if (hit !== undefined) return hit;
  const norm = normalizeModelId(model);
  const found = BY_ID.get(norm) ?? BY_ID.get(normalizeModelId(norm)) ?? null;
  if (FOUND.size >= FOUND_MAX) FOUND.clear();
  FOUND.set(model, found);
  return found;
}

/** Canonical table id of a model, or null when unknown. */
export function canonicalModelId(model: string): string | null {
  return findModelPrice(model)?.id ?? null;
}

export function isKnownModel(model: string): boolean {
  return model === SYNTHETIC_MODEL || findModelPrice(model) !== null;
}

export interface PriceOptions {
  speed?: string | null;
  inferenceGeo?: string | null;
  /** server_tool_use.web_search_requests, billed per search. */
  webSearchRequests?: number | null;
  /** When the request ran (ISO); selects effective-dated rates. */
  ts?: string | null;
}

function ratesAt(p: ModelPrice, ts: string | null | undefined): Rates {
  let rates: Rates = p;
  if (p.changes !== undefined && typeof ts === 'string' && ts !== '') {
    for (const c of p.changes) if (ts >= c.since) rates = { ...rates, ...c.rates };
  }
  return rates;
}

/** Token counts of nothing: a base to spread the few counts a caller knows onto. */
export function emptyTokens(): TokenCounts {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheCreation5mTokens: 0,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
  };
}

/** What `tokens` of plain input cost with `model`; 0 when the model is not known (never guessed). */
export function inputTokensCostUsd(model: string | null, tokens: number): number {
  return model ? priceUsage(model, { ...emptyTokens(), inputTokens: tokens }).costUsd : 0;
}

/** Cost of one deduplicated API response (long-context tier, then fast and US-geo multipliers). */
export function priceUsage(
  model: string,
  t: TokenCounts,
  opts: PriceOptions = {},
): { costUsd: number; priced: boolean } {
  if (model === SYNTHETIC_MODEL) return { costUsd: 0, priced: true };
  const p = findModelPrice(model);
  if (p === null) return { costUsd: 0, priced: false };
  const totalIn = t.inputTokens + t.cacheCreationTokens + t.cacheReadTokens;
  const tier: Rates =
    p.longContext !== undefined && totalIn > p.longContext.threshold ? p.longContext : ratesAt(p, opts.ts);
  const w1h = t.cacheCreation1hTokens;
  const w5 = Math.max(t.cacheCreation5mTokens, t.cacheCreationTokens - w1h);
  let usd =
    (t.inputTokens * tier.input +
      t.outputTokens * tier.output +
      w5 * tier.cacheWrite5m +
      w1h * tier.cacheWrite1h +
      t.cacheReadTokens * tier.cacheRead) /
    1_000_000;
  if (opts.speed === 'fast' && p.fastMultiplier !== undefined) usd *= p.fastMultiplier;
  if (opts.inferenceGeo === 'us' && p.geoPremium === true) usd *= US_GEO_MULTIPLIER;
  const searches = opts.webSearchRequests ?? 0;
  if (searches > 0) usd += searches * WEB_SEARCH_USD_PER_REQUEST;
  return { costUsd: usd, priced: true };
}
