import { InvalidParameterError } from '@berth/api-types';

const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** The local driver's name rule: the name is a directory under `<root>/volumes`. */
export function validateVolumeName(name: string): void {
  if (name.length === 1) {
    throw new InvalidParameterError('volume name is too short, names should be at least two alphanumeric characters');
  }
  if (!VOLUME_NAME.test(name)) {
    throw new InvalidParameterError(
      `"${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
}

/** The label Docker puts on the volumes it creates for `-v /path` and image VOLUMEs. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';
