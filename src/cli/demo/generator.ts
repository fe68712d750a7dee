import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCRIPTS, transcriptLines, type Line } from './sessions.js';

const DAY = 86_400_000;

/**
 * Writes demo agent activity: a week of finished sessions at once (so patterns exist from the first
 * seconds), then live sessions a line at a time, as Claude Code would.
 */
export class DemoGenerator {
  private timer: NodeJS.Timeout | null = null;
  private live: { path: string; lines: Line[]; next: number }[] = [];
  private sessionNo = 0;
  readonly projectDir: string;

  constructor(
    home: string,
    private readonly cwd = '/home/dev/shop',
  ) {
    this.projectDir = join(home, '.claude', 'projects', '-home-dev-shop');
    mkdirSync(this.projectDir, { recursive: true });
  }

  /** Finished sessions spread over the last days: enough repeats for patterns to cross the thresholds. */
  writeHistory(now = Date.now(), sessions = 8): void {
    for (let i = 0; i < sessions; i++) {
      const script = SCRIPTS[i % SCRIPTS.length] ?? [];
      const sessionId = randomUUID();
      const start = new Date(now - (sessions - i) * 0.8 * DAY);
      const text = transcriptLines(script, sessionId, start, this.cwd)
        .map((l) => l.text)
        .join('\n');
      writeFileSync(join(this.projectDir, `${sessionId}.jsonl`), `${text}\n`);
    }
  }

  /** Starts writing live sessions; each tick appends the lines that are due. */
  start(tickMs = 500): void {
    this.startSession();
    this.timer = setInterval(() => this.tick(), tickMs);
  }

  private startSession(): void {
    const script = SCRIPTS[this.sessionNo++ % SCRIPTS.length] ?? [];
    const sessionId = randomUUID();
    this.live.push({
      path: join(this.projectDir, `${sessionId}.jsonl`),
      lines: transcriptLines(script, sessionId, new Date(), this.cwd),
      next: Date.now(),
    });
  }

  private tick(): void {
    const now = Date.now();
    for (const s of this.live) {
      while (s.lines.length > 0 && s.next <= now) {
        const line = s.lines.shift();
        if (!line) break;
        appendFileSync(s.path, `${line.text}\n`);
        s.next = now + Math.min(line.delay, 3) * 1000;
      }
    }
    this.live = this.live.filter((s) => s.lines.length > 0);
    if (this.live.length < 2) this.startSession();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
