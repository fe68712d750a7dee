import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PreflightResult } from '../../src/rpc/protocol.js';
import { runCli, type CliResult, type DaemonTarget } from '../helpers/cli.js';
import { e2eDaemons } from '../helpers/e2e-daemons.js';

const { dirs, newTarget: targetIn } = e2eDaemons({ stopGracefully: true });

const newTarget = (): DaemonTarget => targetIn('ol-pf-e2e-');

function result(r: CliResult): PreflightResult {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as PreflightResult;
}

describe('outloop preflight (e2e)', () => {
  it('an empty store: start on the stated default estimate, with the quota and the budget', async () => {
    const t = newTarget();
    const r = result(
      await runCli(
        ['preflight', 'Add a unit test for coupon stacking.', '--workflow-type', 'adw_plan_build', '--json'],
        t,
      ),
    );
    expect(r).toMatchObject({
      decision: 'start',
      reasons: ['estimate 1500000 tokens ($4.50) is a default: no workflow runs are stored yet'],
      analysis: { words: 7, concernCount: 1, splitRecommended: false, proposedParts: [] },
      estimate: {
        tokens: 1_500_000,
        costUsd: 4.5,
        basis: 'default',
        sampleSize: 0,
        confidence: 'low',
        workflowType: 'adw_plan_build',
      },
      quota: { risk: 'low', provenance: 'estimated', monthToDateTokens: 0, projectedPct: 0 },
      budget: {
        withinBudget: true,
        pctOfBudget: 30,
        warn: false,
        needsApproval: false,
        tokenBudget: 5_000_000,
        warnAtPct: 80,
        approvalAboveUsd: 5,
      },
    });
    const text = await runCli(['preflight', 'Add a unit test for coupon stacking.'], t);
    expect(text.stdout).toMatch(/^decision: start\n/);
    expect(text.stdout).toContain('estimate   1,500,000 tokens, $4.50 (default, 0 similar run(s), low confidence)');
  });

  it('splits a file with three asks, rejects empty input, handles 1 MB', async () => {
    const t = newTarget();
    const dir = dirs.make('ol-pf-in-');
    const three = join(dir, 'issue.md');
    writeFileSync(
      three,
      '## Cart work\n\n- add a coupon field to the cart\n- fix the rounding of totals\n- update the checkout docs\n',
    );
    const split = result(await runCli(['preflight', '--file', three, '--priority', 'low', '--json'], t));
    expect(split).toMatchObject({
      decision: 'split',
      analysis: {
        concernCount: 3,
        proposedParts: ['add a coupon field to the cart', 'fix the rounding of totals', 'update the checkout docs'],
      },
    });
    expect(split.reasons[0]).toMatch(/^split recommended: /);

    expect(result(await runCli(['preflight', '', '--json'], t))).toMatchObject({
      decision: 'reject',
      reasons: ['empty input: nothing to do'],
    });

    const big = join(dir, 'big.txt');
    writeFileSync(big, 'word '.repeat(200_000)); // 1,000,000 bytes
    const huge = result(await runCli(['preflight', '--file', big, '--json'], t));
    expect(huge).toMatchObject({ decision: 'split', analysis: { words: 200_000, splitRecommended: true } });

    const bad = await runCli(['preflight', 'x', '--priority', 'urgent'], t);
    expect(bad.code).toBe(2);
    expect((await runCli(['preflight', '--json'], t)).code).toBe(2);
  });
});
