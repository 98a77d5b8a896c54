import type { ContainerConfig, HostConfig } from '@berth/api-types';
import type { Attachment, EndpointRecord } from '../network/index.js';
import type { StateRecord } from '../state/index.js';
import type { MountPointRecord } from '../volumes/index.js';

/** The engine's stored document of one container (Docker's config.v2.json). */
export interface ContainerRecord {
  Path: string;
  Args: string[];
  Config: ContainerConfig;
  HostConfig: HostConfig;
  /** The image ID (`sha256:…`). */
  Image: string;
  State: StateRecord;
  Driver: string;
  RestartCount: number;
  HostnamePath: string;
  HostsPath: string;
  ResolvConfPath: string;
  LogPath: string;
  /** Binds, volumes and tmpfs mounts (absent in records from before volumes). */
  MountPoints?: MountPointRecord[];
  /** The networks it is attached to (from its NetworkMode when absent). */
  Attachments?: Attachment[];
  /** Its places on those networks while it runs. */
  Endpoints?: EndpointRecord[];
}
