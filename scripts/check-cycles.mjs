/**
 * Finds import cycles among the modules of src/. Reads every src/**\/*.ts(x), collects its relative
 * specifiers (`import … from './x.js'`, `export … from './x.js'`, `import('./x.js')`, bare
 * `import './x.js'`), resolves `.js` to the `.ts`/`.tsx` source, and runs Tarjan's strongly connected
 * components over the graph. Prints each cycle (one component, with one closed path through it) and
 * exits 1 when there is any, 0 otherwise. `node scripts/check-cycles.mjs [project-dir]` checks another
 * project's src/ (the tests use that); `npm test` runs it on this one before vitest.
 *
 * Type-only imports count: `import type …`, `export type … from` and imports whose every name is
 * `type X` are erased from the JavaScript, but they still tie the two modules' sources together, and
 * a type that both sides need has a home of its own just as a value does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project whose src/ is checked: this repository, or the directory given as the first argument. */
const ROOT = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const SRC = join(ROOT, 'src');

/** Every .ts/.tsx file under dir, recursively. */
function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Comments removed (line and block), strings left intact, so a commented-out import is not an edge. */
function stripComments(text) {
  return text.replace(
    /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g,
    (m, str) => (str ? m : ' '),
  );
}

const SPECIFIER_PATTERNS = [
  // import x from '…', import { a, type B } from '…', import type { C } from '…', export … from '…'
  /\b(?:import|export)\s+(?:type\s+)?[\w*{}\s,$]*?\bfrom\s*['"]([^'"]+)['"]/g,
  // import '…' (side effects only)
  /\bimport\s*['"]([^'"]+)['"]/g,
  // import('…')
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** The relative specifiers a source text imports or re-exports. */
function specifiers(text) {
  const code = stripComments(text);
  const found = new Set();
  for (const pattern of SPECIFIER_PATTERNS) {
    for (const m of code.matchAll(pattern)) if (m[1]?.startsWith('.')) found.add(m[1]);
  }
  return [...found];
}

/** The source file a relative specifier names: './x.js' → x.ts or x.tsx; null when none exists. */
function resolveSpecifier(fromFile, spec) {
  const target = resolve(dirname(fromFile), spec);
  const stem = target.replace(/\.(?:js|jsx|mjs|cjs)$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, target, join(target, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Tarjan's algorithm, iterative: the strongly connected components of more than one node, or with a self edge. */
function cycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const found = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, i] = frame;
      const edges = graph.get(node) ?? [];
      if (i < edges.length) {
        frame[1] = i + 1;
        const next = edges[i];
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push([next, 0]);
        } else if (onStack.has(next)) {
          low.set(node, Math.min(low.get(node), index.get(next)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0]), low.get(node)));
      if (low.get(node) !== index.get(node)) continue;
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || edges.includes(node)) found.push(component.sort());
    }
  }
  return found;
}

/** One closed path through a component, found breadth-first from its first member back to itself. */
function closedPath(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return component;
}

const graph = new Map();
for (const file of sourceFiles(SRC).sort()) {
  const edges = new Set();
  for (const spec of specifiers(readFileSync(file, 'utf8'))) {
    const target = resolveSpecifier(file, spec);
    if (target !== null && target.startsWith(SRC + sep)) edges.add(target);
  }
  graph.set(file, [...edges].sort());
}

const name = (file) => relative(ROOT, file);
const found = cycles(graph);
for (const component of found) {
  console.log(`import cycle (${component.length} modules): ${closedPath(graph, component).map(name).join(' -> ')}`);
  if (component.length > 2) console.log(`  members: ${component.map(name).join(', ')}`);
}
if (found.length > 0) {
  console.log(`${found.length} import cycle(s) in src/`);
  process.exitCode = 1;
} else {
  console.log(`no import cycles among ${graph.size} modules in src/`);
}
