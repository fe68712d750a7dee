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
import type { StopStep } from './shutdown.js';
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

/** Takes one stop step; the caller runs them in reverse start order. */
type Defer = (stop: StopStep) => void;

/** Parts that need a service built after them: filled in as soon as it exists. */
interface Later {
  engine: IngestEngine | null;
  watcher: SourceWatcher | null;
}

type Learning = Pick<Services, 'learner' | 'profiles' | 'replays' | 'states'>;

/**
 * Builds the services. `defer` receives each stop step in start order (the caller runs them in
 * reverse). Nothing here starts watching or scheduling: see `startServices`.
 */
export function createServices(d: ServiceDeps, defer: Defer): Services {
  d.store.quarantine.keepPerFile = d.config.quarantineKeepPerFile;
  const profiler = new ContextProfiler(d.store);
  const reads = createReadWorker(d, defer);
  const later: Later = { engine: null, watcher: null };
  const ingestBusy = (): boolean => (later.engine?.pendingFiles ?? 0) > 0;
  const learning = createLearning(d, profiler, ingestBusy, defer);
  const quota = new QuotaState(d.store, d.env);
  const { runner, router } = createRouting(d, defer);
  const offloadFile = createOffloadFile(d, defer);
  const { discovery, schedule } = createDiscovery(d, reads, defer);
  const spool = spoolDir(d.stateDir);
  const engine = createEngine(d, spool, { ...learning, quota }, later, defer);
  later.engine = engine;
  const watcher = createWatcher(d, spool, engine);
  later.watcher = watcher;
  return { ...learning, engine, watcher, profiler, discovery, schedule, quota, runner, router, offloadFile, reads };
}

/** The read thread, for a store on disk whose worker script is there; null otherwise. */
function createReadWorker(d: ServiceDeps, defer: Defer): ReadWorker | null {
  const readScript = d.store.db.memory ? null : readWorkerScript();
  const reads = readScript ? new ReadWorker({ dbPath: d.store.db.name }, d.logger, readScript) : null;
  if (reads) defer(() => reads.close());
  return reads;
}

/** The background learners; each holds back while `ingestBusy` says files are waiting. */
function createLearning(d: ServiceDeps, profiler: ContextProfiler, ingestBusy: () => boolean, defer: Defer): Learning {
  const { store, hub, logger } = d;
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
  return { learner, profiles, replays, states };
}

function createRouting(d: ServiceDeps, defer: Defer): Pick<Services, 'runner' | 'router'> {
  const { store, hub, logger, config } = d;
  const runner = new ToolRunner();
  defer(() => runner.close());
  const builtin = new BuiltinRoute(store, hub, runner);
  const router = new Router({ store, hub, logger, runner, threshold: config.routeThreshold, builtin });
  return { runner, router };
}

/** offload.json follows the store from the start: written now, then after every review or switch. */
function createOffloadFile(d: ServiceDeps, defer: Defer): OffloadFileWriter {
  const offloadFile = new OffloadFileWriter(d.stateDir, d.store, d.logger, d.warnings);
  offloadFile.start(d.hub);
  defer(() => offloadFile.close());
  return offloadFile;
}

/** Discovery, with candidates selected on the read thread when there is one, and its weekly run. */
function createDiscovery(
  d: ServiceDeps,
  reads: ReadWorker | null,
  defer: Defer,
): Pick<Services, 'discovery' | 'schedule'> {
  const { config } = d;
  const discovery = new Discovery(d.store, d.hub, d.logger, {
    stateDir: d.stateDir,
    env: d.env,
    ...(reads ? { select: (sinceMs: number) => reads.call('selectCandidates', { sinceMs }) } : {}),
  });
  defer(() => discovery.close());
  const schedule = new DiscoverySchedule(discovery, d.logger, {
    intervalMs: config.analyzeIntervalHours * 3_600_000,
    startDelayMs: 60_000,
    createIssues: config.autoCreateIssues && config.issueRepo !== null,
    repo: config.issueRepo,
  });
  defer(() => schedule.stop());
  return { discovery, schedule };
}

/** The ingest engine over the spool dir (made here), telling the learners what each batch touched. */
function createEngine(
  d: ServiceDeps,
  spool: string,
  s: Learning & Pick<Services, 'quota'>,
  later: Later,
  defer: Defer,
): IngestEngine {
  mkdirSync(spool, { recursive: true, mode: 0o700 });
  const engine = new IngestEngine({
    store: d.store,
    hub: d.hub,
    logger: d.logger,
    warnings: d.warnings,
    spoolDir: spool,
    onIngested: (effects) => {
      s.learner.schedule(effects.touchedSessions);
      s.replays.schedule();
      s.states.schedule(effects.touchedSessions);
      s.quota.markDirty();
    },
    onWorkflow: (run) => s.learner.learnWorkflow(run),
    // out of descriptors, the watcher may have missed directories too: look through every root again
    onDescriptorPressure: () => later.watcher?.rescanLater(),
  });
  defer(() => engine.close());
  return engine;
}

/** The watcher over the spool, the roots asked for and (unless turned off) the transcript dirs. */
function createWatcher(d: ServiceDeps, spool: string, engine: IngestEngine): SourceWatcher {
  const roots = [
    spool,
    ...d.watch,
    ...d.config.watch,
    ...(d.config.watchDefaultTranscripts ? defaultTranscriptRoots(d.env) : []),
  ].map((r) => (isAbsolute(r) ? r : resolve(d.stateDir, r)));
  for (const m of existingRoots(roots).missing) d.logger.info(`${m} does not exist yet; watching for it to appear`);
  return new SourceWatcher(
    roots,
    { changed: (p) => engine.enqueue(p), removed: (p) => engine.removed(p) },
    d.logger,
    d.warnings,
  );
}

/** Starts the background work once the socket answers: catch-up learning, watching, the weekly run. */
export function startServices(s: Services, logger: Logger, defer: Defer): void {
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
