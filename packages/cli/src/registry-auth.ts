import { DockerConfigFile, encodeRegistryAuth, parseReference, type AuthConfig } from '@berth/registry';
import type { CliIO } from './command.js';

/** The config.json the docker CLI uses too: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function loadConfigFile(io: CliIO): Promise<DockerConfigFile> {
  const dir = io.env['DOCKER_CONFIG'];
  return dir ? DockerConfigFile.load(`${dir}/config.json`) : DockerConfigFile.load();
}

/** X-Registry-Auth for an image name: the stored credentials of its registry, else `{}`. */
export async function registryAuthHeader(io: CliIO, image: string): Promise<string> {
  let auth: AuthConfig | undefined;
  try {
    auth = (await loadConfigFile(io)).get(parseReference(image).domain);
  } catch {
    // A name the daemon will refuse with its own message.
  }
  return encodeRegistryAuth(auth ?? {});
}
