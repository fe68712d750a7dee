import { EXIT } from '../core/exit-codes.js';
import type { Logger } from './logger.js';
import { removeOnExit, watchOwner } from './owner-watch.js';

export type StopStep = () => void | Promise<void>;

/**
 * What the daemon has started, as the steps that stop it: pushed in start order and run in
 * reverse, by a failed start or by shutdown. A step that fails is logged and the rest still run.
 */
export class StopSteps {
  private readonly steps: StopStep[] = [];

  constructor(private readonly logger: Logger) {}

  push(step: StopStep): void {
    this.steps.push(step);
  }

  /** `push` as a plain function, for the parts that only add stop steps. */
  readonly defer = (step: StopStep): void => this.push(step);

  async run(): Promise<void> {
    for (const fn of this.steps.reverse()) {
      try {
        await fn();
      } catch (e) {
        this.logger.warn('shutdown step failed', e);
      }
    }
  }
}

/**
 * The daemon's one way to stop: the first request runs the stop steps and resolves `exited`;
 * later requests are ignored. A request that comes while the server is still starting is
 * honoured once `ready` says it listens.
 */
export class Shutdown {
  /** resolves with the exit code once every stop step has run */
  readonly exited: Promise<number>;
  private resolveExit: (code: number) => void = () => {};
  private listening = false;
  private stopping = false;
  private deferred: string | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly steps: StopSteps,
    private readonly env: Record<string, string | undefined>,
  ) {
    this.exited = new Promise<number>((r) => (this.resolveExit = r));
  }

  /** Asks the daemon to stop, giving the reason for the log. */
  readonly request = (reason: string): void => {
    if (!this.listening) {
      this.deferred ??= reason;
      return;
    }
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info(`shutting down: ${reason}`);
    void this.steps.run().then(() => {
      this.logger.info('stopped');
      removeOnExit(this.env);
      this.resolveExit(EXIT.ok);
    });
  };

  /** The server listens: a request made during start runs now. */
  ready(): void {
    this.listening = true;
    if (this.deferred !== null) this.request(this.deferred);
  }
}

/**
 * Routes the process's own events to the daemon: an unhandled rejection is logged (one stray
 * promise must not take the daemon down); SIGTERM, SIGINT, SIGHUP and the end of the owner
 * process ask for shutdown. Each listener comes off again as a stop step.
 */
export function trapProcessEvents(
  logger: Logger,
  env: Record<string, string | undefined>,
  shutdown: Shutdown,
  steps: StopSteps,
): void {
  const onRejection = (reason: unknown): void => logger.error('unhandled rejection', reason);
  process.on('unhandledRejection', onRejection);
  steps.push(() => {
    process.off('unhandledRejection', onRejection);
  });
  const onSignal = (sig: NodeJS.Signals): void => shutdown.request(`signal ${sig}`);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
  steps.push(() => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('SIGHUP', onSignal);
  });
  steps.push(watchOwner(env, (pid) => shutdown.request(`owner process ${pid} is gone`)));
}
