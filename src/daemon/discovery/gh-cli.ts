/**
 * The GitHub CLI adapter: the only place outloop runs `gh`. Always an argv array through execa (never a
 * shell), a timeout on every call, output capped, and `gh` started in its own process group so a hang
 * (or a child left holding the pipes) is killed as a whole. Every failure becomes a GhError with a kind:
 * missing (not installed), failed (non-zero exit), timeout, garbage (exit 0 but output we cannot read).
 *
 * Where `gh` is: `$OUTLOOP_GH` when set (tests point it at a fake), else the first `gh` on `$PATH`.
 */
import { isAbsolute } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { findOnPath, isExecutableFile } from '../../sys/executable.js';

export type GhErrorKind = 'missing' | 'failed' | 'timeout' | 'garbage';

export class GhError extends Error {
  constructor(
    readonly kind: GhErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'GhError';
  }
}

export type Env = Record<string, string | undefined>;

export const GH_DEFAULT_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
const KILL_GRACE_MS = 2000;

/** The `gh` executable, or a GhError('missing') saying where we looked. */
export function locateGh(env: Env): string {
  const explicit = env['OUTLOOP_GH'];
  if (explicit !== undefined && explicit !== '') {
    if (isAbsolute(explicit) && isExecutableFile(explicit)) return explicit;
    throw new GhError('missing', `OUTLOOP_GH=${explicit} is not an executable file (it must be an absolute path)`);
  }
  const found = findOnPath('gh', env['PATH']);
  if (found !== null) return found;
  throw new GhError(
    'missing',
    'gh (GitHub CLI) was not found on PATH; install it from https://cli.github.com or set OUTLOOP_GH',
  );
}

/** First non-empty line of some output, trimmed and bounded, for error messages. */
function firstLine(text: string, max = 300): string {
  const line =
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface GhIssueState {
  state: 'OPEN' | 'CLOSED';
  labels: string[];
}

export interface GhIssueRef {
  url: string;
  title: string;
}

/** `https://host/owner/repo/issues/123` (GitHub or GitHub Enterprise). */
export const ISSUE_URL = /^https:\/\/[^\s/]+\/[^\s/]+\/[^\s/]+\/issues\/\d+$/;

/** One `gh` executable with one environment and timeout; each method is one bounded call. */
export class Gh {
  private readonly running = new Set<ResultPromise>();

  constructor(
    readonly path: string,
    private readonly opts: { env: Env; timeoutMs?: number; cwd?: string },
  ) {}

  /** Runs `gh ...args`; resolves with stdout on exit 0, else throws GhError. */
  async run(args: string[], input?: string): Promise<string> {
    const timeout = this.opts.timeoutMs ?? GH_DEFAULT_TIMEOUT_MS;
    const child = execa(this.path, args, {
      env: {
        ...this.opts.env,
        GH_PROMPT_DISABLED: '1',
        GH_NO_UPDATE_NOTIFIER: '1',
        GH_SPINNER_DISABLED: '1',
        NO_COLOR: '1',
        CLICOLOR: '0',
      },
      extendEnv: false,
      ...(this.opts.cwd ? { cwd: this.opts.cwd } : {}),
      input: input ?? '',
      timeout,
      forceKillAfterDelay: KILL_GRACE_MS,
      maxBuffer: MAX_OUTPUT_BYTES,
      // its own process group: on exit or timeout the whole group goes, so nothing it spawned keeps our pipes open
      detached: true,
      reject: false,
      stripFinalNewline: true,
    });
    this.running.add(child);
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    child.once('exit', killGroup);
    try {
      const r = await child;
      const what = `gh ${args.slice(0, 2).join(' ')}`;
      if (r.timedOut)
        throw new GhError(
          'timeout',
          `${what} did not answer within ${Math.round(timeout / 100) / 10} s and was stopped`,
        );
      if (r.isTerminated) throw new GhError('failed', `${what} was stopped (${r.signal ?? 'killed'})`);
      if (r.failed) {
        if (r.code === 'ENOENT' || r.code === 'EACCES')
          throw new GhError('missing', `${what}: cannot run ${this.path} (${r.code})`);
        const detail = firstLine(String(r.stderr)) || firstLine(String(r.stdout)) || r.shortMessage;
        throw new GhError(
          'failed',
          `${what} failed${r.exitCode === undefined ? '' : ` (exit ${r.exitCode})`}: ${detail}`,
        );
      }
      return String(r.stdout);
    } finally {
      killGroup();
      this.running.delete(child);
    }
  }

  /** Resolves when `gh auth status` says a host is logged in; throws GhError otherwise. */
  async authStatus(): Promise<void> {
    try {
      await this.run(['auth', 'status']);
    } catch (e) {
      if (e instanceof GhError && e.kind === 'failed')
        throw new GhError('failed', `gh is not authenticated (run 'gh auth login'): ${e.message}`);
      throw e;
    }
  }

  /** Creates a label; one that already exists is fine (its colour and text are left as the owner set them). */
  async ensureLabel(name: string, color: string, description: string, repo: string | null): Promise<void> {
    try {
      await this.run(['label', 'create', name, '--color', color, '--description', description, ...repoArgs(repo)]);
    } catch (e) {
      if (e instanceof GhError && e.kind === 'failed' && /already exists/i.test(e.message)) return;
      throw e;
    }
  }

  /** Files an issue (body on stdin); returns its URL, or throws GhError('garbage') when gh printed none. */
  async createIssue(issue: { title: string; body: string; labels: string[]; repo: string | null }): Promise<string> {
    const args = [
      'issue',
      'create',
      '--title',
      issue.title,
      '--body-file',
      '-',
      ...issue.labels.flatMap((l) => ['--label', l]),
      ...repoArgs(issue.repo),
    ];
    const out = await this.run(args, issue.body);
    const url = out
      .split('\n')
      .map((l) => l.trim())
      .reverse()
      .find((l) => ISSUE_URL.test(l));
    if (!url) throw new GhError('garbage', `gh issue create printed no issue URL: ${firstLine(out) || '(nothing)'}`);
    return url;
  }

  /** Issues carrying `label` (open and closed), newest first, at most `limit`. */
  async listIssues(label: string, repo: string | null, limit = 1000): Promise<GhIssueRef[]> {
    const out = await this.run([
      'issue',
      'list',
      '--label',
      label,
      '--state',
      'all',
      '--limit',
      String(limit),
      '--json',
      'url,title',
      ...repoArgs(repo),
    ]);
    const parsed = parseJson(out, 'gh issue list');
    if (!Array.isArray(parsed)) throw new GhError('garbage', 'gh issue list did not print a JSON array');
    const refs: GhIssueRef[] = [];
    for (const item of parsed) {
      const o = item as Record<string, unknown> | null;
      if (o && typeof o['url'] === 'string' && typeof o['title'] === 'string' && ISSUE_URL.test(o['url']))
        refs.push({ url: o['url'], title: o['title'] });
    }
    return refs;
  }

  /** State and label names of one issue. */
  async viewIssue(url: string): Promise<GhIssueState> {
    const out = await this.run(['issue', 'view', url, '--json', 'state,labels']);
    const o = parseJson(out, 'gh issue view') as Record<string, unknown> | null;
    const state = o?.['state'];
    const labels = o?.['labels'];
    if ((state !== 'OPEN' && state !== 'CLOSED') || !Array.isArray(labels)) {
      throw new GhError(
        'garbage',
        `gh issue view ${url} did not print {state, labels}: ${firstLine(out) || '(nothing)'}`,
      );
    }
    const names = labels
      .map((l) => (typeof l === 'object' && l !== null ? (l as Record<string, unknown>)['name'] : undefined))
      .filter((n): n is string => typeof n === 'string');
    return { state, labels: names };
  }

  /** Stops every call still running (daemon shutdown). */
  killAll(): void {
    for (const child of this.running) {
      if (child.pid === undefined) continue;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

function repoArgs(repo: string | null): string[] {
  return repo ? ['--repo', repo] : [];
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new GhError('garbage', `${what} printed something that is not JSON: ${firstLine(text) || '(nothing)'}`);
  }
}
