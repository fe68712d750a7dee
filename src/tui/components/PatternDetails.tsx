import { Box, Text } from 'ink';
import { OFFLOADABLE_STATUSES } from '../../core/offload/family.js';
import { sequenceParts } from '../../core/learning/sequences.js';
import type { PatternDetail, PatternSummary } from '../../rpc/protocol.js';
import { formatDateTime, formatPct, formatTokens, formatUsd } from '../format.js';
import { useTheme } from '../theme.js';

export interface PatternDetailsProps {
  readonly id: number;
  /** Null until `patterns/get` answers (or when it fails). */
  readonly detail: PatternDetail | null;
  /** The list row, shown while the detail loads. */
  readonly summary: PatternSummary | undefined;
  readonly error: string | undefined;
  readonly height: number;
}

const MAX_EXAMPLES = 3;
const MAX_REVIEWS = 4;

function Line({ label, children }: { readonly label: string; readonly children: string }) {
  const theme = useTheme();
  return (
    <Text wrap="truncate-end">
      <Text color={theme.muted}>{label.padEnd(11)}</Text>
      {children}
    </Text>
  );
}

function Section({ title }: { readonly title: string }) {
  const theme = useTheme();
  return (
    <Text bold color={theme.accent}>
      {title}
    </Text>
  );
}

/**
 * How often the pattern was seen (sessions in 30 days and all time, runs in all) and, only where
 * something can route it (a tool or offload) or did, how many runs went around the LLM.
 */
function usesLine(p: PatternSummary): string {
  const seen = `${p.occurrences30d} in 30 d · ${p.occurrences} all time · ${p.uses} runs`;
  if (p.toolName === null && !p.offload && p.routedRuns === 0) return `${seen} · none routed (no tool, no offload)`;
  return `${seen} · ${p.routedRuns} routed`;
}

function offloadLine(p: PatternSummary): string {
  if (p.offload) return `on · runs through outloop run, compacted as ${p.offloadFamily ?? 'generic'} · o turns it off`;
  if (p.offloadFamily === null) return 'no: no compactor reads this command';
  if (!OFFLOADABLE_STATUSES.includes(p.status))
    return `off · approve it to offload it (compacted as ${p.offloadFamily})`;
  return `off · o turns it on (compacted as ${p.offloadFamily})`;
}

/** A sequence's full steps, one a line (the table shows a short label). */
function Steps({ signature }: { readonly signature: string }) {
  const parts = sequenceParts(signature);
  if (parts === null) return null;
  return (
    <>
      {parts.map((step, i) => (
        <Line key={i} label={i === 0 ? `steps (${parts.length})` : ''}>{`${i + 1}. ${step}`}</Line>
      ))}
    </>
  );
}

export function PatternDetails({ id, detail, summary, error, height }: PatternDetailsProps) {
  const theme = useTheme();
  const p: PatternSummary | undefined = detail ?? summary;
  if (p === undefined) {
    return (
      <Box height={height} flexDirection="column">
        <Text color={error === undefined ? theme.muted : theme.danger}>{error ?? `loading pattern #${id}…`}</Text>
      </Box>
    );
  }
  const breakdown = detail
    ? Object.entries(detail.confidenceBreakdown)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ')
    : '';
  const tool = detail?.tool ?? null;
  const profile = detail?.contextProfile ?? null;
  return (
    <Box height={height} flexDirection="column" overflow="hidden">
      <Text wrap="truncate-end" bold>
        #{p.id} {p.signature}
      </Text>
      <Text wrap="truncate-end">
        <Text color={theme.status[p.status]}>{p.status}</Text>
        {` · ${p.kind} · confidence ${Math.round(p.confidence)}${breakdown ? ` (${breakdown})` : ''}`}
      </Text>
      <Steps signature={p.signature} />
      <Line label="uses">{usesLine(p)}</Line>
      <Line label="savings">{`${formatUsd(p.monthlySavingsUsd)}/month · LLM ${formatTokens(p.avgTokensWithLlm)} tok (${p.tokenBasis}) vs tool ${formatTokens(p.avgTokensWithTool)} tok (${p.toolTokenBasis})`}</Line>
      <Line label="offload">{offloadLine(p)}</Line>
      <Line label="seen">{`${formatDateTime(p.firstSeen)} → ${formatDateTime(p.lastSeen)}${p.model ? ` · ${p.model}` : ''}`}</Line>
      {error !== undefined && detail === null ? <Text color={theme.danger}>{`details: ${error}`}</Text> : null}
      {detail === null && error === undefined ? <Text color={theme.muted}>loading details…</Text> : null}
      <Section title="Examples" />
      {p.examples.length === 0 ? <Text color={theme.muted}> none recorded</Text> : null}
      {p.examples.slice(0, MAX_EXAMPLES).map((ex, i) => (
        <Text key={i} wrap="truncate-end">
          {`  ${ex.replace(/\s+/g, ' ')}`}
        </Text>
      ))}
      {detail !== null ? (
        <>
          <Section title="Reviews" />
          {detail.reviews.length === 0 ? <Text color={theme.muted}> none yet</Text> : null}
          {detail.reviews.slice(-MAX_REVIEWS).map((r) => (
            <Text key={r.id} wrap="truncate-end">
              {`  ${formatDateTime(r.ts)} ${r.actor} ${r.action}: ${r.from ?? '∅'} → ${r.to}${r.note ? ` "${r.note}"` : ''}`}
            </Text>
          ))}
          <Section title="Tool" />
          <Text wrap="truncate-end" color={tool === null ? theme.muted : undefined}>
            {tool === null
              ? `  ${p.toolName ?? 'no tool linked'}`
              : `  ${tool.name} ${tool.enabled ? 'enabled' : `disabled${tool.disabledReason ? ` (${tool.disabledReason})` : ''}`} · ${tool.runs} runs · success ${tool.successRate === null ? '—' : formatPct(tool.successRate * 100)} · ${tool.argv.join(' ')}`}
          </Text>
          <Section title="Context profile" />
          <Text wrap="truncate-end" color={profile === null ? theme.muted : undefined}>
            {profile === null
              ? '  none'
              : `  ${profile.samples} samples · loads ${formatTokens(profile.avgTokensLoaded)} uses ${formatTokens(profile.avgTokensUsed)} · saves ~${formatTokens(profile.estimatedTokensSaved)} tok`}
          </Text>
          {profile !== null && profile.globs.length > 0 ? (
            <Text wrap="truncate-end">{`  globs: ${profile.globs.join(' ')}`}</Text>
          ) : null}
          {p.issueUrl ? <Line label="issue">{p.issueUrl}</Line> : null}
        </>
      ) : null}
    </Box>
  );
}
