// Checks the package layering: no package imports one it may not (an upward import), none
// reaches into another's files instead of its index (or, from a test or test-support, its test-support), and the import graph has no cycle.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

// import/export … from '…', import '…', import('…'), require('…')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(c|m)?[jt]sx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Finds every layering violation under `root` (a checkout with packages/). */
export function checkBoundaries(root, layers) {
  const problems = [];
  const packagesDir = join(root, 'packages');
  const names = readdirSync(packagesDir).filter((n) => existsSync(join(packagesDir, n, 'package.json')));
  const graph = new Map(names.map((n) => [n, new Set()]));

  for (const pkg of names) {
    const allowed = layers[pkg];
    if (!allowed) {
      problems.push(`packages/${pkg}: not in the layering (tools/boundaries/layers.mjs)`);
      continue;
    }
    const pkgRoot = join(packagesDir, pkg);
    const srcDir = join(pkgRoot, 'src');
    if (!existsSync(srcDir)) continue;
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      const where = relative(root, file);
      for (const m of text.matchAll(SPECIFIER)) {
        const spec = m[1];
        const line = text.slice(0, m.index).split('\n').length;
        if (spec.startsWith('@berth/')) {
          const [, target, ...deep] = spec.split('/');
          // Besides its index, a package may export fixtures for other packages' tests (and their own test-support).
          const testCode = /\.test\.[jt]s$/.test(file) || relative(srcDir, file).split(sep)[0] === 'test-support';
          const testSupport = deep.length === 1 && deep[0] === 'test-support' && testCode;
          if (deep.length > 0 && !testSupport) problems.push(`${where}:${line}: imports ${spec}; import only '@berth/${target}'`);
          if (target === pkg) continue;
          graph.get(pkg)?.add(target);
          // A test may use the fixtures of any package below its own, not only of those it imports.
          const permitted = testSupport ? below(layers, pkg).has(target) : allowed.includes(target);
          if (!permitted) problems.push(`${where}:${line}: @berth/${pkg} may not import @berth/${target}`);
        } else if (spec.startsWith('.')) {
          const to = resolve(file, '..', spec);
          if (!(to + sep).startsWith(pkgRoot + sep)) {
            problems.push(`${where}:${line}: relative import ${spec} leaves packages/${pkg}`);
          }
        }
      }
    }
    const manifest = JSON.parse(readFileSync(join(pkgRoot, 'package.json'), 'utf8'));
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
      if (!dep.startsWith('@berth/')) continue;
      const target = dep.slice('@berth/'.length);
      if (!allowed.includes(target)) problems.push(`packages/${pkg}/package.json: depends on ${dep}, which it may not import`);
    }
  }

  const cycle = findCycle(graph);
  if (cycle) problems.push(`import cycle: ${cycle.join(' -> ')}`);
  return problems;
}

/** Every package `pkg` may import directly or through the packages it may import. */
function below(layers, pkg, seen = new Set()) {
  for (const dep of layers[pkg] ?? []) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    below(layers, dep, seen);
  }
  return seen;
}

function findCycle(graph) {
  const state = new Map(); // undefined = unvisited, 1 = on the stack, 2 = done
  const stack = [];
  const visit = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}
