import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries } from './check.mjs';
import { LAYERS } from './layers.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the repository's packages/ (sources and manifests only) to break on purpose. */
function copyOfPackages() {
  const root = mkdtempSync(join(tmpdir(), 'berth-boundaries-'));
  dirs.push(root);
  cpSync(join(repo, 'packages'), join(root, 'packages'), {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist)$/.test(src),
  });
  return root;
}

function addSource(root, pkg, name, text) {
  mkdirSync(join(root, 'packages', pkg, 'src'), { recursive: true });
  writeFileSync(join(root, 'packages', pkg, 'src', name), text);
}

describe('package layering', () => {
  it('holds for the repository as it is', () => {
    expect(checkBoundaries(repo, LAYERS)).toEqual([]);
  });

  it('fails on an upward import', () => {
    const root = copyOfPackages();
    addSource(root, 'libcontainer', 'bad.ts', "import { Engine } from '@berth/engine-core';\nexport { Engine };\n");
    expect(checkBoundaries(root, LAYERS)).toContain('packages/libcontainer/src/bad.ts:1: @berth/libcontainer may not import @berth/engine-core');
  });

  it('fails on a dynamic import and on a deep import', () => {
    const root = copyOfPackages();
    addSource(root, 'namesgenerator', 'bad.ts', "export const x = () => import('@berth/cli');\n");
    addSource(root, 'engine-core', 'deep.ts', "export * from '@berth/graph-aufs/src/store.js';\n");
    const problems = checkBoundaries(root, LAYERS);
    expect(problems).toContain('packages/namesgenerator/src/bad.ts:1: @berth/namesgenerator may not import @berth/cli');
    expect(problems).toContain("packages/engine-core/src/deep.ts:1: imports @berth/graph-aufs/src/store.js; import only '@berth/graph-aufs'");
  });

  it("lets a test or test-support, and only those, import another package's test-support", () => {
    const root = copyOfPackages();
    addSource(root, 'engine-core', 'fixture.test.ts', "export * from '@berth/registry/test-support';\n");
    addSource(root, 'engine-core', 'fixture.ts', "export * from '@berth/registry/test-support';\n");
    mkdirSync(join(root, 'packages/engine-core/src/test-support'), { recursive: true });
    addSource(root, 'engine-core', 'test-support/helper.ts', "export * from '@berth/registry/test-support';\n");
    expect(checkBoundaries(root, LAYERS)).toEqual(["packages/engine-core/src/fixture.ts:1: imports @berth/registry/test-support; import only '@berth/registry'"]);
  });

  it("lets a test use the test-support of a package below its own, and no other", () => {
    const root = copyOfPackages();
    addSource(root, 'builder', 'below.test.ts', "export * from '@berth/registry/test-support';\n");
    addSource(root, 'registry', 'above.test.ts', "export * from '@berth/engine-core/test-support';\n");
    expect(checkBoundaries(root, LAYERS)).toEqual([
      'packages/registry/src/above.test.ts:1: @berth/registry may not import @berth/engine-core',
      'import cycle: registry -> engine-core -> registry',
    ]);
  });

  it('fails on a relative import into another package', () => {
    const root = copyOfPackages();
    addSource(root, 'registry', 'bad.ts', "export * from '../../graph-aufs/src/index.js';\n");
    expect(checkBoundaries(root, LAYERS)).toContain('packages/registry/src/bad.ts:1: relative import ../../graph-aufs/src/index.js leaves packages/registry');
  });

  it('reports a cycle', () => {
    const root = copyOfPackages();
    const cyclic = { ...LAYERS, libcontainer: ['graph-aufs'] };
    addSource(root, 'libcontainer', 'cycle.ts', "export * from '@berth/graph-aufs';\n");
    addSource(root, 'graph-aufs', 'cycle.ts', "export * from '@berth/libcontainer';\n");
    expect(checkBoundaries(root, cyclic).some((p) => /^import cycle: (libcontainer -> graph-aufs -> libcontainer|graph-aufs -> libcontainer -> graph-aufs)$/.test(p))).toBe(true);
  });
});
