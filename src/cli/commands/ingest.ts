import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { METHODS, type IngestCounts } from '../../rpc/protocol.js';
import { withDaemon } from '../daemon-control.js';
import { formatBytes, ProgressBar } from '../progress.js';
import { DAEMON_CLIENT_OPTIONS, EXIT, parseCommand, printJson, reportError } from '../shared.js';
import { listFiles } from '../walk.js';

const spec = {
  name: 'ingest',
  usage: 'outloop ingest PATH... [--json] [--no-autostart]',
  summary:
    'Backfill: the daemon ingests these files or directories (transcripts, hook logs, ADW runs; kinds detected from layout and content) and this returns when caught up. Counts only rows this call added.',
  options: { ...DAEMON_CLIENT_OPTIONS },
  positionals: { min: 1, max: Infinity },
} as const;

const CHUNK_FILES = 500;
const CHUNK_BYTES = 128 * 1024 * 1024;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const json = parsed.values.json;
  const roots = parsed.positionals.map((p) => resolve(p));
  const missing = roots.filter((p) => {
    try {
      statSync(p);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0)
    return reportError('ingest', new Error(`no such file or directory: ${missing.join(', ')}`), json, EXIT.usage);
  const files = listFiles(roots, (path, reason) =>
    process.stderr.write(`outloop ingest: skipping ${path}: ${reason}\n`),
  );
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const total: IngestCounts = {
    files: 0,
    bytes: 0,
    hookEvents: 0,
    toolCalls: 0,
    usageRecords: 0,
    workflowRuns: 0,
    quarantined: 0,
  };
  const bar = json ? null : new ProgressBar('ingesting', totalBytes);
  try {
    await withDaemon(!parsed.values['no-autostart'], async (client) => {
      // two chunks in flight: the daemon's queue never runs dry between them
      const chunks: { paths: string[]; bytes: number }[] = [];
      for (let i = 0; i < files.length;) {
        const chunk: string[] = [];
        let bytes = 0;
        while (i < files.length && chunk.length < CHUNK_FILES && (bytes < CHUNK_BYTES || chunk.length === 0)) {
          const f = files[i++];
          if (!f) break;
          chunk.push(f.path);
          bytes += f.size;
        }
        chunks.push({ paths: chunk, bytes });
      }
      let done = 0;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < chunks.length) {
          const c = chunks[next++];
          if (!c) break;
          const r = await client.request(METHODS.ingestRun, { paths: c.paths }, { timeoutMs: 30 * 60_000 });
          for (const k of Object.keys(total) as (keyof IngestCounts)[]) total[k] += r[k];
          done += c.bytes;
          bar?.update(done, `${formatBytes(done)} / ${formatBytes(totalBytes)}`);
        }
      };
      await Promise.all([worker(), worker()]);
    });
  } catch (e) {
    bar?.done();
    return reportError('ingest', e, json);
  }
  bar?.done();
  if (json) printJson(total);
  else
    process.stdout.write(
      `ingested ${total.files} file(s), ${formatBytes(total.bytes)}: +${total.hookEvents} hook events, +${total.toolCalls} tool calls, ` +
        `+${total.usageRecords} usage records, +${total.workflowRuns} workflow runs, ${total.quarantined} quarantined\n`,
    );
  return EXIT.ok;
}
