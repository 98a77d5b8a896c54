import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { forEachTarget, seg } from '../targets.js';

/** A command that sends one request per container and echoes each name (stop, kill, pause, …). */
function perContainer(
  name: string,
  description: string,
  what: string,
  define: (fs: ReturnType<typeof commandFlags>) => (container: string) => { method: string; path: string; query?: Record<string, string | number | boolean> },
  summary?: string,
): Command {
  return {
    name,
    signature: 'CONTAINER [CONTAINER...]',
    description,
    ...(summary ? { summary } : {}),
    async run(ctx, argv) {
      const fs = commandFlags(this);
      const request = define(fs);
      const names = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
      const client = await ctx.client();
      await forEachTarget(ctx, names, what, async (container) => {
        const r = request(container);
        await client.json(r.method, r.path, r.query ? { query: r.query } : {});
      });
      return 0;
    },
  };
}

export const stopCommand = perContainer(
  'stop',
  'Stop a running container by sending SIGTERM and then SIGKILL after a\ngrace period',
  'stop containers',
  (fs) => {
    const time = fs.int(['t', '-time'], 10, 'Seconds to wait for stop before killing it');
    return (c) => ({ method: 'POST', path: `/containers/${seg(c)}/stop`, query: { t: time.value } });
  },
  'Stop a running container',
);

export const restartCommand = perContainer('restart', 'Restart a running container', 'restart containers', (fs) => {
  const time = fs.int(['t', '-time'], 10, 'Seconds to wait for stop before killing the container');
  return (c) => ({ method: 'POST', path: `/containers/${seg(c)}/restart`, query: { t: time.value } });
});

export const killCommand = perContainer(
  'kill',
  'Kill a running container using SIGKILL or a specified signal',
  'kill containers',
  (fs) => {
    const signal = fs.string(['s', '-signal'], 'KILL', 'Signal to send to the container');
    return (c) => ({ method: 'POST', path: `/containers/${seg(c)}/kill`, query: { signal: signal.value } });
  },
);

export const pauseCommand = perContainer('pause', 'Pause all processes within a container', 'pause containers', () => (c) => ({
  method: 'POST',
  path: `/containers/${seg(c)}/pause`,
}));

export const unpauseCommand = perContainer('unpause', 'Unpause all processes within a container', 'unpause containers', () => (c) => ({
  method: 'POST',
  path: `/containers/${seg(c)}/unpause`,
}));

export const rmCommand = perContainer('rm', 'Remove one or more containers', 'remove containers', (fs) => {
  const force = fs.bool(['f', '-force'], false, 'Force the removal of a running container (uses SIGKILL)');
  const link = fs.bool(['l', '#link', '-link'], false, 'Remove the specified link');
  const volumes = fs.bool(['v', '-volumes'], false, 'Remove the volumes associated with the container');
  return (c) => ({
    method: 'DELETE',
    path: `/containers/${seg(c)}`,
    query: { v: volumes.value, force: force.value, link: link.value },
  });
});

/** `berth wait`: blocks until each container stops and prints its exit code. */
export const waitCommand: Command = {
  name: 'wait',
  signature: 'CONTAINER [CONTAINER...]',
  description: 'Block until a container stops, then print its exit code.',
  async run(ctx, argv) {
    const names = parseCommandFlags(ctx, this, commandFlags(this), argv, { min: 1 });
    const client = await ctx.client();
    await forEachTarget(ctx, names, 'wait containers', async (c) => {
      const { StatusCode } = await client.json<{ StatusCode: number }>('POST', `/containers/${seg(c)}/wait`);
      return `${StatusCode}\n`;
    });
    return 0;
  },
};

/** `berth rename OLD_NAME NEW_NAME`. */
export const renameCommand: Command = {
  name: 'rename',
  signature: 'OLD_NAME NEW_NAME',
  description: 'Rename a container',
  async run(ctx, argv) {
    const [oldName, newName] = parseCommandFlags(ctx, this, commandFlags(this), argv, { exact: 2 }) as [string, string];
    const client = await ctx.client();
    try {
      await client.json('POST', `/containers/${seg(oldName)}/rename`, { query: { name: newName } });
    } catch (err) {
      ctx.stderr.write(`${(err as Error).message}\n`);
      throw new Error(`Error: failed to rename container named ${oldName}`);
    }
    return 0;
  },
};
