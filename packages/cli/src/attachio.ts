import type { Readable } from 'node:stream';
import { readJson } from './client/client.js';
import type { EngineClient, HijackedConnection } from './client/client.js';
import type { CliIO } from './command.js';
import { runStreamSession } from './session.js';
import type { StreamSessionResult } from './session.js';
import { seg } from './targets.js';
import { watchTerminalSize } from './term.js';

/** The signals docker's sig-proxy forwards to the container (those a Node process can catch). */
const PROXIED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** Forwards the signals this process receives to the container; returns the function that stops it. */
export function proxySignals(client: EngineClient, id: string): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    client.json('POST', `/containers/${seg(id)}/kill`, { query: { signal } }).catch(() => undefined);
  };
  for (const s of PROXIED_SIGNALS) process.on(s, handler);
  return () => {
    for (const s of PROXIED_SIGNALS) process.off(s, handler);
  };
}

/** Keeps a TTY's size that of the terminal (`POST <resizePath>?h=&w=`); returns the stop function. */
export function followTerminalSize(io: CliIO, client: EngineClient, resizePath: string): () => void {
  return watchTerminalSize(io.stdout as Parameters<typeof watchTerminalSize>[0], (size) => {
    client.json('POST', resizePath, { query: { h: size.height, w: size.width } }).catch(() => undefined);
  });
}

export interface AttachStreams {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** `POST /containers/<id>/attach?stream=1&…` with the connection upgraded to a raw stream. */
export function hijackAttach(client: EngineClient, id: string, streams: AttachStreams): Promise<HijackedConnection> {
  return client.hijack('POST', `/containers/${seg(id)}/attach`, {
    query: { stream: true, stdin: streams.stdin, stdout: streams.stdout, stderr: streams.stderr },
  });
}

/** Runs the session of an attached container or exec with this process's streams. */
export function pumpStreams(io: CliIO, connection: HijackedConnection, tty: boolean, withStdin: boolean): Promise<StreamSessionResult> {
  return runStreamSession({
    connection,
    tty,
    // process.stdin is a Readable; CliIO types it as the wider ReadableStream.
    ...(withStdin ? { stdin: io.stdin as Readable & typeof io.stdin } : {}),
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
  });
}

/** `cannot enable tty mode on non tty input` when a TTY is asked with stdin that is not a terminal. */
export function checkTtyInput(io: CliIO, attachStdin: boolean, tty: boolean): void {
  if (attachStdin && tty && !io.stdin.isTTY) throw new Error('cannot enable tty mode on non tty input');
}

/**
 * Asks for the container's next exit before it is started (as docker's CLI does), so an exit
 * that comes before the output stream ends is not missed; for an auto-removed container, for its
 * removal after that exit. Resolves once the daemon has registered the wait (its headers are
 * back), to `exited`, the exit code to come.
 */
export async function waitExit(client: EngineClient, id: string, condition: 'next-exit' | 'removed' = 'next-exit'): Promise<{ exited: Promise<number> }> {
  const res = await client.request('POST', `/containers/${seg(id)}/wait`, { query: { condition } });
  const exited = readJson<{ StatusCode: number }>(res).then((r) => r.StatusCode);
  exited.catch(() => undefined); // awaited later; not an unhandled rejection meanwhile
  return { exited };
}
