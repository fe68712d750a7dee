import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getErrorMessage } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import { assertSocketPathLength } from '../rpc/paths.js';
import { type DaemonConfig, loadConfig } from './config.js';
import type { DaemonDeps } from './deps.js';
import { allHandlers } from './handlers/index.js';
import { Hub } from './hub.js';
import { acquireLock, AlreadyRunningError, prepareSocket } from './lifecycle.js';
import { createFileLogger, type Logger } from './logger.js';
import { PRIVATE_UMASK, restrictDatabaseFiles, restrictStateFiles, stateDirWarning } from './private-files.js';
import { connectionLimits } from './conn-limits.js';
import { createRpcServer, type RpcServer } from './server.js';
import { createServices, type Services, startServices } from './services.js';
import { Shutdown, StopSteps, trapProcessEvents } from './shutdown.js';
import { Store } from './store/store.js';
import { Warnings } from './warnings.js';

export interface DaemonOptions {
  stateDir: string;
  socketPath: string;
  watch: string[];
  env: Record<string, string | undefined>;
}

/** A start step that failed: what was started is stopped again and the daemon exits with `code`. */
class StartFailure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * Runs the daemon until it is asked to stop. Resolves with the process exit code. Start order:
 * lock, socket check, store, hub, server; shutdown runs in reverse.
 */
export async function runDaemon(opts: DaemonOptions): Promise<number> {
  if (!socketPathFits(opts.socketPath)) return EXIT.failure;
  const logger = prepareStateDir(opts);
  const steps = new StopSteps(logger);
  try {
    return await startDaemon(opts, logger, steps);
  } catch (e) {
    if (!(e instanceof StartFailure)) throw e;
    await steps.run();
    logger.error(e.message);
    process.stderr.write(`outloop daemon: ${e.message}\n`);
    return e.code;
  }
}

/** Starts every part in order, then resolves with the exit code once the daemon has stopped. */
async function startDaemon(opts: DaemonOptions, logger: Logger, steps: StopSteps): Promise<number> {
  const { stateDir, socketPath } = opts;
  await claimInstance(stateDir, socketPath, steps);
  const store = openStore(stateDir, steps);
  const { config, warnings } = loadSettings(stateDir, logger);
  const hub = new Hub();
  steps.push(() => hub.close());
  const services = createServices(
    { stateDir, env: opts.env, watch: opts.watch, config, store, hub, logger, warnings },
    steps.defer,
  );
  const shutdown = new Shutdown(logger, steps, opts.env);
  const deps = daemonDeps(opts, { logger, hub, store, warnings }, services, shutdown);
  const server = buildServer(deps, services, config, opts.env);
  // Handlers go in before the socket accepts: a SIGTERM right after start must shut down cleanly.
  trapProcessEvents(logger, opts.env, shutdown, steps);
  await listen(server, socketPath, steps);
  // Background work starts once the socket answers: the initial scan must not delay start.
  startServices(services, logger, steps.defer);
  logger.info(`outloop daemon ${process.pid} listening on ${socketPath} (state ${stateDir})`);
  shutdown.ready();
  return shutdown.exited;
}

/** Whether the socket path fits a Unix socket address; says why on stderr when it does not. */
function socketPathFits(socketPath: string): boolean {
  try {
    assertSocketPathLength(socketPath);
    return true;
  } catch (e) {
    process.stderr.write(`outloop daemon: ${getErrorMessage(e)}\n`);
    return false;
  }
}

/**
 * Makes the state dir and opens the log in it. New files 0600 and directories 0700 whatever umask
 * the daemon was started with; files that already exist are narrowed before anything is appended.
 */
function prepareStateDir(opts: DaemonOptions): Logger {
  process.umask(PRIVATE_UMASK);
  mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  restrictStateFiles(opts.stateDir);
  return createFileLogger(
    join(opts.stateDir, 'daemon.log'),
    opts.env['OUTLOOP_LOG_LEVEL'] === 'debug' ? 'debug' : 'info',
  );
}

/** Takes the single-instance lock and makes sure no other daemon answers on the socket. */
async function claimInstance(stateDir: string, socketPath: string, steps: StopSteps): Promise<void> {
  try {
    steps.push(acquireLock(stateDir));
    await prepareSocket(socketPath);
  } catch (e) {
    const code = e instanceof AlreadyRunningError ? EXIT.alreadyRunning : EXIT.failure;
    throw new StartFailure(getErrorMessage(e), code);
  }
}

function openStore(stateDir: string, steps: StopSteps): Store {
  const dbPath = join(stateDir, 'outloop.db');
  let store: Store;
  try {
    store = Store.open(dbPath);
  } catch (e) {
    throw new StartFailure(getErrorMessage(e), EXIT.failure);
  }
  steps.push(() => store.close());
  restrictDatabaseFiles(dbPath);
  return store;
}

/** Reads config.json; its warnings and the state dir's go to the log and to `status`. */
function loadSettings(stateDir: string, logger: Logger): { config: DaemonConfig; warnings: Warnings } {
  const { config, warnings: configWarnings } = loadConfig(stateDir);
  const warnings = new Warnings();
  for (const warning of [stateDirWarning(stateDir), ...configWarnings]) {
    if (warning === null) continue;
    warnings.add(warning);
    logger.warn(warning);
  }
  return { config, warnings };
}

function daemonDeps(
  opts: DaemonOptions,
  parts: Pick<DaemonDeps, 'logger' | 'hub' | 'store' | 'warnings'>,
  services: Services,
  shutdown: Shutdown,
): DaemonDeps {
  const { engine, watcher } = services;
  const { store } = parts;
  return {
    stateDir: opts.stateDir,
    socketPath: opts.socketPath,
    dbPath: join(opts.stateDir, 'outloop.db'),
    startedAt: new Date(),
    ...parts,
    ingestStatus: () => ({ watchedRoots: watcher.roots, ...engine.status(store.offsets.count()) }),
    shutdown: shutdown.request,
  };
}

/** The RPC server over every handler, with the connection limits from the environment (logged). */
function buildServer(
  deps: DaemonDeps,
  services: Services,
  config: DaemonConfig,
  env: Record<string, string | undefined>,
): RpcServer {
  const limits = connectionLimits(env);
  deps.logger.info(
    `connections: at most ${limits.maxConnections}, a line within ${limits.lineTimeoutMs} ms and ${limits.maxLineBytes} bytes, ` +
      `${limits.maxBufferedBytes} bytes of unfinished lines in all`,
  );
  return createRpcServer(allHandlers(deps, services, config, env), deps.logger, limits);
}

async function listen(server: RpcServer, socketPath: string, steps: StopSteps): Promise<void> {
  try {
    await server.listen(socketPath);
  } catch (e) {
    throw new StartFailure(`cannot listen on ${socketPath}: ${getErrorMessage(e)}`, EXIT.failure);
  }
  steps.push(() => rmSync(socketPath, { force: true }));
  steps.push(() => server.close());
}
