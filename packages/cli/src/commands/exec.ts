import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { checkTtyInput, followTerminalSize, pumpStreams } from '../attachio.js';
import { envEntry, parseEnvFile } from '../runconfig.js';
import { seg } from '../targets.js';

/** `berth exec`: runs a command in a running container; exits with the command's code. */
export const execCommand: Command = {
  name: 'exec',
  signature: 'CONTAINER COMMAND [ARG...]',
  description: 'Run a command in a running container',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const detach = fs.bool(['d', '-detach'], false, 'Detached mode: run command in the background');
    const interactive = fs.bool(['i', '-interactive'], false, 'Keep STDIN open even if not attached');
    const tty = fs.bool(['t', '-tty'], false, 'Allocate a pseudo-TTY');
    const user = fs.string(['u', '-user'], '', 'Username or UID (format: <name|uid>[:<group|gid>])');
    const env = fs.list(['e', '-env'], 'Set environment variables');
    const envFile = fs.list(['-env-file'], 'Read in a file of environment variables');
    const privileged = fs.bool(['-privileged'], false, 'Give extended privileges to the command');
    const workdir = fs.string(['w', '-workdir'], '', 'Working directory inside the container');
    const [container, ...cmd] = parseCommandFlags(ctx, this, fs, argv, { min: 2 }) as [string, ...string[]];
    const attachStdin = interactive.value && !detach.value;
    if (!detach.value) checkTtyInput(ctx, attachStdin, tty.value);
    const envList = [...envFile.value.flatMap((f) => parseEnvFile(f, ctx.env)), ...env.value.map((e) => envEntry(e, ctx.env))];
    const client = await ctx.client();
    const { Id } = await client.json<{ Id: string }>('POST', `/containers/${seg(container)}/exec`, {
      body: {
        User: user.value,
        Privileged: privileged.value,
        Tty: tty.value,
        AttachStdin: attachStdin,
        AttachStdout: !detach.value,
        AttachStderr: !detach.value,
        Detach: detach.value,
        Cmd: cmd,
        ...(envList.length > 0 ? { Env: envList } : {}),
        ...(workdir.value ? { WorkingDir: workdir.value } : {}),
      },
    });
    if (detach.value) {
      await client.json('POST', `/exec/${Id}/start`, { body: { Detach: true, Tty: tty.value } });
      return 0;
    }
    const connection = await client.hijack('POST', `/exec/${Id}/start`, { body: { Detach: false, Tty: tty.value } });
    const stopResize = tty.value ? followTerminalSize(ctx, client, `/exec/${Id}/resize`) : () => undefined;
    try {
      const { detached } = await pumpStreams(ctx, connection, tty.value, attachStdin);
      if (detached) return 0;
    } finally {
      stopResize();
    }
    const inspect = await client.json<{ ExitCode: number | null }>('GET', `/exec/${Id}/json`);
    return inspect.ExitCode ?? 0;
  },
};
