import type { EngineClient } from '../client/client.js';
import { DaemonError } from '../client/errors.js';
import type { CliIO, Command } from '../command.js';
import { ExitError } from '../command.js';
import { checkTtyInput, followTerminalSize, hijackAttach, proxySignals, pumpStreams, waitExit } from '../attachio.js';
import { seg } from '../targets.js';
import { createContainer, parseRunCommand, usageError } from './create.js';

/** Exit codes of docker run for failures before the container's own code exists. */
const EXIT_DAEMON = 125;
const EXIT_NOT_EXECUTABLE = 126;
const EXIT_NOT_FOUND = 127;

/** docker's run exit code for a start failure: 127 for a missing command, 126 when it cannot run, else 125. */
export function startFailureCode(message: string): number {
  if (/executable file not found|no such file or directory/i.test(message)) return EXIT_NOT_FOUND;
  if (/permission denied|not executable/i.test(message)) return EXIT_NOT_EXECUTABLE;
  return EXIT_DAEMON;
}

/** Prints a daemon error of run and turns it into docker's exit code. */
function failRun(io: CliIO, err: unknown, code: (message: string) => number): never {
  if (!(err instanceof DaemonError)) throw err;
  io.stderr.write(`${err.message}\n`);
  throw new ExitError(code(err.daemonMessage));
}

/**
 * `berth run`: create, then start; with -d print the ID, else attach the chosen streams (before
 * starting, so no output is lost), wait (with --rm, until the daemon has removed it) and exit
 * with the container's code.
 */
export const runCommand: Command = {
  name: 'run',
  signature: 'IMAGE [COMMAND] [ARG...]',
  description: 'Run a command in a new container',
  async run(ctx, argv) {
    let detach!: { value: boolean };
    let autoRemove!: { value: boolean };
    let sigProxy!: { value: boolean };
    const { config, flags } = parseRunCommand(ctx, this, argv, (fs) => {
      detach = fs.bool(['d', '-detach'], false, 'Run container in background and print container ID');
      autoRemove = fs.bool(['#rm', '-rm'], false, 'Automatically remove the container when it exits');
      sigProxy = fs.bool(['#sig-proxy', '-sig-proxy'], true, 'Proxy received signals to the process');
    });
    const body = config.body;
    // As docker's CLI since API 1.25: the daemon removes the container when it exits (no
    // round trip after the exit, and no container left behind if the CLI is killed).
    if (autoRemove.value) body.HostConfig.AutoRemove = true;
    const restart = body.HostConfig.RestartPolicy.Name;
    if (autoRemove.value && (restart === 'always' || restart === 'on-failure')) {
      throw usageError(ctx, this, 'Conflicting options: --restart and --rm');
    }
    if (detach.value) {
      if (flags.attach.value.length > 0) throw usageError(ctx, this, 'Conflicting options: -a and -d');
      if (autoRemove.value) throw usageError(ctx, this, 'Conflicting options: --rm and -d');
      Object.assign(body, { AttachStdin: false, AttachStdout: false, AttachStderr: false, StdinOnce: false });
    } else {
      checkTtyInput(ctx, body.AttachStdin, body.Tty);
    }

    const client = await ctx.client();
    let id: string;
    try {
      id = await createContainer(ctx, client, config);
    } catch (err) {
      failRun(ctx, err, () => EXIT_DAEMON);
    }
    /** Starts it; on failure, an auto-removed container is waited for until the daemon has removed it. */
    const start = async (removed?: Promise<number>): Promise<void> => {
      try {
        await client.json('POST', `/containers/${seg(id)}/start`);
      } catch (err) {
        await removed?.catch(() => undefined);
        failRun(ctx, err, startFailureCode);
      }
    };
    if (detach.value) {
      await start();
      ctx.stdout.write(`${id}\n`);
      return 0;
    }

    const stopProxy = sigProxy.value && !body.Tty ? proxySignals(client, id) : () => undefined;
    let stopResize = (): void => undefined;
    try {
      const attached = body.AttachStdin || body.AttachStdout || body.AttachStderr;
      const connection = attached
        ? await hijackAttach(client, id, { stdin: body.AttachStdin, stdout: body.AttachStdout, stderr: body.AttachStderr })
        : undefined;
      const { exited } = await waitExit(client, id, autoRemove.value ? 'removed' : 'next-exit');
      // As docker's CLI: the streams are pumped before the start, so piped stdin is on its way
      // (and buffered by the daemon) when the container starts reading.
      const session = connection ? pumpStreams(ctx, connection, body.Tty, body.AttachStdin) : undefined;
      try {
        await start(autoRemove.value ? exited : undefined);
      } catch (err) {
        connection?.socket.destroy();
        throw err;
      }
      if (body.Tty) stopResize = followTerminalSize(ctx, client, `/containers/${seg(id)}/resize`);
      if (session) {
        const { detached } = await session;
        if (detached) return 0;
      }
      return await exited;
    } finally {
      stopResize();
      stopProxy();
    }
  },
};
