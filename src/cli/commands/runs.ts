/**
 * `outloop runs show ID`: a kept `outloop run` log, raw, byte for byte. `outloop runs list [--json]`:
 * the kept logs (id, time, size), oldest first. Both read `<state dir>/runs/` only; no daemon needed.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { resolveStateDir } from '../../rpc/paths.js';
import { listRuns, runLogPath, type KeptRun } from '../run/log-store.js';
import { COMMON_OPTIONS, EXIT, parseCommand, printJson, reportError } from '../shared.js';
import { renderTable } from '../table.js';

const spec = {
  name: 'runs',
  usage: 'outloop runs show ID | outloop runs list [--json]',
  summary: 'Kept output of `outloop run`: print one log raw (show) or list them (list).',
  options: { ...COMMON_OPTIONS },
  positionals: { min: 1, max: 2 },
} as const;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const { json } = parsed.values;
  const [verb, id] = parsed.positionals;
  const stateDir = resolveStateDir(process.env);
  if (verb === 'list' && id === undefined) return list(stateDir, json);
  if (verb === 'show' && id !== undefined) return show(stateDir, id, json);
  return reportError('runs', new Error(`expected 'show ID' or 'list'; usage: ${spec.usage}`), json, EXIT.usage);
}

function list(stateDir: string, json: boolean): number {
  const runs = listRuns(stateDir).map((r: KeptRun) => ({
    id: r.id,
    time: new Date(r.mtimeMs).toISOString(),
    bytes: r.bytes,
  }));
  if (json) printJson({ runs });
  else if (runs.length === 0) process.stdout.write('no kept run logs\n');
  else
    process.stdout.write(
      renderTable(
        ['id', 'time', 'bytes'],
        runs.map((r) => [r.id, r.time, r.bytes]),
      ),
    );
  return EXIT.ok;
}

async function show(stateDir: string, id: string, json: boolean): Promise<number> {
  const path = runLogPath(stateDir, id);
  if (path === null) return reportError('runs', new Error(`'${id}' is not a run id (r-<hex>)`), json, EXIT.usage);
  if (json) {
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch {
      return reportError('runs', missing(id), json);
    }
    printJson({ id, bytes: data.length, output: data.toString('utf8') });
    return EXIT.ok;
  }
  return new Promise((resolve) => {
    const stream = createReadStream(path);
    stream.once('error', () => resolve(reportError('runs', missing(id), false)));
    stream.once('end', () => resolve(EXIT.ok));
    stream.pipe(process.stdout, { end: false });
  });
}

function missing(id: string): Error {
  return new Error(`no kept log for ${id}: it was never kept here or has been pruned (see 'outloop runs list')`);
}
