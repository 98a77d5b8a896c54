import type { EventType } from '@berth/api-types';

/** Actions of container events, as Docker names them. */
export type ContainerAction =
  | 'attach'
  | 'commit'
  | 'copy'
  | 'create'
  | 'destroy'
  | 'detach'
  | 'die'
  | 'exec_create'
  | 'exec_detach'
  | 'exec_die'
  | 'exec_start'
  | 'export'
  | 'health_status'
  | 'kill'
  | 'oom'
  | 'pause'
  | 'rename'
  | 'resize'
  | 'restart'
  | 'start'
  | 'stop'
  | 'top'
  | 'unpause'
  | 'update'
  | 'prune';

export type ImageAction = 'delete' | 'import' | 'load' | 'pull' | 'push' | 'save' | 'tag' | 'untag' | 'prune';
export type VolumeAction = 'create' | 'destroy' | 'mount' | 'unmount' | 'prune';
export type NetworkAction = 'create' | 'connect' | 'disconnect' | 'destroy' | 'remove' | 'prune';
export type DaemonAction = 'reload';

/** Which actions each event type has. exec_create/exec_start carry `: <cmd>` in the action text. */
export interface ActionsByType {
  container: ContainerAction;
  image: ImageAction;
  volume: VolumeAction;
  network: NetworkAction;
  daemon: DaemonAction;
}

/** One engine event; `timeNano` keeps Go's nanosecond precision. */
export interface EngineEvent {
  type: EventType;
  /** The action, with a `: detail` suffix for exec_create, exec_start and health_status. */
  action: string;
  actor: { id: string; attributes: Record<string, string> };
  timeNano: bigint;
}
