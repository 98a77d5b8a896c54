import { readFileSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';

/** Where the API listens. */
export type ListenAddress =
  | {
      kind: 'unix';
      path: string;
      /** File mode of the socket; 0o660 by default. */
      mode?: number;
      /** Group owning the socket when it exists on this host; `berth` by default. */
      group?: string;
    }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsListenOptions };

/** TLS for a TCP listener: PEM contents, as `--tlscert`, `--tlskey` and `--tlscacert` name them. */
export interface TlsListenOptions {
  cert: string | Buffer;
  key: string | Buffer;
  ca?: string | Buffer;
  /** `--tlsverify`: require a client certificate signed by `ca`. */
  verify: boolean;
}

/** The gid of `name` from /etc/group, or undefined when there is no such group. */
export function groupId(name: string, groupFile = '/etc/group'): number | undefined {
  let text: string;
  try {
    text = readFileSync(groupFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [group, , gid] = line.split(':');
    if (group === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return undefined;
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Makes `path` free for a new unix socket: creates its directory and removes a socket file
 * that nothing listens on any more (left by a daemon that died). A live socket is refused.
 */
export async function prepareUnixSocketPath(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const st = await lstat(path).catch(() => undefined);
  if (!st) return;
  if (!st.isSocket()) throw new Error(`listen unix ${path}: the path exists and is not a socket`);
  if (await answers(path)) throw new Error(`listen unix ${path}: bind: address already in use`);
  await unlink(path);
}

/** Gives a freshly bound unix socket its mode and group. */
export async function secureUnixSocket(path: string, mode = 0o660, group = 'berth'): Promise<void> {
  const gid = groupId(group);
  if (gid !== undefined) await chown(path, process.getuid?.() ?? 0, gid);
  await chmod(path, mode);
}
