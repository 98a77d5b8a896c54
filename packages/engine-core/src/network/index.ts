export { DEFAULT_BRIDGE, NO_NETWORK, type NetworkConfig } from './config.js';
export type { EndpointRecord } from './endpoint.js';
export { NetworkManager, type ConnectRequest } from './manager.js';
export { networkName } from './settings.js';
export { linkEnv, linkHostsEntry, parseLink, storedLink, type Link, type LinkedContainer } from './links.js';
