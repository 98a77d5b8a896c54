import { release } from 'node:os';
import type { Route } from './router.js';
import { MAX_API_VERSION, MIN_API_VERSION } from '@berth/api-types';
import type { SystemVersion } from '@berth/api-types';

/** What the daemon says about itself in `/version` and the `Server` header. */
export interface EngineVersionInfo {
  /** The product name, shown by `docker version` as `Server: <name>`. */
  platformName: string;
  version: string;
  gitCommit: string;
  /** RFC 3339 time of the build, or empty when unknown. */
  buildTime: string;
}

/** Node's process.arch in Go's GOARCH spelling, which Docker clients print and compare. */
export function goArch(arch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' };
  return map[arch] ?? arch;
}

/** The `/version` document, shaped as Docker 28's (types.Version). */
export function versionDocument(info: EngineVersionInfo): SystemVersion {
  const common = {
    ApiVersion: MAX_API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: info.gitCommit,
    GoVersion: process.version,
    Os: 'linux',
    Arch: goArch(),
    KernelVersion: release(),
    BuildTime: info.buildTime,
  };
  return {
    Platform: { Name: info.platformName },
    Components: [
      {
        Name: 'Engine',
        Version: info.version,
        Details: { ...common, Experimental: 'false' },
      },
    ],
    Version: info.version,
    ...common,
  };
}

/** `GET/HEAD /_ping` and `GET /version`: what clients call before anything else. */
export function systemRoutes(info: EngineVersionInfo): Route[] {
  const ping: Route['handler'] = (ctx) => {
    ctx.setHeader('Builder-Version', '1');
    ctx.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
    ctx.setHeader('Pragma', 'no-cache');
    ctx.sendText(200, 'OK');
  };
  return [
    { method: 'GET', path: '/_ping', handler: ping },
    { method: 'HEAD', path: '/_ping', handler: ping },
    { method: 'GET', path: '/version', handler: (ctx) => ctx.send(200, versionDocument(info)) },
  ];
}
