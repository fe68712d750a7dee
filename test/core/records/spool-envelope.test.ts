import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/core/offload/offload-file.js';
import {
  hookEnvelopeLine,
  parseSpoolEnvelope,
  runEnvelopeLine,
  undecodedHookEnvelopeLine,
} from '../../../src/core/records/spool-envelope.js';

const AT = '2026-12-06T10:00:01.100Z';

const RUN: RunReport = {
  id: 'r-01a24d70a52be92660e7',
  signature: 'test:pytest:backend',
  command: 'cd api && pytest -x',
  cwd: '/w',
  exitCode: 1,
  signal: null,
  startedAt: '2026-12-06T10:00:00.000Z',
  endedAt: '2026-12-06T10:00:01.000Z',
  durationMs: 1000,
  family: 'test',
  tool: 'pytest',
  rawBytes: 4000,
  rawTokens: 1000,
  compactTokens: 40,
  sessionId: 's-1',
};

describe('spool envelope lines', () => {
  it('a hook payload is one JSON line: version, time, stdin as received', () => {
    const payload = '{"hook_event_name":"Stop","session_id":"s"}\n';
    const text = hookEnvelopeLine(payload, AT);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(text)).toEqual({ v: 1, receivedAt: AT, payload });
  });

  it('stdin that is not UTF-8 keeps its bytes in base64 and says why', () => {
    expect(JSON.parse(undecodedHookEnvelopeLine('//4=', AT))).toEqual({
      v: 1,
      receivedAt: AT,
      error: 'stdin is not valid UTF-8',
      payloadBase64: '//4=',
    });
  });

  it('a run report is one JSON line with the report whole', () => {
    expect(JSON.parse(runEnvelopeLine(RUN, AT))).toEqual({ v: 1, receivedAt: AT, run: RUN });
  });
});

describe('parseSpoolEnvelope', () => {
  it('reads back what each writer wrote', () => {
    expect(parseSpoolEnvelope(hookEnvelopeLine('garbage', AT))).toEqual({
      kind: 'hook',
      payload: 'garbage',
      receivedAt: AT,
    });
    expect(parseSpoolEnvelope(runEnvelopeLine(RUN, AT))).toEqual({ kind: 'run', run: RUN });
  });

  it('a hook envelope without a string time still carries its payload', () => {
    expect(parseSpoolEnvelope('{"v":1,"receivedAt":5,"payload":"x"}')).toEqual({
      kind: 'hook',
      payload: 'x',
      receivedAt: null,
    });
  });

  it('refuses an envelope that carries an error with that error', () => {
    expect(parseSpoolEnvelope(undecodedHookEnvelopeLine('//4=', AT))).toEqual({
      kind: 'bad',
      reason: 'spool: stdin is not valid UTF-8',
    });
  });

  it('refuses a run report with a wrong field whole', () => {
    expect(parseSpoolEnvelope(runEnvelopeLine({ ...RUN, id: 'r-XYZ' }, AT))).toEqual({
      kind: 'bad',
      reason: 'spool: bad run report: run.id is not r-<hex>',
    });
  });

  it.each([
    ['not JSON', '{"v":1,"rec'],
    ['empty', ''],
    ['an array', '[1,2]'],
    ['no payload', '{"v":1,"receivedAt":"x"}'],
    ['a payload that is not a string', '{"v":1,"payload":{"a":1}}'],
  ])('refuses %s as not an envelope', (_what, text) => {
    expect(parseSpoolEnvelope(text)).toEqual({ kind: 'bad', reason: 'spool file is not an outloop envelope' });
  });
});
