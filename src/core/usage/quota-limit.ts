/** The monthly token limit a forecast is measured against, from the environment. */
import type { QuotaLimitSource } from './forecast-types.js';

export const DEFAULT_QUOTA_LIMIT = 300_000_000;

function parsePositiveInt(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const s = raw.trim();
  if (!/^\d+$/.test(s)) return null;
  const v = Number(s);
  return Number.isSafeInteger(v) && v > 0 ? v : null;
}

/** OUTLOOP_QUOTA_LIMIT, else ANTHROPIC_QUOTA_LIMIT, else 300M; only positive integers count. */
export function resolveQuotaLimit(env: Record<string, string | undefined>): {
  limit: number;
  source: QuotaLimitSource;
} {
  const own = parsePositiveInt(env['OUTLOOP_QUOTA_LIMIT']);
  if (own !== null) return { limit: own, source: 'OUTLOOP_QUOTA_LIMIT' };
  const anthropic = parsePositiveInt(env['ANTHROPIC_QUOTA_LIMIT']);
  if (anthropic !== null) return { limit: anthropic, source: 'ANTHROPIC_QUOTA_LIMIT' };
  return { limit: DEFAULT_QUOTA_LIMIT, source: 'default' };
}
