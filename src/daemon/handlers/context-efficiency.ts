import { invalidArgument, notFound } from '../../core/errors.js';
import {
  METHODS,
  type ContextEfficiencyParams,
  type ContextEfficiencyResult,
  type ContextProfileInfo,
} from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import type { ContextProfiler } from '../learn/context-profiler.js';
import type { HandlerMap } from '../server.js';
import type { ContextProfileRecord } from '../store/context-repo.js';
import type { Store } from '../store/store.js';

const given = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s);

/** `context/efficiency`: exactly one of sessionId / workflowId. */
export function contextEfficiency(profiler: ContextProfiler, params: ContextEfficiencyParams): ContextEfficiencyResult {
  const sessionId = given(params.sessionId);
  const workflowId = given(params.workflowId);
  if ((sessionId === undefined) === (workflowId === undefined)) {
    throw invalidArgument('context/efficiency needs exactly one of sessionId or workflowId', { field: 'sessionId' });
  }
  const result = profiler.efficiencyFor(sessionId !== undefined ? { sessionId } : { workflowId: workflowId ?? '' });
  if (result === null) {
    throw sessionId !== undefined
      ? notFound(`no tool calls recorded for session ${sessionId}`, { sessionId })
      : notFound(`no tool calls recorded for workflow ${workflowId ?? ''}`, { workflowId });
  }
  return result;
}

/** A stored context profile as the wire shows it. */
export function toProfileInfo(r: ContextProfileRecord): ContextProfileInfo {
  return {
    signature: r.signature,
    globs: r.globs,
    typicalFiles: r.typicalFiles,
    typicalDirs: r.typicalDirs,
    avgTokensLoaded: r.avgTokensLoaded,
    avgTokensUsed: r.avgTokensUsed,
    estimatedTokensSaved: r.estimatedTokensSaved,
    samples: r.samples,
    updatedAt: r.updatedAt,
  };
}

/** `context/profile`: the stored profile of a pattern. */
export function contextProfile(store: Store, signature: string): ContextProfileInfo {
  const profile = store.contextProfiles.get(signature);
  if (profile === null) {
    throw notFound(
      `no context profile for pattern '${signature}': profiles are built once the pattern has occurrences with recorded tool calls`,
      { signature },
    );
  }
  return toProfileInfo(profile);
}

/** The two context methods on the main thread (the read thread answers them in the daemon: handlers/reads.ts). */
export function contextHandlers(deps: DaemonDeps, profiler: ContextProfiler): HandlerMap {
  return {
    [METHODS.contextEfficiency]: (params) => contextEfficiency(profiler, params),
    [METHODS.contextProfile]: ({ signature }) => contextProfile(deps.store, signature),
  };
}
