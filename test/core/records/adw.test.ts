import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import {
  agentPhase,
  assembleWorkflowRun,
  extractIssueText,
  inferWorkflowType,
  isAdwId,
  parseAdwState,
  summarizeAgentOutput,
} from '../../../src/core/records/adw.js';
import type { AdwState, AgentSummary } from '../../../src/core/records/adw.js';

const dir = new URL('../../fixtures/adw/', import.meta.url);
const read = (rel: string): string => readFileSync(new URL(rel, dir), 'utf8');
const M = 'claude-sonnet-4-5-20250929';

function state(rel: string): AdwState {
  const r = parseAdwState(read(rel));
  if (!r.ok) throw new Error(r.reason);
  return r.state;
}

describe('isAdwId (quirk 11)', () => {
  it.each([
    ['a1b2c3d4', true],
    ['adw-3af4a34d', true],
    ['adw_1732112345_9f3c2a', true],
    ['adw-20251121-140211', true],
    ['A1B2C3D4', false],
    ['a1b2c3d', false],
    ['a1b2c3d4e', false],
    ['security_logs', false],
    ['port_allocations.json', false],
    ['adw_abc_9f3c2a', false],
    ['adw-2025112-140211', false],
    ['', false],
  ])('%j → %j', (s, ok) => {
    expect(isAdwId(s)).toBe(ok);
  });
});

describe('parseAdwState (quirks 12, 13)', () => {
  it.each<[string, Omit<AdwState, 'raw'>]>([
    [
      'states/tac5.json',
      {
        adwId: 'a1b2c3d4',
        issueNumber: 5,
        issueClass: 'chore',
        workflowType: null,
        modelSet: null,
        branchName: 'feat-issue-5-adw-a1b2c3d4-add-version-info-cli',
        nlInput: null,
        startedAt: null,
        endedAt: null,
      },
    ],
    [
      'states/tac7.json',
      {
        adwId: 'cc73faf1',
        issueNumber: 47,
        issueClass: 'feature',
        workflowType: 'plan_build_test',
        modelSet: 'heavy',
        branchName: 'feature-issue-47-adw-cc73faf1-update-upload-button',
        nlInput: null,
        startedAt: null,
        endedAt: null,
      },
    ],
    [
      'states/head.json',
      {
        adwId: '7c1e9a42',
        issueNumber: 58,
        issueClass: 'feature',
        workflowType: 'sdlc',
        modelSet: 'base',
        branchName: 'feature-issue-58-adw-7c1e9a42-add-csv-export',
        nlInput: 'Add a CSV export button to the query results table',
        startedAt: '2025-11-21T14:02:11.482Z',
        endedAt: null,
      },
    ],
    [
      'states/mostly-null.json',
      {
        adwId: 'adw-3af4a34d',
        issueNumber: 83,
        issueClass: null,
        workflowType: null,
        modelSet: null,
        branchName: null,
        nlInput: null,
        startedAt: null,
        endedAt: null,
      },
    ],
    [
      'states/other-schema.json',
      {
        adwId: 'adw_1732112345_9f3c2a',
        issueNumber: 12,
        issueClass: null,
        workflowType: 'plan_build',
        modelSet: 'lightweight',
        branchName: 'fix-issue-12',
        nlInput: 'The login e2e test fails one run in five.',
        startedAt: '2025-11-20T10:00:00.000Z',
        endedAt: null,
      },
    ],
  ])('%s', (rel, expected) => {
    const { raw, ...rest } = state(rel);
    expect(rest).toEqual(expected);
    expect(raw).toEqual(JSON.parse(read(rel)));
  });

  it.each([
    ['states/truncated.json', 'invalid-json'],
    ['states/empty.json', 'empty'],
  ])('%s → %s (retry later)', (rel, reason) => {
    expect(parseAdwState(read(rel))).toEqual({ ok: false, reason });
  });

  it.each([
    ['[]', 'not-an-object'],
    ['"a1b2c3d4"', 'not-an-object'],
    ['{"adw_id":"a1b2c3d4","issue_number":"#170"}', null],
  ])('%j', (text, reason) => {
    const r = parseAdwState(text);
    if (reason === null) expect(r.ok && r.state.issueNumber).toBe(170);
    else expect(r).toEqual({ ok: false, reason });
  });
});

describe('agentPhase', () => {
  it.each([
    ['sdlc_planner', 'plan'],
    ['patch_planner', 'plan'],
    ['review_patch_planner', 'plan'],
    ['sdlc_implementor', 'build'],
    ['builder', 'build'],
    ['build-.', 'build'],
    ['test_runner', 'test'],
    ['e2e_test_resolver_iter1_0', 'test'],
    ['tester', 'test'],
    ['reviewer', 'review'],
    ['documenter', 'document'],
    ['documentation', 'document'],
    ['shipper', 'ship'],
    ['issue_classifier', 'issue_classifier'],
    ['branch_generator', 'branch_generator'],
    ['ops', 'ops'],
    ['latest_ui', 'latest_ui'],
  ])('%s → %s', (name, phase) => {
    expect(agentPhase(name)).toBe(phase);
  });
});

describe('inferWorkflowType', () => {
  it.each<[string[], string | null, string | null]>([
    [['issue_classifier', 'sdlc_planner', 'sdlc_implementor', 'tester', 'reviewer', 'documenter'], null, 'sdlc'],
    [['sdlc_planner', 'sdlc_implementor', 'test_runner', 'reviewer', 'documenter', 'shipper'], null, 'sdlc_zte'],
    [['patch_planner', 'patch_implementor'], null, 'patch'],
    [['issue_classifier', 'sdlc_planner'], null, 'plan'],
    [['issue_classifier', 'sdlc_planner', 'branch_generator', 'sdlc_implementor'], null, 'plan_build'],
    [['sdlc_planner', 'sdlc_implementor', 'reviewer', 'review_patch_planner'], null, 'plan_build_review'],
    [['ops'], null, null],
    [[], null, null],
    [['sdlc_planner'], 'adw_plan_build_test_iso', 'plan_build_test'],
    [['sdlc_planner'], 'adw_sdlc_ZTE_iso.py', 'sdlc_zte'],
    [['sdlc_planner'], 'adw_sdlc_complete_iso', 'sdlc'],
    [['sdlc_planner'], '  ', 'plan'],
  ])('%j stated %j → %j', (names, stated, type) => {
    expect(inferWorkflowType(names, stated)).toBe(type);
  });
});

describe('extractIssueText', () => {
  it('pulls title and body from the classify prompt JSON', () => {
    expect(
      extractIssueText([
        { name: 'classify_issue', text: read('agents/d2ac5466/issue_classifier/prompts/classify_issue.txt') },
      ]),
    ).toBe(
      'Add a workflows documentation tab\n\nAdd a **Workflows** tab to the docs page that lists every ADW workflow with its phases.\n\nAcceptance: the tab renders from workflows.json.',
    );
  });

  it.each<[{ name: string; text: string }[], string | null]>([
    [
      [
        {
          name: 'feature',
          text: '/feature 7 a1b2c3d4 {"number":7,"title":"Dark mode","body":"Add a toggle. {not json}"}',
        },
      ],
      'Dark mode\n\nAdd a toggle. {not json}',
    ],
    [[{ name: 'chore', text: '/chore 3 a1b2c3d4 {"number":3,"title":"","body":"Only a body"}' }], 'Only a body'],
    [
      [
        { name: 'implement', text: '/implement specs/plan.md' },
        {
          name: 'custom',
          text: '# Context\nRepo notes.\n\n## Issue\nUpgrade vitest to v4 and fix the broken mocks.\n\n## Rules\nNo new deps.',
        },
      ],
      'Upgrade vitest to v4 and fix the broken mocks.',
    ],
    [[{ name: 'ask', text: '/ask 12 adw-3af4a34d why does the build fail on CI' }], 'why does the build fail on CI'],
    [[{ name: 'implement', text: '/implement specs/plan.md' }], null],
    [[], null],
  ])('%j → %j', (prompts, text) => {
    expect(extractIssueText(prompts)).toBe(text);
  });
});

/** What the daemon does for one state dir: find each agent's output and prompts. */
function loadRun(adwId: string): {
  agents: AgentSummary[];
  prompts: { name: string; text: string }[];
  state: AdwState | null;
} {
  const root = new URL(`agents/${adwId}/`, dir);
  const agents: AgentSummary[] = [];
  const prompts: { name: string; text: string }[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const agentDir = new URL(`${e.name}/`, root);
    const out = ['raw_output.jsonl', 'cc_raw_output.jsonl'].map((f) => new URL(f, agentDir)).find((u) => existsSync(u));
    const lines = out === undefined ? [] : readFileSync(out, 'utf8').split('\n');
    agents.push(summarizeAgentOutput(e.name, lines));
    const pdir = new URL('prompts/', agentDir);
    if (existsSync(pdir)) {
      for (const p of readdirSync(pdir))
        prompts.push({ name: p.replace(/\.txt$/, ''), text: readFileSync(new URL(p, pdir), 'utf8') });
    }
  }
  agents.sort((a, b) => a.agentName.localeCompare(b.agentName));
  const s = parseAdwState(readFileSync(new URL('adw_state.json', root), 'utf8'));
  return { agents, prompts, state: s.ok ? s.state : null };
}

describe('summarizeAgentOutput', () => {
  const { agents } = loadRun('d2ac5466');
  const by = (name: string): AgentSummary => {
    const a = agents.find((x) => x.agentName === name);
    if (a === undefined) throw new Error(name);
    return a;
  };

  it('dedupes usage by message id, raises tokens to the result modelUsage, takes its cost', () => {
    const a = by('sdlc_implementor');
    expect({ ...a, pricedCostUsd: Math.round(a.pricedCostUsd * 1e9) / 1e9 }).toEqual({
      agentName: 'sdlc_implementor',
      phase: 'build',
      models: [M, 'claude-haiku-4-5-20251001'],
      tokens: {
        inputTokens: 1010,
        outputTokens: 200,
        cacheCreationTokens: 23296,
        cacheCreation5mTokens: 23296,
        cacheCreation1hTokens: 0,
        cacheReadTokens: 26876,
      },
      pricedCostUsd: 0.0976378,
      reportedCostUsd: 0.0991,
      durationMs: 412733,
      hadResult: true,
      isError: false,
      firstTs: null,
      lastTs: null,
    });
  });

  it('a killed run (no result line, cc_raw_output.jsonl) and an empty agent folder', () => {
    const t = by('tester');
    expect([t.phase, t.hadResult, t.reportedCostUsd, t.durationMs, t.models, t.tokens.cacheReadTokens]).toEqual([
      'test',
      false,
      null,
      null,
      [M],
      30000,
    ]);
    expect(t.pricedCostUsd).toBeCloseTo(0.00999, 12);
    const r = by('reviewer');
    expect([r.phase, r.hadResult, r.models, r.pricedCostUsd, r.tokens.inputTokens]).toEqual([
      'review',
      false,
      [],
      0,
      0,
    ]);
  });

  it('an error result, and garbage lines skipped', () => {
    const lines = [
      ...readFileSync(new URL('../../fixtures/stream-json/error-max-turns.jsonl', import.meta.url), 'utf8').split('\n'),
      '{torn',
      '\u0000',
    ];
    const s = summarizeAgentOutput('sdlc_implementor', lines);
    expect([s.isError, s.hadResult, s.reportedCostUsd, s.durationMs]).toEqual([true, true, 0.5, 90000]);
  });

  it('timestamps give first/last and a duration when there is no result', () => {
    const s = summarizeAgentOutput('ops', [
      '{"type":"assistant","timestamp":"2026-01-01T10:00:05Z","message":{"id":"m1","model":"claude-opus-4-6","usage":{"input_tokens":1}}}',
      '{"type":"assistant","timestamp":"2026-01-01T10:00:00Z","message":{"id":"m0","model":"<synthetic>","usage":{"input_tokens":0}}}',
    ]);
    expect([s.firstTs, s.lastTs, s.durationMs, s.models]).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:00:05.000Z',
      5000,
      ['claude-opus-4-6'],
    ]);
  });
});

describe('assembleWorkflowRun', () => {
  it('a run whose tester was killed: incomplete, priced', () => {
    const { agents, prompts, state } = loadRun('d2ac5466');
    const run = assembleWorkflowRun({
      adwId: 'd2ac5466',
      stateDir: '/home/dev/tac-webbuilder/agents/d2ac5466',
      state,
      agents,
      prompts,
    });
    expect({ ...run, costUsd: Math.round(run.costUsd * 1e9) / 1e9 }).toEqual({
      adwId: 'd2ac5466',
      issueNumber: 1,
      issueClass: 'feature',
      workflowType: 'sdlc',
      phases: ['plan', 'build', 'test', 'issue_classifier'],
      models: [M, 'claude-haiku-4-5-20251001'],
      tokens: {
        inputTokens: 1028,
        outputTokens: 1145,
        cacheCreationTokens: 40396,
        cacheCreation5mTokens: 40396,
        cacheCreation1hTokens: 0,
        cacheReadTokens: 61876,
      },
      costUsd: 0.19109,
      costBasis: 'priced',
      durationMs: 476833,
      status: 'incomplete',
      nlInput:
        'Add a workflows documentation tab\n\nAdd a **Workflows** tab to the docs page that lists every ADW workflow with its phases.\n\nAcceptance: the tab renders from workflows.json.',
      wordCount: 27,
      startedAt: '2025-11-21T14:02:11.482Z',
      endedAt: null,
      stateDir: '/home/dev/tac-webbuilder/agents/d2ac5466',
    });
  });

  const agent = (p: Partial<AgentSummary>): AgentSummary => ({
    agentName: 'sdlc_planner',
    phase: 'plan',
    models: [M],
    tokens: {
      inputTokens: 1,
      outputTokens: 1,
      cacheCreationTokens: 0,
      cacheCreation5mTokens: 0,
      cacheCreation1hTokens: 0,
      cacheReadTokens: 0,
    },
    pricedCostUsd: 0.5,
    reportedCostUsd: 0.25,
    durationMs: 1000,
    hadResult: true,
    isError: false,
    firstTs: null,
    lastTs: null,
    ...p,
  });

  it.each<[string, AgentSummary[], AdwState | null, Partial<ReturnType<typeof assembleWorkflowRun>>]>([
    [
      'all results: success, reported',
      [agent({}), agent({ agentName: 'sdlc_implementor', phase: 'build' })],
      null,
      { status: 'success', costBasis: 'reported', costUsd: 0.5, workflowType: 'plan_build', durationMs: 2000 },
    ],
    [
      'an error wins',
      [agent({}), agent({ agentName: 'tester', phase: 'test', isError: true })],
      null,
      { status: 'error', costBasis: 'reported', workflowType: 'plan_test', phases: ['plan', 'test'] },
    ],
    [
      'no agents: incomplete, priced',
      [],
      null,
      {
        status: 'incomplete',
        costBasis: 'priced',
        costUsd: 0,
        phases: [],
        workflowType: null,
        durationMs: null,
        wordCount: 0,
      },
    ],
    [
      'state times give the duration and nl_input wins',
      [agent({ firstTs: '2026-01-01T10:00:00.000Z', lastTs: '2026-01-01T10:30:00.000Z' })],
      {
        adwId: 'a1b2c3d4',
        issueNumber: 3,
        issueClass: 'bug',
        workflowType: null,
        modelSet: 'base',
        branchName: null,
        nlInput: 'fix the login bug now',
        startedAt: '2026-01-01T09:59:00.000Z',
        endedAt: '2026-01-01T10:31:00.000Z',
        raw: {},
      },
      {
        durationMs: 1_920_000,
        startedAt: '2026-01-01T09:59:00.000Z',
        endedAt: '2026-01-01T10:31:00.000Z',
        nlInput: 'fix the login bug now',
        wordCount: 5,
        issueNumber: 3,
        issueClass: 'bug',
      },
    ],
    [
      'agent timestamps when the state has none',
      [agent({ firstTs: '2026-01-01T10:00:00.000Z', lastTs: '2026-01-01T10:30:00.000Z' })],
      null,
      { durationMs: 1_800_000, startedAt: '2026-01-01T10:00:00.000Z', endedAt: '2026-01-01T10:30:00.000Z' },
    ],
  ])('%s', (_name, agents, st, expected) => {
    const run = assembleWorkflowRun({ adwId: 'a1b2c3d4', stateDir: '/x', state: st, agents, prompts: [] });
    expect(run).toMatchObject(expected);
  });
});

describe('robustness', () => {
  it('every prefix of a state file parses or asks for a retry', () => {
    const text = read('states/head.json');
    for (let cut = 0; cut < text.length; cut += 7) {
      const r = parseAdwState(text.slice(0, cut));
      expect(r.ok).toBe(false);
    }
    expect(parseAdwState(text).ok).toBe(true);
  });
});
