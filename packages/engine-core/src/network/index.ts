export { DEFAULT_BRIDGE, NO_NETWORK, type NetworkConfig } from './config.js';
export type { Attachment, EndpointRecord } from './endpoint.js';
export { NetworkManager, type ConnectRequest, type Net, type NetworkCreateRequest } from './manager.js';
export { BUILTIN_NETWORKS, type NetworkRecord } from './record.js';
export { networkName, networkSettings, networksOf, type ContainerNetworks, type NetworkRef } from './settings.js';
export { NetworkStore } from './store.js';
export { linkEnv, linkHostsEntry, parseLink, storedLink, type Link, type LinkedContainer } from './links.js';
export { validateNetworkOptions } from './validate.js';
