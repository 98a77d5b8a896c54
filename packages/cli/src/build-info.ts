import { readFileSync } from 'node:fs';

interface PackageJson {
  version: string;
  gitCommit?: string;
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as PackageJson;

/** The berth CLI's version (its package version). */
export const CLI_VERSION = pkg.version;
/** The commit the CLI was built from, when a release stamped it into package.json; else empty. */
export const GIT_COMMIT = pkg.gitCommit ?? '';

/** Node's process.arch in Go's GOARCH spelling, as Docker prints OS/Arch. */
export function goArch(arch: string): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' };
  return map[arch] ?? arch;
}
