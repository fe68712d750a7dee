import { describe, expect, it } from 'vitest';
import {
  contextFactsOf,
  mergedContextFacts,
  SKIPPED_FACTS,
  toContextCall,
  type ContextCallRow,
} from '../../../src/core/context/context-call.js';
import { callFacts } from '../../../src/core/context/facts.js';
import { encodeFacts } from '../../../src/core/context/facts-codec.js';

const W = '/home/ana/src/shop';
const ENDED = '2026-03-02T09:00:01.000Z';

function row(over: Partial<ContextCallRow> & Pick<ContextCallRow, 'tool_name'>): ContextCallRow {
  return {
    command: null,
    cwd: W,
    input_json: null,
    response_bytes: 0,
    is_error: null,
    file_paths: null,
    loaded_paths: null,
    ended_at: ENDED,
    ...over,
  };
}

describe('toContextCall', () => {
  it('leaves out a read whose response never came', () => {
    expect(toContextCall(row({ tool_name: 'Read', ended_at: null, file_paths: '["app/a.py"]' }))).toBeNull();
    expect(contextFactsOf(row({ tool_name: 'Read', ended_at: null, file_paths: '["app/a.py"]' }))).toBe(SKIPPED_FACTS);
  });

  it('knows an edit or a read by its paths, without its input', () => {
    const edit = row({
      tool_name: 'Edit',
      input_json: '{"file_path":"app/a.py","old_string":"x","new_string":"y"}',
      file_paths: '["app/a.py"]',
    });
    expect(toContextCall(edit)).toEqual({
      toolName: 'Edit',
      inputJson: null,
      command: null,
      responseBytes: 0,
      responseText: null,
      isError: null,
      cwd: W,
      filePaths: ['app/a.py'],
    });
  });

  it('adds the loaded paths of a read after its own, once each', () => {
    const read = row({
      tool_name: 'Read',
      response_bytes: 40,
      is_error: 0,
      file_paths: '["app/a.py"]',
      loaded_paths: '["app/a.py","app/b.py"]',
    });
    expect(toContextCall(read)).toMatchObject({ isError: false, filePaths: ['app/a.py', 'app/b.py'] });
  });

  it('takes the file a content-mode Grep of one file answered from, when it has no loaded paths', () => {
    const grep = (input: Record<string, unknown>, bytes = 120): ContextCallRow =>
      row({ tool_name: 'Grep', input_json: JSON.stringify(input), response_bytes: bytes });
    expect(toContextCall(grep({ pattern: 'x', path: `${W}/app/a.py`, output_mode: 'content' }))?.filePaths).toEqual([
      `${W}/app/a.py`,
    ]);
    expect(toContextCall(grep({ pattern: 'x', path: `${W}/app`, output_mode: 'content' }))?.filePaths).toEqual([]);
    expect(toContextCall(grep({ pattern: 'x', path: `${W}/app/a.py` }))?.filePaths).toEqual([]);
    expect(toContextCall(grep({ pattern: 'x', path: `${W}/app/a.py`, output_mode: 'content' }, 0))?.filePaths).toEqual(
      [],
    );
  });
});

describe('contextFactsOf', () => {
  it('is the encoded facts of the call as context efficiency sees it', () => {
    const r = row({
      tool_name: 'Read',
      input_json: '{"file_path":"app/a.py"}',
      response_bytes: 4000,
      is_error: 0,
      file_paths: '["app/a.py"]',
    });
    const call = toContextCall(r);
    expect(call).not.toBeNull();
    if (call) expect(contextFactsOf(r)).toBe(encodeFacts(callFacts(call)));
    expect(contextFactsOf(r)).toBe(`["${W}",2,4000,[],["app/a.py"]]`);
  });

  it('reads the path lists the caller has instead of parsing their JSON', () => {
    const r = row({ tool_name: 'Read', response_bytes: 4000, is_error: 0, file_paths: '["app/a.py"]' });
    const known = new Map([['["app/a.py"]', ['app/b.py']]]);
    expect(contextFactsOf(r, undefined, known)).toBe(`["${W}",2,4000,[],["app/b.py"]]`);
  });
});

describe('mergedContextFacts', () => {
  const bash = row({
    tool_name: 'Bash',
    command: 'pytest tests/test_cart.py',
    input_json: '{"command":"pytest tests/test_cart.py"}',
  });

  it('keeps the stored facts when no column they depend on changed', () => {
    expect(mergedContextFacts({ ...bash, context_facts: 'kept as is' }, { ...bash })).toBe('kept as is');
  });

  it('works them out again when the outcome changed, taking over the mentions of the input', () => {
    const stored = contextFactsOf(bash);
    const next = { ...bash, response_bytes: 900, is_error: 1 };
    expect(mergedContextFacts({ ...bash, context_facts: stored }, next)).toBe(contextFactsOf(next));
  });

  it('works them out from the new columns when the input changed or none were stored', () => {
    const next = { ...bash, command: 'pytest tests/test_coupons.py' };
    expect(mergedContextFacts({ ...bash, context_facts: contextFactsOf(bash) }, next)).toBe(contextFactsOf(next));
    expect(mergedContextFacts({ ...bash, context_facts: null }, bash)).toBe(contextFactsOf(bash));
  });

  it('a call left out before it ended mentions nothing once its response comes', () => {
    const pending = row({ tool_name: 'Read', ended_at: null, file_paths: '["app/a.py"]' });
    const done = { ...pending, ended_at: ENDED, response_bytes: 4000, is_error: 0 };
    expect(mergedContextFacts({ ...pending, context_facts: SKIPPED_FACTS }, done)).toBe(contextFactsOf(done));
  });
});
