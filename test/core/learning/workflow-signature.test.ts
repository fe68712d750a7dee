import { describe, expect, it } from 'vitest';
import { isWholePipeline, workflowSignature } from '../../../src/core/learning/workflow-signature.js';

describe('workflowSignature', () => {
  it.each<[string | null, string | null, string | null]>([
    // a patch workflow about tests: subcategory = the workflow type when no tool is named
    ['adw_patch_iso', 'Fix the failing tests in the upload form', 'test:patch:all'],
    ['patch', 'Run the tests.', 'test:patch:all'],
    ['/chore', 'Run the test suite', 'test:chore:all'],
    // a named tool wins over the type
    ['patch', 'Run the backend pytest suite', 'test:pytest:backend'],
    ['test', 'Run vitest for the frontend', 'test:vitest:frontend'],
    ['testing', 'run pytest', 'test:pytest:all'],
    ['adw_test_iso', 'Run jest on the client', 'test:jest:frontend'],
    // no type: `generic`
    [null, 'Run all tests', 'test:generic:all'],
    ['', 'run tests', 'test:generic:all'],
    [null, 'Run tests on both server and client', 'test:generic:both'],
    [null, 'Run the tests for both apps', 'test:generic:both'],
    // other categories, in rule order
    ['adw_build_iso', 'Fix the type check errors in the API', 'build:typecheck:backend'],
    ['patch', 'Run tsc and fix what it reports', 'build:typecheck:all'],
    ['build', 'build the frontend', 'build:build:frontend'],
    ['patch', 'Compile the server', 'build:compile:backend'],
    ['patch', 'Fix lint errors with ruff', 'format:ruff:all'],
    ['patch', 'Run prettier on the client', 'format:prettier:all'],
    ['patch', 'Show the git diff since last release', 'git:diff:all'],
    ['patch', 'Update dependencies with npm update', 'deps:npm:all'],
    ['patch', 'pip install the new requirements', 'deps:pip:all'],
    ['document', 'Update readme with the new flags', 'docs:generate:all'],
    [null, 'Generate docs for the API', 'docs:generate:all'],
  ])('%j + %j → %s', (type, text, expected) => {
    expect(workflowSignature(type, text)).toBe(expected);
  });

  it.each<[string | null, string | null]>([
    // whole pipelines are never patterns (sdlc:full:all)
    ['adw_sdlc_iso', 'Run tests'],
    ['sdlc', 'Run tests'],
    ['sdlc_zte', 'Run tests'],
    ['adw_sdlc_zte_iso', 'Run tests'],
    ['adw_sdlc_complete_iso', 'Run tests'],
    ['adw_plan_build_test_review_iso', 'Run tests'],
    ['adw_plan_build_test_iso', 'Run tests'],
    ['plan_build', 'Run tests'],
    ['adws/adw_sdlc_iso.py', 'Run tests'],
    // a plan run executes nothing
    ['plan', 'Run tests'],
    ['adw_plan_iso', 'Run tests'],
    // substrings never match: latest, rapid, guide, install, rebuild
    [null, 'run the latest migration'],
    [null, 'make it rapid and guide users through the installer'],
    ['patch', 'Rebuild the frontend'],
    // feature work is not an operation
    ['patch', 'Implement tests for the CSV export'],
    ['patch', 'Build a new dashboard for the UI'],
    ['patch', 'Add dark mode'],
    ['patch', 'Fix bug in login'],
    ['patch', `please run the tests ${'and more words '.repeat(20)}`],
    // nothing to read
    ['patch', null],
    ['patch', '   '],
    [null, null],
  ])('%j + %j → null', (type, text) => {
    expect(workflowSignature(type, text)).toBeNull();
  });

  it('many different feature requests never collapse into one pattern', () => {
    const requests = [
      'Add a CSV export button to the history page',
      'Implement the upload form validation',
      'Create a settings panel for the API keys',
      'Refactor the workflow history service',
      'Users cannot log in after the password reset',
      'The upload button is misaligned on mobile',
    ];
    for (const type of ['adw_sdlc_iso', 'adw_plan_build_iso', 'patch', null]) {
      expect(requests.map((r) => workflowSignature(type, r))).toEqual(requests.map(() => null));
    }
  });
});

describe('isWholePipeline', () => {
  it.each<[string, boolean]>([
    ['adw_sdlc_iso', true],
    ['sdlc_zte', true],
    ['adw_sdlc_complete_iso', true],
    ['plan_build_test_review', true],
    ['plan_build', true],
    ['build_test', true],
    ['patch', false],
    ['test', false],
    ['adw_build_iso', false],
    ['review', false],
    ['/feature', false],
  ])('%s → %s', (type, expected) => {
    expect(isWholePipeline(type)).toBe(expected);
  });
});
