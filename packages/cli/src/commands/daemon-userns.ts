import type { EngineOptions } from '@berth/engine-core';

/**
 * `--userns-remap`: the ID map of the remapped root and the engine's root under it
 * (`<graph>/<uid>.<gid>`), or the graph root unchanged when remapping is off. Errors are
 * dockerd's, prefixed as it prints them.
 */
export async function remappedRoot(
  spec: string,
  graph: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<{ root: string; userns?: EngineOptions['userns'] }> {
  if (spec === '') return { root: graph };
  const { remappedDaemonRoot, setupRemappedRoot, usernsFilesFromEnv } = await import('@berth/engine-core');
  try {
    const remapped = setupRemappedRoot(spec, { files: usernsFilesFromEnv(env), log });
    if (!remapped) return { root: graph };
    return { root: remappedDaemonRoot(graph, remapped.mapping), userns: remapped.mapping };
  } catch (e) {
    throw new Error(`failed to start daemon: ${(e as Error).message}`);
  }
}
