import type { ToolInfo } from '../../rpc/protocol.js';
import type { Store } from '../store/store.js';
import type { ToolRow } from '../store/tools-repo.js';

/** A registered tool as the wire shows it; routable = enabled and linked to an approved or active pattern. */
export function toToolInfo(store: Store, t: ToolRow): ToolInfo {
  const pattern = store.patterns.bySignature(t.signature);
  const routable =
    t.enabled === 1 && pattern !== null && (pattern.status === 'approved' || pattern.status === 'active');
  return {
    id: t.id,
    name: t.name,
    signature: t.signature,
    patternId: pattern?.id ?? null,
    patternStatus: pattern?.status ?? null,
    argv: JSON.parse(t.argv) as string[],
    resolvedPath: t.resolved_path,
    triggers: JSON.parse(t.triggers) as string[],
    timeoutMs: t.timeout_ms,
    outputCapBytes: t.output_cap_bytes,
    cwdPolicy: t.cwd_policy,
    cwd: t.cwd,
    enabled: t.enabled === 1,
    disabledReason: t.disabled_reason,
    runs: t.runs,
    successes: t.successes,
    successRate: t.runs > 0 ? Math.round((t.successes / t.runs) * 1000) / 1000 : null,
    routable,
  };
}
