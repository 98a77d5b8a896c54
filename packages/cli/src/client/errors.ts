/** An error answer of the daemon; prints as Docker's `Error response from daemon: <message>`. */
export class DaemonError extends Error {
  constructor(
    readonly statusCode: number,
    readonly daemonMessage: string,
  ) {
    super(`Error response from daemon: ${daemonMessage}`);
    this.name = 'DaemonError';
  }
}

/** Nothing answers at the daemon's address. */
export class ConnectError extends Error {
  constructor(
    readonly url: string,
    cause: Error,
  ) {
    super("Cannot connect to the berth daemon. Is 'berth daemon' running on this host?", { cause });
    this.name = 'ConnectError';
  }
}

/** Whether a socket error means no daemon is there (as opposed to, say, a permission problem). */
export function isNoDaemon(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'ECONNREFUSED' || code === 'ENOENT';
}

/** The message of an error body: `{"message": ...}` from today's daemons, plain text from 1.7's. */
export function messageFromBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: Docker 1.7 answered errors as text
  }
  return body.trim();
}
