/** What a container event says about its container. */
export interface ContainerEventSubject {
  /** The container's name, with or without its leading `/`. */
  name: string;
  /** Config.Image: the reference the user gave. */
  image: string;
  labels: Record<string, string>;
}

/**
 * The Actor attributes of a container event as Docker fills them: its labels, then `image`
 * and `name` (without `/`), then the action's own (`exitCode` for die, `signal` for kill,
 * `oldName` for rename, `execID` for exec events).
 */
export function containerEventAttributes(
  c: ContainerEventSubject,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...c.labels, image: c.image, name: c.name.replace(/^\//, ''), ...extra };
}
