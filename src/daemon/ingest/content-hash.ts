import { createHash } from 'node:crypto';

/** A short content hash for dedup keys (native: hook logs carry payloads of hundreds of KB). */
export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}
