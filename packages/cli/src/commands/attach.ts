import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { followTerminalSize, hijackAttach, proxySignals, pumpStreams } from '../attachio.js';
import { seg } from '../targets.js';

interface InspectForAttach {
  Id: string;
  Config: { Tty: boolean; OpenStdin: boolean };
  State: { Running: boolean };
}

/** `berth attach`: joins a running container's streams; ends with its exit code when it stops. */
export const attachCommand: Command = {
  name: 'attach',
  signature: 'CONTAINER',
  description: 'Attach to a running container',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const noStdin = fs.bool(['#nostdin', '-no-stdin'], false, 'Do not attach STDIN');
    const sigProxy = fs.bool(['#sig-proxy', '-sig-proxy'], true, 'Proxy all received signals to the process');
    const [name] = parseCommandFlags(ctx, this, fs, argv, { exact: 1 }) as [string];
    const client = await ctx.client();
    const c = await client.json<InspectForAttach>('GET', `/containers/${seg(name)}/json`);
    if (!c.State.Running) throw new Error('You cannot attach to a stopped container, start it first');
    const withStdin = c.Config.OpenStdin && !noStdin.value;
    const stopProxy = sigProxy.value && !c.Config.Tty ? proxySignals(client, c.Id) : () => undefined;
    const stopResize = c.Config.Tty ? followTerminalSize(ctx, client, `/containers/${seg(c.Id)}/resize`) : () => undefined;
    try {
      const connection = await hijackAttach(client, c.Id, { stdin: withStdin, stdout: true, stderr: true });
      const { detached } = await pumpStreams(ctx, connection, c.Config.Tty, withStdin);
      if (detached) return 0;
      const after = await client.json<{ State: { Running: boolean; ExitCode: number } }>('GET', `/containers/${seg(c.Id)}/json`);
      return after.State.Running ? 0 : after.State.ExitCode;
    } finally {
      stopResize();
      stopProxy();
    }
  },
};
