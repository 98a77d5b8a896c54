export { EngineDistribution, type RegistryOptions, type TransferOptions } from './distribution.js';
