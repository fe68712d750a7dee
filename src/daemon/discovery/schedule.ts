/**
 * The weekly discovery run. The last run (manual or scheduled) is kept in `daemon_meta`, so a restart
 * neither skips a week nor runs twice: on start, an overdue run (or a first one) happens after
 * `startDelayMs` (the initial scan gets to learn first); otherwise the timer waits for the due time.
 * Every completed run re-arms the timer one interval later. Scheduled runs file GitHub issues only when
 * the config says so (`autoCreateIssues` and an `issueRepo`); otherwise they promote and write Markdown.
 */
import { getErrorMessage } from '../../core/errors.js';
import type { Logger } from '../logger.js';
import type { Discovery } from './discovery.js';

/** setTimeout's ceiling (~24.8 days); longer waits re-arm on wake-up. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ScheduleOptions {
  intervalMs: number;
  startDelayMs: number;
  createIssues: boolean;
  repo: string | null;
}

export class DiscoverySchedule {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private dueAt: number | null = null;

  constructor(
    private readonly discovery: Discovery,
    private readonly logger: Logger,
    private readonly opts: ScheduleOptions,
  ) {}

  /** When the next scheduled run is due (ms since the epoch), or null when stopped. */
  get nextDueAt(): number | null {
    return this.dueAt;
  }

  start(now = Date.now()): void {
    this.discovery.afterRun = (at) => this.arm(at + this.opts.intervalMs);
    const last = Date.parse(this.discovery.lastRunAt() ?? '');
    const due = Number.isFinite(last) ? last + this.opts.intervalMs : now;
    this.arm(Math.max(due, now + this.opts.startDelayMs));
  }

  stop(): void {
    this.stopped = true;
    this.discovery.afterRun = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
  }

  private arm(at: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => this.fire(at), Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
    this.timer.unref();
  }

  private fire(at: number): void {
    this.timer = null;
    if (this.stopped) return;
    if (Date.now() < at) return this.arm(at);
    this.discovery
      .run({ createIssues: this.opts.createIssues, repo: this.opts.repo, cwd: null, trigger: 'schedule' })
      .catch((e: unknown) => {
        this.logger.error(`scheduled discovery failed: ${getErrorMessage(e)}`);
        this.arm(Date.now() + this.opts.intervalMs);
      });
  }
}
