// @berth/registry: a Docker distribution v2 client (pull, push, login, search) with Docker's progress messages.
export type { AuthConfig, Challenge } from './auth.js';
export { parseChallenges, credentialsOf } from './auth.js';
export { RegistryClient } from './client.js';
export type { FetchedManifest, SearchResult, UploadOptions, UploadResult } from './client.js';
export { DockerConfigFile, decodeRegistryAuth, defaultConfigPath, encodeRegistryAuth } from './credentials.js';
export { DigestVerifier, sha256Digest } from './digest.js';
export {
  authKeyFor,
  DOCKER_HUB_API,
  DOCKER_HUB_AUTH_KEY,
  domainFromServerAddress,
  InsecureRegistries,
  resolveEndpoint,
} from './endpoints.js';
export type { Endpoint } from './endpoints.js';
export { DigestMismatchError, RegistryError } from './errors.js';
export {
  ACCEPT_MANIFESTS,
  configFromSchema1,
  formatPlatform,
  hostPlatform,
  manifestDigest,
  MediaType,
  parseManifest,
  parsePlatform,
  schema1Layers,
  selectPlatform,
} from './manifest.js';
export type { Descriptor, ImageManifest, Manifest, ManifestIndex, Platform, Schema1Manifest } from './manifest.js';
export {
  auxMessage,
  errorMessage,
  formatJSONMessage,
  humanSize,
  layerMessage,
  progressBar,
  progressMessage,
  shortId,
  statusMessage,
} from './progress.js';
export type { JSONMessage, ProgressDetail, ProgressSink } from './progress.js';
export { pull } from './pull.js';
export type { LayerBlob, PulledImage, PulledLayer, PullOptions, PullStore } from './pull.js';
export { buildManifest, push } from './push.js';
export type { PushLayer, PushOptions, PushResult, PushSource } from './push.js';
export {
  canonicalName,
  DEFAULT_REGISTRY,
  DEFAULT_TAG,
  familiarName,
  familiarString,
  isRegistryHost,
  parseReference,
} from './reference.js';
export type { Reference, ReferenceOptions } from './reference.js';
export { RegistryService } from './service.js';
export type { LoginResult, RegistryServiceOptions } from './service.js';
export { DEFAULT_RETRY } from './transfer.js';
export type { RetryPolicy } from './transfer.js';
export { RegistryTransport } from './transport.js';
export type { TransportOptions } from './transport.js';
