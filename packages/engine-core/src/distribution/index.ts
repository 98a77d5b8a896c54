export { EngineDistribution, type RegistryOptions, type TransferOptions } from './distribution.js';
// What the API server needs of the registry client without depending on it.
export { decodeRegistryAuth, type AuthConfig, type JSONMessage, type SearchResult } from '@berth/registry';
export { apiErrorOf } from './errors.js';
