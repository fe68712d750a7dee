import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getErrorMessage } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { assertSocketPathLength } from '../rpc/paths.js';
import { loadConfig } from './config.js';
import type { DaemonDeps } from './deps.js';
import { allHandlers } from './handlers/index.js';
import { Hub } from './hub.js';
import { acquireLock, AlreadyRunningError, prepareSocket } from './lifecycle.js';
import { createFileLogger } from './logger.js';
import { removeOnExit, watchOwner } from './owner-watch.js';
import { PRIVATE_UMASK, restrictDatabaseFiles, restrictStateFiles, stateDirWarning } from './private-files.js';
import { connectionLimits } from './conn-limits.js';
import { createRpcServer } from './server.js';
import { createServices, startServices } from './services.js';
import { Store } from './store/store.js';
import { Warnings } from './warnings.js';

export interface DaemonOptions {
  stateDir: string;
  socketPath: string;
  watch: string[];
  env: Record<string, string | undefined>;
}

/**
 * Runs the daemon until it is asked to stop. Resolves with the process exit code. Start order:
 * lock, socket check, store, hub, server; shutdown runs in reverse.
 */
export async function runDaemon(opts: DaemonOptions): Promise<number> {
  const { stateDir, socketPath } = opts;
  try {
    assertSocketPathLength(socketPath);
  } catch (e) {
    process.stderr.write(`outloop daemon: ${getErrorMessage(e)}\n`);
    return EXIT.failure;
  }
  // New files 0600 and directories 0700 whatever umask the daemon was started with; files that
  // already exist are narrowed before anything is appended to them.
  process.umask(PRIVATE_UMASK);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  restrictStateFiles(stateDir);
  const logger = createFileLogger(
    join(stateDir, 'daemon.log'),
    opts.env['OUTLOOP_LOG_LEVEL'] === 'debug' ? 'debug' : 'info',
  );
  const fatal = (msg: string, code: number): number => {
    logger.error(msg);
    process.stderr.write(`outloop daemon: ${msg}\n`);
    return code;
  };

  const undo: (() => void | Promise<void>)[] = [];
  const unwind = async (): Promise<void> => {
    for (const fn of undo.reverse()) {
      try {
        await fn();
      } catch (e) {
        logger.warn('shutdown step failed', e);
      }
    }
  };

  try {
    undo.push(acquireLock(stateDir));
    await prepareSocket(socketPath);
  } catch (e) {
    await unwind();
    if (e instanceof AlreadyRunningError) return fatal(e.message, EXIT.alreadyRunning);
    return fatal(getErrorMessage(e), EXIT.failure);
  }

  let store: Store;
  try {
    store = Store.open(join(stateDir, 'outloop.db'));
  } catch (e) {
    await unwind();
    return fatal(getErrorMessage(e), EXIT.failure);
  }
  undo.push(() => store.close());

  restrictDatabaseFiles(join(stateDir, 'outloop.db'));

  const { config, warnings: configWarnings } = loadConfig(stateDir);
  const warnings = new Warnings();
  for (const warning of [stateDirWarning(stateDir), ...configWarnings]) {
    if (warning === null) continue;
    warnings.add(warning);
    logger.warn(warning);
  }
  const hub = new Hub();
  undo.push(() => hub.close());

  const defer = (stop: () => void | Promise<void>): void => {
    undo.push(stop);
  };
  const services = createServices(
    { stateDir, env: opts.env, watch: opts.watch, config, store, hub, logger, warnings },
    defer,
  );
  const { engine, watcher } = services;

  let resolveExit: (code: number) => void = () => {};
  const exited = new Promise<number>((r) => (resolveExit = r));
  let stopping = false;
  let listening = false;
  let deferredShutdown: string | null = null;

  const ctx: DaemonDeps = {
    stateDir,
    socketPath,
    dbPath: join(stateDir, 'outloop.db'),
    startedAt: new Date(),
    logger,
    hub,
    store,
    warnings,
    ingestStatus: () => ({ watchedRoots: watcher.roots, ...engine.status(store.offsets.count()) }),
    shutdown: (reason) => {
      // A signal that comes while the server is still starting is honoured once it listens.
      if (!listening) {
        deferredShutdown ??= reason;
        return;
      }
      if (stopping) return;
      stopping = true;
      logger.info(`shutting down: ${reason}`);
      void unwind().then(() => {
        logger.info('stopped');
        removeOnExit(opts.env);
        resolveExit(EXIT.ok);
      });
    },
  };

  const limits = connectionLimits(opts.env);
  logger.info(
    `connections: at most ${limits.maxConnections}, a line within ${limits.lineTimeoutMs} ms and ${limits.maxLineBytes} bytes, ` +
      `${limits.maxBufferedBytes} bytes of unfinished lines in all`,
  );
  const server = createRpcServer(allHandlers(ctx, services, config, opts.env), logger, limits);
  // One stray rejected promise must not take the daemon down: log it and keep serving.
  const onRejection = (reason: unknown): void => logger.error('unhandled rejection', reason);
  process.on('unhandledRejection', onRejection);
  undo.push(() => {
    process.off('unhandledRejection', onRejection);
  });
  // Handlers go in before the socket accepts: a SIGTERM right after start must shut down cleanly.
  const onSignal = (sig: NodeJS.Signals): void => ctx.shutdown(`signal ${sig}`);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
  undo.push(() => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('SIGHUP', onSignal);
  });

  undo.push(watchOwner(opts.env, (pid) => ctx.shutdown(`owner process ${pid} is gone`)));

  try {
    await server.listen(socketPath);
  } catch (e) {
    await unwind();
    return fatal(`cannot listen on ${socketPath}: ${getErrorMessage(e)}`, EXIT.failure);
  }
  undo.push(() => rmSync(socketPath, { force: true }));
  undo.push(() => server.close());

  // Background work starts once the socket answers: the initial scan must not delay start.
  startServices(services, logger, defer);

  logger.info(`outloop daemon ${process.pid} listening on ${socketPath} (state ${stateDir})`);
  listening = true;
  if (deferredShutdown !== null) ctx.shutdown(deferredShutdown);
  return exited;
}
