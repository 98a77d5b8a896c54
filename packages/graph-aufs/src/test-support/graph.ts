import { rmSync } from 'node:fs';
import { mountsUnder, unmountQuiet } from '../drivers/mounts.js';
import type { GraphStore } from '../store.js';

/** Closes a test's graph and removes its root; returns the mounts it had left (a test asserts none). */
export function removeGraph(graph: GraphStore, root: string): string[] {
  graph.close();
  for (const m of mountsUnder(root).reverse()) unmountQuiet(m);
  const left = mountsUnder(root);
  rmSync(root, { recursive: true, force: true });
  return left;
}
