import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How to start a worker thread: the script (a file URL, or code to evaluate) and whether it is code. */
export interface WorkerScript {
  script: string | URL;
  eval: boolean;
}

/**
 * The worker script `name` next to the module at `moduleUrl`: the compiled `.js`, or under a
 * TypeScript runner (the tests) the `.ts` loaded through tsx's loader, registered inside the worker
 * first. Null when the file is not there.
 */
export function workerScriptNextTo(moduleUrl: string, name: string): WorkerScript | null {
  const ts = moduleUrl.endsWith('.ts');
  const url = new URL(`./${name}${ts ? '.ts' : '.js'}`, moduleUrl);
  if (!existsSync(fileURLToPath(url))) return null;
  if (!ts) return { script: url, eval: false };
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return { script: boot, eval: true };
}
