import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/core/exit-codes.js';
import type { Logger } from '../../src/daemon/logger.js';
import { Shutdown, StopSteps } from '../../src/daemon/shutdown.js';

/** A logger that keeps its lines as `LEVEL msg`. */
function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (msg: string): void => {
      lines.push(`${level} ${msg}`);
    };
  return { lines, debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}

describe('StopSteps', () => {
  it('runs the steps in reverse order, awaiting each one', async () => {
    const done: string[] = [];
    const steps = new StopSteps(memoryLogger());
    steps.push(() => {
      done.push('lock');
    });
    steps.defer(async () => {
      await new Promise((r) => setTimeout(r, 5));
      done.push('store');
    });
    steps.push(() => {
      done.push('server');
    });
    await steps.run();
    expect(done).toEqual(['server', 'store', 'lock']);
  });

  it('logs a step that fails and still runs the others', async () => {
    const logger = memoryLogger();
    const done: string[] = [];
    const steps = new StopSteps(logger);
    steps.push(() => {
      done.push('first');
    });
    steps.push(() => {
      throw new Error('boom');
    });
    steps.push(() => Promise.reject(new Error('async boom')));
    await steps.run();
    expect(done).toEqual(['first']);
    expect(logger.lines).toEqual(['WARN shutdown step failed', 'WARN shutdown step failed']);
  });
});

describe('Shutdown', () => {
  it('runs the stop steps once, logs the reason and resolves with exit 0', async () => {
    const logger = memoryLogger();
    const steps = new StopSteps(logger);
    let runs = 0;
    steps.push(() => {
      runs++;
    });
    const shutdown = new Shutdown(logger, steps, {});
    shutdown.ready();
    shutdown.request('signal SIGTERM');
    shutdown.request('signal SIGINT');
    await expect(shutdown.exited).resolves.toBe(EXIT.ok);
    expect(runs).toBe(1);
    expect(logger.lines).toEqual(['INFO shutting down: signal SIGTERM', 'INFO stopped']);
  });

  it('holds a request made before the server listens until ready, keeping the first reason', async () => {
    const logger = memoryLogger();
    const steps = new StopSteps(logger);
    let runs = 0;
    steps.push(() => {
      runs++;
    });
    const shutdown = new Shutdown(logger, steps, {});
    shutdown.request('signal SIGHUP');
    shutdown.request('signal SIGTERM');
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(0);
    expect(logger.lines).toEqual([]);
    shutdown.ready();
    await expect(shutdown.exited).resolves.toBe(EXIT.ok);
    expect(runs).toBe(1);
    expect(logger.lines).toEqual(['INFO shutting down: signal SIGHUP', 'INFO stopped']);
  });
});
