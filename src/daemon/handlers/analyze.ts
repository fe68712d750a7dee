import { METHODS } from '../../rpc/protocol.js';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { invalidArgument } from '../../core/errors.js';
import { isRepoSpec } from '../config.js';
import type { Discovery } from '../discovery/discovery.js';
import type { HandlerMap } from '../server.js';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `analyze/run`: one discovery run, queued behind any in progress (two at once never file twice). */
export function analyzeHandlers(discovery: Discovery): HandlerMap {
  return {
    [METHODS.analyzeRun]: (params) => {
      const repo = params.repo?.trim() || null;
      if (repo !== null && !isRepoSpec(repo))
        throw invalidArgument(`repo must be OWNER/NAME (or HOST/OWNER/NAME), got '${repo}'`, { field: 'repo' });
      const cwd: unknown = params.cwd;
      if (cwd !== undefined && cwd !== null && (typeof cwd !== 'string' || cwd.length > 4096 || !isAbsolute(cwd))) {
        throw invalidArgument('cwd must be an absolute path', { field: 'cwd' });
      }
      return discovery.run({
        createIssues: params.createIssues === true,
        repo,
        // a directory that vanished is not worth failing for: gh then reports "not a git repository"
        cwd: typeof cwd === 'string' && isDirectory(cwd) ? cwd : null,
        trigger: 'manual',
      });
    },
  };
}
