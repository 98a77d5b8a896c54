import type { Engine } from '@berth/engine-core';
import type { Route } from '../router.js';
import { buildRoutes } from './build.js';
import { containerRoutes } from './containers.js';
import { distributionRoutes } from './distribution.js';
import { execRoutes } from './exec.js';
import { filesystemRoutes } from './filesystem.js';
import { imageRoutes } from './images.js';
import { resourceRoutes } from './resources.js';
import { networkRoutes } from './networks.js';
import { systemEngineRoutes } from './system.js';
import { volumeRoutes } from './volumes.js';

/** Every Engine API route this server implements over `engine`, for `createApiServer({ routes })`. */
export function engineRoutes(engine: Engine): Route[] {
  return [
    ...systemEngineRoutes(engine),
    ...containerRoutes(engine),
    ...execRoutes(engine),
    ...resourceRoutes(engine),
    ...distributionRoutes(engine),
    ...filesystemRoutes(engine),
    ...imageRoutes(engine),
    ...buildRoutes(engine),
    ...volumeRoutes(engine),
    ...networkRoutes(engine),
  ];
}
