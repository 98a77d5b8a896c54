import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { followTerminalSize, hijackAttach, proxySignals, pumpStreams, waitExit } from '../attachio.js';
import { forEachTarget, seg } from '../targets.js';

interface InspectForAttach {
  Id: string;
  Config: { Tty: boolean; OpenStdin: boolean };
}

/** `berth start`: starts each container and prints its name; with -a/-i attaches to one and exits with its code. */
export const startCommand: Command = {
  name: 'start',
  signature: 'CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const attach = fs.bool(['a', '-attach'], false, 'Attach STDOUT/STDERR and forward signals');
    const interactive = fs.bool(['i', '-interactive'], false, "Attach container's STDIN");
    const names = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    const client = await ctx.client();
    if (!attach.value && !interactive.value) {
      await forEachTarget(ctx, names, 'start containers', async (name) => {
        await client.json('POST', `/containers/${seg(name)}/start`);
      });
      return 0;
    }
    if (names.length > 1) throw new Error('You cannot start and attach multiple containers at once.');
    const c = await client.json<InspectForAttach>('GET', `/containers/${seg(names[0] as string)}/json`);
    const withStdin = interactive.value && c.Config.OpenStdin;
    const stopProxy = c.Config.Tty ? () => undefined : proxySignals(client, c.Id);
    let stopResize = (): void => undefined;
    try {
      const connection = await hijackAttach(client, c.Id, { stdin: withStdin, stdout: true, stderr: true });
      const { exited } = await waitExit(client, c.Id);
      await client.json('POST', `/containers/${seg(c.Id)}/start`);
      if (c.Config.Tty) stopResize = followTerminalSize(ctx, client, `/containers/${seg(c.Id)}/resize`);
      const { detached } = await pumpStreams(ctx, connection, c.Config.Tty, withStdin);
      if (detached) return 0;
      return await exited;
    } finally {
      stopResize();
      stopProxy();
    }
  },
};
