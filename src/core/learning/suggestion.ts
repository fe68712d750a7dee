/**
 * The suggestion issue for a discovered pattern: title, Markdown body and labels,
 * rendered by a pure function (no clock, no I/O). The body carries the signature in a hidden marker
 * `<!-- outloop:signature=SIG -->` so an issue can be matched back to its pattern without parsing the title.
 */
import { implementationEffort, priorityOf, roi, type Priority } from './discovery.js';
import type { PatternKind } from '../types.js';

export interface SuggestionInput {
  signature: string;
  kind: PatternKind;
  occurrences: number;
  occurrences30d: number;
  confidence: number;
  avgTokensWithLlm: number;
  avgTokensWithTool: number;
  tokenBasis: 'measured' | 'estimated';
  avgCostWithLlmUsd: number;
  avgCostWithToolUsd: number;
  monthlySavingsUsd: number;
  examples: string[];
  firstSeen: string;
  lastSeen: string;
  model: string | null;
}

export interface Suggestion {
  title: string;
  body: string;
  labels: string[];
  priority: Priority;
}

export const MAX_EXAMPLES = 3;
export const MAX_EXAMPLE_CHARS = 200;

const MARKER_SAFE = /[A-Za-z0-9:._>/+=@-]/;

/** The hidden marker; characters outside a safe set (and `--`) are %-encoded so the comment stays closed. */
export function signatureMarker(signature: string): string {
  let v = '';
  for (const ch of signature) v += MARKER_SAFE.test(ch) ? ch : encodeURIComponent(ch);
  return `<!-- outloop:signature=${v.replace(/--/g, '-%2D')} -->`;
}

/** The signature in a body's marker, or null. */
export function parseSignatureMarker(body: string): string | null {
  const m = /<!-- outloop:signature=(\S+) -->/.exec(body);
  if (m?.[1] === undefined) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

/** A fence longer than any backtick run inside `text`, so examples can never close it. */
function fenced(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const tick = '`'.repeat(longest + 1);
  return longest > 0 ? `${tick} ${text} ${tick}` : `${tick}${text}${tick}`;
}

function truncate(text: string, max: number): string {
  const t = text.replace(/\r\n?/g, '\n');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** `$1,234.50`; amounts under a cent keep 4 decimals (`$0.0042`). */
export function usd(x: number): string {
  const v = Number.isFinite(x) ? x : 0;
  const a = Math.abs(v);
  const [whole = '0', frac = ''] = a.toFixed(a !== 0 && a < 0.01 ? 4 : 2).split('.');
  return `${v < 0 ? '-' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}
const int = (x: number): string => String(Math.round(Number.isFinite(x) ? x : 0)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** `run_test_pytest_backend` style tool name from a signature (at most 60 characters). */
export function toolNameFor(signature: string): string {
  const name = signature
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `run_${name}`.slice(0, 60).replace(/_+$/, '');
}

function triggerFor(signature: string): string {
  return signature
    .toLowerCase()
    .replace(/^(fix|seq):/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\b(all|other)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const KIND_TEXT: Record<PatternKind, string> = {
  command: 'a single command run again and again',
  sequence: 'the same sequence of operations across sessions',
  fix_loop: 'a fix loop: the command fails, files are edited, the same command passes',
  workflow: 'an ADW workflow operation',
};

export function renderSuggestion(p: SuggestionInput): Suggestion {
  const effort = implementationEffort(p.signature);
  const r = roi(p.monthlySavingsUsd, effort.costUsd);
  const priority = priorityOf(p.monthlySavingsUsd, p.confidence, effort.costUsd);
  const perUse = p.avgCostWithLlmUsd - p.avgCostWithToolUsd;
  // floor: 99.5% is shown as 99%, never as a full 100%
  const reduction = p.avgTokensWithLlm > 0 ? Math.floor((1 - p.avgTokensWithTool / p.avgTokensWithLlm) * 100) : 0;
  const name = toolNameFor(p.signature);
  const basis =
    p.tokenBasis === 'measured'
      ? 'Token figures are **measured** from usage records and routed runs.'
      : 'Token figures are **estimated** from output sizes (about 4 bytes per token): treat the savings as an estimate.';
  const payback = Number.isFinite(r.paybackMonths) ? `${r.paybackMonths.toFixed(1)} months` : 'never (no savings yet)';
  const roiText = Number.isFinite(r.roiPct) ? `${Math.round(r.roiPct)}%` : 'n/a';
  const examples = p.examples.filter((e) => e.trim() !== '').slice(0, MAX_EXAMPLES);
  const sig = `'${p.signature.replace(/'/g, `'\\''`)}'`;

  const lines = [
    signatureMarker(p.signature),
    `## 🤖 Automation opportunity: ${code(p.signature)}`,
    '',
    `- **Pattern:** ${code(p.signature)} (${p.kind})`,
    `- **Frequency:** ${int(p.occurrences)} occurrences, ${int(p.occurrences30d)} in the last 30 days`,
    `- **Confidence:** ${int(p.confidence)}%`,
    '',
    '### 💰 Cost analysis',
    '',
    basis,
    '',
    '| per use | tokens | cost |',
    '|---|---:|---:|',
    `| with the LLM | ${int(p.avgTokensWithLlm)} | ${usd(p.avgCostWithLlmUsd)} |`,
    `| with a tool | ${int(p.avgTokensWithTool)} | ${usd(p.avgCostWithToolUsd)} |`,
    `| saved | ${int(p.avgTokensWithLlm - p.avgTokensWithTool)} (${reduction}%) | ${usd(perUse)} |`,
    '',
    `Priced with ${p.model === null ? 'an unknown model (default prices)' : code(p.model)}.`,
    '',
    '### 📈 ROI',
    '',
    `- Monthly savings: ${usd(r.monthlyUsd)} (${int(p.occurrences30d)} uses in the last 30 days × ${usd(perUse)})`,
    `- Annual savings: ${usd(r.annualUsd)}`,
    `- Implementation effort: about ${effort.hours} hours (${usd(effort.costUsd)} at $25/h)`,
    `- Payback period: ${payback}`,
    `- ROI: ${roiText}`,
    `- **Priority: ${priority.toUpperCase()}**`,
    '',
    '### 📊 Characteristics',
    '',
    `- What repeats: ${KIND_TEXT[p.kind] ?? p.kind}`,
    `- First seen: ${p.firstSeen}; last seen: ${p.lastSeen}`,
    `- Occurrences: ${int(p.occurrences)} (distinct sessions or workflows), ${int(p.occurrences30d)} in the last 30 days`,
    '',
    '### Sample inputs',
    '',
    examples.length === 0
      ? '_No sample inputs recorded._'
      : examples.map((e) => fenced(truncate(e, MAX_EXAMPLE_CHARS))).join('\n\n'),
    '',
    '### 🛠️ Implementation guide',
    '',
    `1. Write a deterministic script that does what the samples above do, without the model.`,
    '2. Make it print one JSON object: `{"success": true, "summary": {}, "failures": [], "next_steps": []}`, compact (the point is fewer tokens).',
    '3. Exit non-zero on failure so the router falls back to the LLM.',
    '4. Register it:',
    '',
    '```sh',
    `outloop tools register --name ${name} --signature ${sig} --trigger "${triggerFor(p.signature)}" -- ./scripts/${name}.sh`,
    '```',
    '',
    '5. Test it on the sample inputs and compare with what the agent produced.',
    '',
    '### 🎯 Next steps',
    '',
    '1. Review this suggestion.',
    '2. Implement the script and register it (above).',
    '3. Approve the pattern: `outloop approve <id>`; it becomes active once the tool is enabled.',
    '4. Monitor for a week: success rate, tokens saved, fallbacks.',
    '5. Close this issue with the label `implemented`.',
    '',
    `_outloop suggestion: ${p.tokenBasis} token basis, confidence ${int(p.confidence)}%, data ${p.firstSeen} to ${p.lastSeen}._`,
  ];
  return {
    title: `🤖 Automation Opportunity: ${p.signature.replace(/\p{Cc}+/gu, ' ')}`,
    body: `${lines.join('\n')}\n`,
    labels: ['automation-candidate', 'cost-optimization', `priority-${priority}`],
    priority,
  };
}
