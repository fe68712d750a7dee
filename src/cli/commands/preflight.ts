import { METHODS, type PreflightParams, type PreflightResult } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError, UsageError } from '../shared.js';
import { requestText } from './route.js';

const spec = {
  name: 'preflight',
  usage: 'outloop preflight TEXT... | --file F [--workflow-type T] [--priority low|normal|high] [--json]',
  summary:
    'Before a workflow spends tokens: start, throttle, split, needs_approval or reject, with reasons, the input analysis, ' +
    "the token and cost estimate from similar past runs, the quota forecast and the budget. Exit 0 for every decision: read 'decision' from --json.",
  options: {
    ...DAEMON_CLIENT_OPTIONS,
    file: { type: 'string' },
    'workflow-type': { type: 'string' },
    priority: { type: 'string' },
  },
  positionals: { min: 0, max: Infinity },
} as const;

const PRIORITIES = ['low', 'normal', 'high'] as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  try {
    const input = requestText(parsed.positionals, v.file, 'work item');
    if (v.priority !== undefined && !(PRIORITIES as readonly string[]).includes(v.priority)) {
      throw new UsageError(`--priority must be one of ${PRIORITIES.join(', ')}`);
    }
    const result = await withDaemon(!v['no-autostart'], (c) =>
      c.request(METHODS.preflight, {
        input,
        ...(v['workflow-type'] ? { workflowType: v['workflow-type'] } : {}),
        ...(v.priority ? { priority: v.priority as NonNullable<PreflightParams['priority']> } : {}),
      }),
    );
    if (v.json) printJson(result);
    else process.stdout.write(render(result));
    return EXIT.ok;
  } catch (e) {
    return reportError('preflight', e, v.json);
  }
}

const n = (v: number): string => v.toLocaleString('en-US');

function render(r: PreflightResult): string {
  const a = r.analysis;
  const e = r.estimate;
  const b = r.budget;
  const q = r.quota;
  const lines = [`decision: ${r.decision}`, ...r.reasons.map((x) => `  - ${x}`), ''];
  lines.push(
    `input      ${n(a.words)} words, ${n(a.concernCount)} concern(s)${a.splitRecommended ? ' · split recommended' : ''}`,
  );
  a.proposedParts.forEach((p, i) => lines.push(`  part ${i + 1}: ${p.replace(/\s+/g, ' ').slice(0, 100)}`));
  lines.push(
    `estimate   ${n(e.tokens)} tokens, $${e.costUsd.toFixed(2)} (${e.basis}, ${n(e.sampleSize)} similar run(s), ${e.confidence} confidence)`,
  );
  if (e.noSimilarReason !== undefined) lines.push(`           ${e.noSimilarReason}`);
  lines.push(
    `budget     ${n(b.pctOfBudget)}% of ${n(b.tokenBudget)} tokens${b.needsApproval ? ' · approval needed' : ''}`,
  );
  if ('error' in q) lines.push(`quota      unavailable: ${q.error}`);
  else lines.push(`quota      risk ${q.risk}, projected ${n(q.projectedPct)}% of the monthly limit (${q.provenance})`);
  return `${lines.join('\n')}\n`;
}
