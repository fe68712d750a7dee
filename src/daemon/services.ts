import { mkdirSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { spoolDir } from '../rpc/paths.js';
import type { DaemonConfig } from './config.js';
import type { Hub } from './hub.js';
import { IngestEngine } from './ingest/engine.js';
import { ContextProfiler } from './learn/context-profiler.js';
import { ReadWorker, readWorkerScript } from './read-worker/read-worker.js';
import { Discovery } from './discovery/discovery.js';
import { DiscoverySchedule } from './discovery/schedule.js';
import { Learner } from './learn/learner.js';
import { ProfileRefresher } from './learn/profile-refresher.js';
import { ReplayRefresher } from './learn/replay-refresher.js';
import { SessionStates } from './learn/session-states.js';
import { QuotaState } from './quota/quota-state.js';
import { Router } from './route/router.js';
import type { Logger } from './logger.js';
import { BuiltinRoute } from './route/builtin-runner.js';
import { OffloadFileWriter } from './offload/offload-file.js';
import type { Store } from './store/store.js';
import { ToolRunner } from './route/tool-runner.js';
import type { Warnings } from './warnings.js';
import { defaultTranscriptRoots, existingRoots } from './watch/roots.js';
import { SourceWatcher } from './watch/watcher.js';

/** The long-lived parts of the daemon, built once in dependency order. */
export interface Services {
  learner: Learner;
  engine: IngestEngine;
  watcher: SourceWatcher;
  profiler: ContextProfiler;
  profiles: ProfileRefresher;
  replays: ReplayRefresher;
  states: SessionStates;
  discovery: Discovery;
  schedule: DiscoverySchedule;
  quota: QuotaState;
  runner: ToolRunner;
  router: Router;
  offloadFile: OffloadFileWriter;
  /** the read thread (null for a store in memory, or without its script): see handlers/reads.ts */
  reads: ReadWorker | null;
}

export interface ServiceDeps {
  stateDir: string;
  env: Record<string, string | undefined>;
  watch: string[];
  config: DaemonConfig;
  store: Store;
  hub: Hub;
  logger: Logger;
  warnings: Warnings;
}

/**
 * Builds the services. `defer` receives each stop step in start order (the caller runs them in
 * reverse). Nothing here starts watching or scheduling: see `startServices`.
 */
export function createServices(d: ServiceDeps, defer: (stop: () => void | Promise<void>) => void): Services {
  const { store, hub, logger, warnings, config } = d;
  store.quarantine.keepPerFile = config.quarantineKeepPerFile;
  const profiler = new ContextProfiler(store);
  const readScript = store.db.memory ? null : readWorkerScript();
  const reads = readScript ? new ReadWorker({ dbPath: store.db.name }, logger, readScript) : null;
  if (reads) defer(() => reads.close());
  let engineRef: IngestEngine | null = null;
  const ingestBusy = (): boolean => (engineRef?.status(0).pendingFiles ?? 0) > 0;
  const profiles = new ProfileRefresher(store, profiler, logger, ingestBusy);
  defer(() => profiles.close());
  const states = new SessionStates(profiler, logger, ingestBusy);
  defer(() => states.close());
  const learner = new Learner(store, hub, logger, ingestBusy);
  defer(() => learner.close());
  // replay figures follow the stored outputs: filled once ingestion and learning have settled
  const replays = new ReplayRefresher(store, hub, logger, { busy: () => ingestBusy() || learner.settling() });
  defer(() => replays.close());
  learner.onPatternsChanged = (ids) => {
    profiles.schedule(ids);
    replays.schedule();
  };
  const quota = new QuotaState(store, d.env);
  const runner = new ToolRunner();
  defer(() => runner.close());
  const builtin = new BuiltinRoute(store, hub, runner);
  const router = new Router({ store, hub, logger, runner, threshold: config.routeThreshold, builtin });
  // offload.json follows the store from the start: written now, then after every review or switch
  const offloadFile = new OffloadFileWriter(d.stateDir, store, logger, warnings);
  offloadFile.start(hub);
  defer(() => offloadFile.close());
  const discovery = new Discovery(store, hub, logger, {
    stateDir: d.stateDir,
    env: d.env,
    ...(reads ? { select: (sinceMs: number) => reads.call('selectCandidates', { sinceMs }) } : {}),
  });
  defer(() => discovery.close());
  const schedule = new DiscoverySchedule(discovery, logger, {
    intervalMs: config.analyzeIntervalHours * 3_600_000,
    startDelayMs: 60_000,
    createIssues: config.autoCreateIssues && config.issueRepo !== null,
    repo: config.issueRepo,
  });
  defer(() => schedule.stop());

  const spool = spoolDir(d.stateDir);
  mkdirSync(spool, { recursive: true, mode: 0o700 });
  const engine = new IngestEngine({
    store,
    hub,
    logger,
    warnings,
    spoolDir: spool,
    onIngested: (effects) => {
      learner.schedule(effects.touchedSessions);
      replays.schedule();
      states.schedule(effects.touchedSessions);
      quota.markDirty();
    },
    onWorkflow: (run) => learner.learnWorkflow(run),
    // out of descriptors, the watcher may have missed directories too: look through every root again
    onDescriptorPressure: () => watcherRef?.rescanLater(),
  });
  engineRef = engine;
  let watcherRef: SourceWatcher | null = null;
  defer(() => engine.close());

  const roots = [
    spool,
    ...d.watch,
    ...config.watch,
    ...(config.watchDefaultTranscripts ? defaultTranscriptRoots(d.env) : []),
  ].map((r) => (isAbsolute(r) ? r : resolve(d.stateDir, r)));
  for (const m of existingRoots(roots).missing) logger.info(`${m} does not exist yet; watching for it to appear`);
  const watcher = new SourceWatcher(
    roots,
    { changed: (p) => engine.enqueue(p), removed: (p) => engine.removed(p) },
    logger,
    warnings,
  );
  watcherRef = watcher;
  return {
    learner,
    engine,
    watcher,
    profiler,
    profiles,
    replays,
    states,
    discovery,
    schedule,
    quota,
    runner,
    router,
    offloadFile,
    reads,
  };
}

/** Starts the background work once the socket answers: catch-up learning, watching, the weekly run. */
export function startServices(s: Services, logger: Logger, defer: (stop: () => void | Promise<void>) => void): void {
  s.reads?.warm();
  s.learner.schedule();
  // outputs stored without a replay (a store filled by an older outloop, or a fill cut short by a stop)
  s.replays.schedule();
  // sessions large enough to keep a state for and without one yet (stored before states were kept)
  s.states.scheduleMissing();
  // profiles of patterns that changed before a stop or a kill (the refresher's queue is in memory)
  s.profiles.scheduleStale();
  void s.watcher.start().then(
    () => logger.info(`watching ${s.watcher.roots.length} root(s)`),
    (e: unknown) => logger.error('watcher failed to start', e),
  );
  defer(() => s.watcher.close());
  s.schedule.start();
}
