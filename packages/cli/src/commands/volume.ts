import { humanSize } from '@berth/api-types';
import type { Command, CommandContext } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { filtersParam } from '../filterflags.js';
import { formatInspect } from '../format/inspect.js';
import { keyValueMap } from '../runconfig.js';
import { renderFormat } from '../format/table.js';
import { prompt } from '../input.js';
import { forEachTarget, seg } from '../targets.js';
import { commandGroup } from './group.js';

interface Volume {
  Name: string;
  Driver: string;
  Labels: Record<string, string> | null;
  Mountpoint: string;
  Scope: string;
}

const create: Command = {
  name: 'volume create',
  signature: '[VOLUME]',
  description: 'Create a volume',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const name = fs.string(['-name'], '', 'Specify volume name');
    const driver = fs.string(['d', '-driver'], 'local', 'Specify volume driver name');
    const opts = fs.list(['o', '-opt'], 'Set driver specific options');
    const labels = fs.list(['-label'], 'Set metadata for a volume');
    const args = parseCommandFlags(ctx, this, fs, argv, { max: 1 });
    if (args[0] !== undefined && name.value !== '' && args[0] !== name.value) {
      throw new Error(`conflicting options: cannot specify a volume-name through both --name and as a positional arg`);
    }
    const client = await ctx.client();
    const v = await client.json<Volume>('POST', '/volumes/create', {
      body: { Name: args[0] ?? name.value, Driver: driver.value, DriverOpts: keyValueMap(opts.value), Labels: keyValueMap(labels.value) },
    });
    ctx.stdout.write(`${v.Name}\n`);
    return 0;
  },
};

const ls: Command = {
  name: 'volume ls',
  signature: '',
  description: 'List volumes',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const quiet = fs.bool(['q', '-quiet'], false, 'Only display volume names');
    const filters = fs.list(['f', '-filter'], 'Provide filter values (e.g. "dangling=true")');
    const format = fs.string(['-format'], '', 'Format the output using the given Go template');
    parseCommandFlags(ctx, this, fs, argv, { exact: 0 });
    const client = await ctx.client();
    const list = await client.json<{ Volumes: Volume[] | null }>('GET', '/volumes', { query: { filters: filtersParam(filters.value) } });
    const volumes = [...(list.Volumes ?? [])].sort((a, b) => a.Name.localeCompare(b.Name));
    const fmt = quiet.value ? '{{.Name}}' : format.value || 'table {{.Driver}}\t{{.Name}}';
    ctx.stdout.write(renderFormat(fmt, volumes, { Driver: 'DRIVER', Name: 'VOLUME NAME' }, { minwidth: 10 }));
    return 0;
  },
};

const inspect: Command = {
  name: 'volume inspect',
  signature: 'VOLUME [VOLUME...]',
  description: 'Display detailed information on one or more volumes',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const format = fs.string(['f', '-format'], '', 'Format the output using the given Go template');
    const names = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    const client = await ctx.client();
    const found: unknown[] = [];
    let status = 0;
    for (const n of names) {
      try {
        found.push(await client.json('GET', `/volumes/${seg(n)}`));
      } catch (err) {
        ctx.stderr.write(`${(err as Error).message}\n`);
        status = 1;
      }
    }
    ctx.stdout.write(format.value ? renderFormat(format.value, found, {}) : formatInspect(found));
    return status;
  },
};

const rm: Command = {
  name: 'volume rm',
  signature: 'VOLUME [VOLUME...]',
  description: 'Remove one or more volumes',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const force = fs.bool(['f', '-force'], false, 'Force the removal of one or more volumes');
    const names = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    const client = await ctx.client();
    await forEachTarget(ctx, names, 'remove volumes', async (n) => {
      await client.json('DELETE', `/volumes/${seg(n)}`, { query: { force: force.value || undefined } });
    });
    return 0;
  },
};

const prune: Command = {
  name: 'volume prune',
  signature: '',
  description: 'Remove unused local volumes',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const all = fs.bool(['a', '-all'], false, 'Remove all unused volumes, not just anonymous ones');
    const filters = fs.list(['-filter'], 'Provide filter values (e.g. "label=<label>")');
    const force = fs.bool(['f', '-force'], false, 'Do not prompt for confirmation');
    parseCommandFlags(ctx, this, fs, argv, { exact: 0 });
    if (!force.value && !(await confirm(ctx, all.value))) {
      ctx.stdout.write('Total reclaimed space: 0B\n');
      return 0;
    }
    const client = await ctx.client();
    const f = all.value ? [...filters.value, 'all=true'] : filters.value;
    const r = await client.json<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>('POST', '/volumes/prune', { query: { filters: filtersParam(f) } });
    const deleted = r.VolumesDeleted ?? [];
    if (deleted.length > 0) ctx.stdout.write(`Deleted Volumes:\n${deleted.map((n) => `${n}\n`).join('')}\n`);
    ctx.stdout.write(`Total reclaimed space: ${humanSize(r.SpaceReclaimed).replace(' ', '')}\n`);
    return 0;
  },
};

/** The docker CLI's prompt before a prune; anything but `y`/`Y` declines. */
async function confirm(ctx: CommandContext, all: boolean): Promise<boolean> {
  const what = all ? 'all local volumes' : 'anonymous local volumes';
  const line = await prompt(ctx, `WARNING! This will remove ${what} not used by at least one container.\nAre you sure you want to continue? [y/N] `, false);
  return line.trim().toLowerCase() === 'y';
}

/** `berth volume COMMAND`: the local driver's volumes (create, inspect, ls, prune, rm). */
export const volumeCommand: Command = commandGroup({
  name: 'volume',
  signature: 'COMMAND',
  description: 'Manage volumes',
  commands: [create, inspect, ls, prune, rm],
  aliases: { list: 'ls', remove: 'rm' },
});
