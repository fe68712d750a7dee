/**
 * vite build, webpack and next build: their progress, banners, code frames and stack traces are left out;
 * what remains (error messages with their locations, the tool's result line) is kept as printed, and the
 * list of emitted files is kept when short and counted otherwise.
 */
import { cleanLines, collapseRepeats } from './generic.js';
import { exitNote, plural, subcommand, tidy, shorterOf } from './lines.js';
import type { CommandInfo, CompactBody, Compactor } from './types.js';

/** Emitted files listed before the rest are counted. */
const ASSETS_MAX = 8;

interface BuildSpec {
  id: string;
  matches(cmd: CommandInfo): boolean;
  /** lines left out: progress, banners, notices */
  noise: readonly RegExp[];
  /** lines naming an emitted file or a module (kept when few) */
  asset: RegExp;
  /** the tool's result line(s), which must be present for the output to be read */
  result: RegExp;
  /** a line that starts an error */
  error: RegExp;
  /** a line only this tool prints, to find it behind `npm run build` */
  banner: RegExp;
}

/** a stack frame (`    at fn (file:1:2)`) */
const STACK = /^\s+at \S/;
/** a code frame: `> 1 | code`, `  2 | code`, `    |   ^`, `1  |  code` */
const FRAME = /^\s*>?\s*\d*\s+\|(?: |$)|^\s*\|/;

function compactBuild(spec: BuildSpec, output: string, exitCode: number | null): CompactBody | null {
  const lines = cleanLines(output);
  const results = lines.filter((l) => spec.result.test(l.trim()));
  if (results.length === 0) return null;
  const kept: string[] = [];
  const assets: string[] = [];
  /** where the list of emitted files stood, so it is written back in place */
  let assetsAt = -1;
  let stack = 0;
  let errors = 0;
  for (const line of lines) {
    if (STACK.test(line)) {
      stack++;
      continue;
    }
    if (spec.noise.some((re) => re.test(line)) || FRAME.test(line)) continue;
    if (spec.asset.test(line)) {
      if (assetsAt === -1) assetsAt = kept.length;
      assets.push(line.trim());
      continue;
    }
    if (spec.error.test(line)) errors++;
    kept.push(spec.result.test(line.trim()) ? line.trim() : line);
  }
  const assetLines =
    assets.length <= ASSETS_MAX ? assets : [...assets.slice(0, ASSETS_MAX), `… ${assets.length - ASSETS_MAX} more`];
  if (assetsAt !== -1) kept.splice(assetsAt, 0, ...assetLines);
  const verdict = exitCode === 0 && errors === 0 ? 'built' : 'failed';
  const parts = [plural(errors, 'error'), ...(assets.length > 0 ? [plural(assets.length, 'output line')] : [])];
  const head = `${spec.id}: ${verdict}, ${parts.join(', ')} ${exitNote(exitCode)}`;
  const stackNote = stack > 0 ? [`(${plural(stack, 'stack frame')} left out)`] : [];
  const text = tidy([head, ...collapseRepeats(tidy(kept)), ...stackNote]);
  return {
    text: text.join('\n'),
    facts: {
      tool: spec.id,
      exitCode,
      errors,
      files: assets.length,
      summary: results[results.length - 1]?.trim() ?? '',
    },
  };
}

function buildCompactor(spec: BuildSpec): Compactor {
  return {
    id: spec.id,
    family: 'build',
    matches: spec.matches,
    sniff: (output) => spec.banner.test(output.slice(0, 20_000)) || spec.banner.test(output.slice(-20_000)),
    compact: (_cmd, output, exitCode) => shorterOf(compactBuild(spec, output, exitCode), output),
  };
}

export const viteBuildCompactor = buildCompactor({
  id: 'vite',
  matches: (cmd) => cmd.program === 'vite' && subcommand(cmd) === 'build',
  noise: [
    /^vite v\S+ building/,
    /^transforming\.\.\./,
    /^✓ \d+ modules? transformed/,
    /^rendering chunks/,
    /^computing gzip size/,
  ],
  asset: /^\S+\s+[\d.,]+ [kKmM]?B(?:\s|$)/,
  result: /^(?:✓ built in |✗ Build failed in |error during build:)/,
  error: /^(?:\[[\w:-]+\] |Could not resolve |\w*Error: )/,
  banner: /(?:^|\n)vite v\d+\.\d+\.\d+ building /,
});

export const webpackCompactor = buildCompactor({
  id: 'webpack',
  matches: (cmd) => cmd.program === 'webpack' || cmd.program === 'webpack-cli',
  noise: [/^\s*@ \S/, /^(?:runtime|cacheable|orphan) modules /, /^\s*\.\/\S+ [\d.]+ (?:bytes|KiB|MiB)/],
  asset: /^(?:asset|assets by \S+) /,
  result: /^webpack(?: \d\S*)? compiled/,
  error: /^ERROR in /,
  banner: /(?:^|\n)webpack \d+\.\d+\.\d+ compiled /,
});

export const nextBuildCompactor = buildCompactor({
  id: 'next',
  matches: (cmd) => cmd.program === 'next' && subcommand(cmd) === 'build',
  noise: [
    /^Attention: Next\.js now collects/,
    /^This information is used to shape Next/,
    /^You can learn more, including how to opt-out/,
    /^https:\/\/nextjs\.org\/telemetry/,
    /^\s+▲ Next\.js/,
    /^\s+(?:Creating an optimized|Linting and checking|Collecting page data|Generating static pages \(\d|Finalizing page|Collecting build traces)/,
    /^ ✓ Generating static pages/,
  ],
  asset: /^[┌├└│]\s|^\+ First Load JS|^\s+[├└] (?:chunks|other shared)/,
  result: /^(?:✓ Compiled successfully|Failed to compile\.|> Build failed|Next\.js build worker exited)/,
  error: /^(?:Type error:|Module not found:)/,
  banner: /(?:^|\n)\s+▲ Next\.js \d/,
});
