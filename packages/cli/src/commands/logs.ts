import { demuxStream } from '../client/stdcopy.js';
import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { seg } from '../targets.js';
import { getTimestamp } from '../timestamp.js';

interface InspectForLogs {
  Config: { Tty: boolean };
  HostConfig: { LogConfig?: { Type: string } };
}

/** `berth logs`: the container's json-file log, demultiplexed to stdout and stderr. */
export const logsCommand: Command = {
  name: 'logs',
  signature: 'CONTAINER',
  description: 'Fetch the logs of a container',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const follow = fs.bool(['f', '-follow'], false, 'Follow log output');
    const since = fs.string(['-since'], '', 'Show logs since timestamp');
    const timestamps = fs.bool(['t', '-timestamps'], false, 'Show timestamps');
    const tail = fs.string(['-tail'], 'all', 'Number of lines to show from the end of the logs');
    const [name] = parseCommandFlags(ctx, this, fs, argv, { exact: 1 }) as [string];
    const client = await ctx.client();
    const c = await client.json<InspectForLogs>('GET', `/containers/${seg(name)}/json`);
    const driver = c.HostConfig.LogConfig?.Type ?? 'json-file';
    if (driver !== 'json-file' && driver !== '') {
      throw new Error(`"logs" command is supported only for "json-file" logging driver (got: ${driver})`);
    }
    const res = await client.request('GET', `/containers/${seg(name)}/logs`, {
      query: {
        stdout: true,
        stderr: true,
        timestamps: timestamps.value,
        follow: follow.value,
        tail: tail.value,
        since: since.value === '' ? undefined : getTimestamp(since.value),
      },
    });
    if (c.Config.Tty) {
      for await (const chunk of res) ctx.stdout.write(chunk as Buffer);
    } else {
      await demuxStream(res, ctx.stdout, ctx.stderr);
    }
    return 0;
  },
};
