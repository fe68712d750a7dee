/**
 * A corpus for learning tests: sessions with fix loops (a failing command, edits, the same command
 * passing), repeated command sequences and measured turns, each session split across two transcript
 * files (the split falls inside a fix loop), plus a hook log with the measured durations of some
 * calls. Reading the files in different orders gives the learner different partial views.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PROJECTS = ['-home-dev-src-shop-api', '-home-dev-src-infra', '-home-dev-src-web'];
const COMMANDS = ['npm test', 'npm run lint', 'cargo build', 'pytest -q'];

interface Call {
  id: string;
  tool: 'Bash' | 'Edit' | 'Read';
  command: string | null;
  fail: boolean;
  ms: number;
}

function line(sessionId: string, cwd: string, ts: number, o: Record<string, unknown>): string {
  return JSON.stringify({ sessionId, cwd, isSidechain: false, timestamp: new Date(ts).toISOString(), ...o });
}

function callLines(sessionId: string, cwd: string, c: Call, n: number): string[] {
  const input =
    c.tool === 'Bash'
      ? { command: c.command }
      : { file_path: `${cwd}/src/f${n % 3}.ts`, old_string: 'a', new_string: 'b' };
  return [
    line(sessionId, cwd, c.ms, {
      type: 'assistant',
      uuid: `a-${c.id}`,
      requestId: `req_${c.id}`,
      message: {
        id: `msg_${c.id}`,
        model: n % 2 ? 'claude-sonnet-4-5-20250929' : 'claude-opus-4-6',
        role: 'assistant',
        type: 'message',
        content: [{ type: 'tool_use', id: `toolu_${c.id}`, name: c.tool, input }],
        usage: {
          input_tokens: 10 + n,
          output_tokens: 40 + 7 * n,
          cache_creation_input_tokens: 100,
          cache_read_input_tokens: 1000,
        },
      },
    }),
    line(sessionId, cwd, c.ms + 900 + n * 13, {
      type: 'user',
      uuid: `u-${c.id}`,
      message: {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: `toolu_${c.id}`,
            content: c.fail ? `Exit code 1\nFAILED ${'x'.repeat(n * 5)}` : `ok ${'y'.repeat(n * 11)}`,
            ...(c.fail ? { is_error: true } : {}),
          },
        ],
      },
    }),
  ];
}

export interface LearnCorpus {
  files: string[];
}

/** Writes the corpus under `root` and returns its files (in a fixed order). */
export function writeLearnCorpus(root: string, sessions = 9): LearnCorpus {
  const files: string[] = [];
  const hookLines: string[] = [];
  let t = Date.parse('2026-02-02T09:00:00Z');
  for (let s = 0; s < sessions; s++) {
    const sessionId = `${String(s).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(s).padStart(12, '0')}`;
    const project = PROJECTS[s % PROJECTS.length] ?? 'p';
    const cwd = `/home/dev/src/p${s % PROJECTS.length}`;
    const cmd = COMMANDS[s % COMMANDS.length] ?? 'npm test';
    const other = COMMANDS[(s + 1) % COMMANDS.length] ?? 'npm run lint';
    const calls: Call[] = [];
    let n = 0;
    const add = (tool: Call['tool'], command: string | null, fail: boolean): void => {
      n++;
      t += 20_000 + ((s * 7919 + n * 104_729) % 50_000);
      calls.push({ id: `s${s}c${n}`, tool, command, fail, ms: t });
    };
    add('Bash', 'git status', false);
    add('Bash', cmd, true);
    add('Read', null, false);
    add('Edit', null, false);
    add('Bash', cmd, true);
    add('Edit', null, false);
    add('Bash', cmd, false);
    add('Bash', 'git status', false);
    add('Bash', 'git diff', false);
    add('Bash', other, s % 3 === 0);
    add('Edit', null, false);
    add('Bash', other, false);
    add('Bash', 'git status', false);
    add('Bash', 'git diff', false);
    const lines = calls.flatMap((c, i) => callLines(sessionId, cwd, c, i + s));
    // the split falls inside the first fix loop
    const cut = 2 * 3 + 1;
    const dir = join(root, 'claude', 'projects', project);
    mkdirSync(dir, { recursive: true });
    const first = join(dir, `${sessionId}.jsonl`);
    const second = join(dir, `${String(s).padStart(8, '0')}-dddd-4eee-8fff-${String(s).padStart(12, '0')}.jsonl`);
    writeFileSync(first, lines.slice(0, cut).join('\n') + '\n');
    writeFileSync(second, lines.slice(cut).join('\n') + '\n');
    files.push(first, second);
    for (const c of calls.filter((x, i) => i % 3 === 1 && x.tool === 'Bash')) {
      hookLines.push(
        JSON.stringify({
          session_id: sessionId,
          cwd,
          hook_event_name: 'PostToolUse',
          tool_name: 'Bash',
          tool_use_id: `toolu_${c.id}`,
          tool_input: { command: c.command },
          tool_response: { stdout: c.fail ? '' : 'ok', stderr: c.fail ? 'failed' : '', interrupted: false },
          duration_ms: 1000 + (c.ms % 997),
        }),
      );
    }
  }
  const logs = join(root, 'hooks', 'logs');
  mkdirSync(logs, { recursive: true });
  const hookFile = join(logs, 'events.jsonl');
  writeFileSync(hookFile, hookLines.join('\n') + '\n');
  files.push(hookFile);
  return { files };
}
