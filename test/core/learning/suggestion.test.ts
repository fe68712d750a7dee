import { describe, expect, it } from 'vitest';
import {
  parseSignatureMarker,
  renderSuggestion,
  signatureMarker,
  toolNameFor,
  usd,
  type SuggestionInput,
} from '../../../src/core/learning/suggestion.js';

const input: SuggestionInput = {
  signature: 'test:pytest:backend',
  kind: 'command',
  occurrences: 42,
  occurrences30d: 30,
  confidence: 88,
  avgTokensWithLlm: 48_000,
  avgTokensWithTool: 230,
  tokenBasis: 'estimated',
  avgCostWithLlmUsd: 0.144,
  avgCostWithToolUsd: 0.0007,
  monthlySavingsUsd: 4.299,
  examples: ['cd app/server && uv run pytest tests/ -x', 'echo ```weird``` `x`', ''],
  firstSeen: '2026-10-01T09:00:00Z',
  lastSeen: '2026-11-02T17:30:00Z',
  model: 'claude-sonnet-4-5-20250929',
};

const EXPECTED_BODY = `<!-- outloop:signature=test:pytest:backend -->
## 🤖 Automation opportunity: \`test:pytest:backend\`

- **Pattern:** \`test:pytest:backend\` (command)
- **Frequency:** 42 occurrences, 30 in the last 30 days
- **Confidence:** 88%

### 💰 Cost analysis

Token figures are **estimated** from output sizes (about 4 bytes per token): treat the savings as an estimate.

| per use | tokens | cost |
|---|---:|---:|
| with the LLM | 48,000 | $0.14 |
| with a tool | 230 | $0.0007 |
| saved | 47,770 (99%) | $0.14 |

Priced with \`claude-sonnet-4-5-20250929\`.

### 📈 ROI

- Monthly savings: $4.30 (30 uses in the last 30 days × $0.14)
- Annual savings: $51.59
- Implementation effort: about 3 hours ($75.00 at $25/h)
- Payback period: 17.4 months
- ROI: -31%
- **Priority: LOW**

### 📊 Characteristics

- What repeats: a single command run again and again
- First seen: 2026-10-01T09:00:00Z; last seen: 2026-11-02T17:30:00Z
- Occurrences: 42 (distinct sessions or workflows), 30 in the last 30 days

### Sample inputs

\`\`\`text
cd app/server && uv run pytest tests/ -x
\`\`\`

\`\`\`\`text
echo \`\`\`weird\`\`\` \`x\`
\`\`\`\`

### 🛠️ Implementation guide

1. Write a deterministic script that does what the samples above do, without the model.
2. Make it print one JSON object: \`{"success": true, "summary": {}, "failures": [], "next_steps": []}\`, compact (the point is fewer tokens).
3. Exit non-zero on failure so the router falls back to the LLM.
4. Register it:

\`\`\`sh
outloop tools register --name run_test_pytest_backend --signature 'test:pytest:backend' --trigger "test pytest backend" -- ./scripts/run_test_pytest_backend.sh
\`\`\`

5. Test it on the sample inputs and compare with what the agent produced.

### 🎯 Next steps

1. Review this suggestion.
2. Implement the script and register it (above).
3. Approve the pattern: \`outloop approve <id>\`; it becomes active once the tool is enabled.
4. Monitor for a week: success rate, tokens saved, fallbacks.
5. Close this issue with the label \`implemented\`.

_outloop suggestion: estimated token basis, confidence 88%, data 2026-10-01T09:00:00Z to 2026-11-02T17:30:00Z._
`;

describe('renderSuggestion', () => {
  it('renders the whole issue exactly', () => {
    const s = renderSuggestion(input);
    expect(s.title).toBe('🤖 Automation Opportunity: test:pytest:backend');
    expect(s.labels).toEqual(['automation-candidate', 'cost-optimization', 'priority-low']);
    expect(s.priority).toBe('low');
    expect(s.body).toBe(EXPECTED_BODY);
  });

  it.each<[string, Partial<SuggestionInput>, string]>([
    ['high: $40/month at 90%', { monthlySavingsUsd: 40, confidence: 90 }, 'high'],
    ['confidence 80 caps at medium', { monthlySavingsUsd: 40, confidence: 80 }, 'medium'],
    ['medium: $15/month', { monthlySavingsUsd: 15, confidence: 90 }, 'medium'],
    [
      'format patterns are cheaper to build: $20 is high',
      { signature: 'format:prettier:all', monthlySavingsUsd: 20, confidence: 90 },
      'high',
    ],
    ['low: $1/month', { monthlySavingsUsd: 1, confidence: 95 }, 'low'],
  ])('priority %s', (_name, patch, priority) => {
    const s = renderSuggestion({ ...input, ...patch });
    expect(s.priority).toBe(priority);
    expect(s.labels).toEqual(['automation-candidate', 'cost-optimization', `priority-${priority}`]);
    expect(s.body).toContain(`- **Priority: ${priority.toUpperCase()}**`);
  });

  it.each<[string, Partial<SuggestionInput>, string]>([
    [
      'measured basis',
      { tokenBasis: 'measured' },
      'Token figures are **measured** from usage records and routed runs.',
    ],
    [
      'estimated basis',
      { tokenBasis: 'estimated' },
      'Token figures are **estimated** from output sizes (about 4 bytes per token): treat the savings as an estimate.',
    ],
    ['unknown model', { model: null }, 'Priced with an unknown model (default prices).'],
    [
      'no examples',
      { examples: [] },
      '### Sample inputs\n\n_No sample inputs recorded._\n\n### 🛠️ Implementation guide',
    ],
    ['no savings: payback never', { monthlySavingsUsd: 0 }, '- Payback period: never (no savings yet)'],
    ['every section, in order', {}, '### 💰 Cost analysis'],
    [
      'a sequence signature is single-quoted for the shell',
      { signature: 'seq:git:status:all>test:pytest:all', kind: 'sequence' },
      `outloop tools register --name run_seq_git_status_all_test_pytest_all --signature 'seq:git:status:all>test:pytest:all' --trigger "git status test pytest" -- ./scripts/run_seq_git_status_all_test_pytest_all.sh`,
    ],
    [
      'fix loop text',
      { signature: 'fix:lint:ruff:backend', kind: 'fix_loop' },
      '- What repeats: a fix loop: the command fails, files are edited, the same command passes',
    ],
    [
      'fix loops take 6 hours',
      { signature: 'fix:lint:ruff:backend', kind: 'fix_loop' },
      '- Implementation effort: about 6 hours ($150.00 at $25/h)',
    ],
  ])('%s', (_name, patch, fragment) => {
    expect(renderSuggestion({ ...input, ...patch }).body).toContain(fragment);
  });

  it('has its sections in order', () => {
    const body = renderSuggestion(input).body;
    const order = [
      'Cost analysis',
      'ROI',
      'Characteristics',
      'Sample inputs',
      'Implementation guide',
      'Next steps',
    ].map((h) => body.indexOf(`${h}\n`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it.each<[string, string, string]>([
    ['plain', 'npm test', '```text\nnpm test\n```'],
    ['triple backticks inside', 'echo ```x```', '````text\necho ```x```\n````'],
    ['a run of five', 'a `````b', '``````text\na `````b\n``````'],
    ['truncated at 200 characters', 'x'.repeat(500), `\`\`\`text\n${'x'.repeat(199)}…\n\`\`\``],
    ['CRLF normalised', 'a\r\nb', '```text\na\nb\n```'],
  ])('sample inputs are fenced safely: %s', (_name, example, block) => {
    expect(renderSuggestion({ ...input, examples: [example] }).body).toContain(`### Sample inputs\n\n${block}\n\n###`);
  });

  it('shows at most 3 samples', () => {
    const body = renderSuggestion({ ...input, examples: ['a1', 'a2', 'a3', 'a4'] }).body;
    expect(body).toContain('a3');
    expect(body).not.toContain('a4');
  });

  it('a title never spans lines', () => {
    expect(renderSuggestion({ ...input, signature: 'a\nb' }).title).toBe('🤖 Automation Opportunity: a b');
  });
});

describe('signature marker', () => {
  it.each<[string, string]>([
    ['test:pytest:backend', '<!-- outloop:signature=test:pytest:backend -->'],
    ['seq:git:status:all>test:pytest:all', '<!-- outloop:signature=seq:git:status:all>test:pytest:all -->'],
    ['x --> y', '<!-- outloop:signature=x%20-%2D>%20y -->'],
    ['ünï', '<!-- outloop:signature=%C3%BCn%C3%AF -->'],
  ])('%j', (sig, marker) => {
    expect(signatureMarker(sig)).toBe(marker);
    expect(parseSignatureMarker(`text\n${marker}\nmore`)).toBe(sig);
  });

  it.each<[string]>([['no marker here'], ['<!-- outloop:signature=%E0%A4%A -->']])('parse %j → null', (body) => {
    expect(parseSignatureMarker(body)).toBeNull();
  });

  it('the rendered body starts with the marker', () => {
    expect(parseSignatureMarker(renderSuggestion(input).body)).toBe('test:pytest:backend');
  });
});

describe('formatting helpers', () => {
  it.each<[number, string]>([
    [0, '$0.00'],
    [0.0042, '$0.0042'],
    [1.5, '$1.50'],
    [1234.5, '$1,234.50'],
    [-0.25, '-$0.25'],
    [Number.NaN, '$0.00'],
  ])('usd(%d) = %s', (x, s) => {
    expect(usd(x)).toBe(s);
  });

  it.each<[string, string]>([
    ['test:pytest:backend', 'run_test_pytest_backend'],
    ['fix:lint:ruff:all', 'run_fix_lint_ruff_all'],
    ['seq:a:b:all>c:d:all>e:f:all>g:h:all>i:j:all', 'run_seq_a_b_all_c_d_all_e_f_all_g_h_all_i_j_all'],
    [`other:${'x'.repeat(80)}:all`, `run_other_${'x'.repeat(50)}`],
  ])('toolNameFor(%s)', (sig, name) => {
    expect(toolNameFor(sig)).toBe(name);
  });
});
