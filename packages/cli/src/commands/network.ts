import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { DOCKER_TABLE, TabWriter } from '../tabwriter.js';
import { forEachTarget, seg } from '../targets.js';
import { commandGroup } from './group.js';

interface NetworkResource {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
}

/** `key=value` flags into a map. */
function pairs(list: readonly string[]): Record<string, string> {
  return Object.fromEntries(list.map((p) => [p.split('=')[0] ?? '', p.slice(p.indexOf('=') + 1)]));
}

const sub = (name: string, signature: string, description: string, run: Command['run']): Command => ({ name: `network ${name}`, signature, description, run });

const SUBCOMMANDS: Command[] = [
  sub('ls', '[OPTIONS]', 'List networks', async function (this: Command, ctx, argv) {
    const fs = commandFlags(this);
    const quiet = fs.bool(['q', '-quiet'], false, 'Only display network IDs');
    const noTrunc = fs.bool(['-no-trunc'], false, 'Do not truncate the output');
    const filter = fs.list(['f', '-filter'], 'Provide filter values (e.g. "driver=bridge")');
    parseCommandFlags(ctx, this, fs, argv, { exact: 0 });
    const filters: Record<string, Record<string, boolean>> = {};
    for (const f of filter.value) {
      const [k = '', v = ''] = [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)];
      (filters[k] ??= {})[v] = true;
    }
    const client = await ctx.client();
    const nets = await client.json<NetworkResource[]>('GET', '/networks', { query: { filters: filter.value.length ? JSON.stringify(filters) : undefined } });
    nets.sort((a, b) => a.Name.localeCompare(b.Name));
    const id = (n: NetworkResource): string => (noTrunc.value ? n.Id : n.Id.slice(0, 12));
    if (quiet.value) {
      for (const n of nets) ctx.stdout.write(`${id(n)}\n`);
      return 0;
    }
    let out = '';
    const w = new TabWriter((s) => (out += s), { ...DOCKER_TABLE, minwidth: 10 });
    w.write('NETWORK ID\tNAME\tDRIVER\tSCOPE\n');
    for (const n of nets) w.write(`${id(n)}\t${n.Name}\t${n.Driver}\t${n.Scope}\n`);
    w.flush();
    ctx.stdout.write(out);
    return 0;
  }),
  sub('create', '[OPTIONS] NETWORK', 'Create a network', async function (this: Command, ctx, argv) {
    const fs = commandFlags(this);
    const driver = fs.string(['d', '-driver'], 'bridge', 'Driver to manage the Network');
    const subnet = fs.list(['-subnet'], 'Subnet in CIDR format that represents a network segment');
    const gateway = fs.list(['-gateway'], 'IPv4 or IPv6 Gateway for the master subnet');
    const ipRange = fs.list(['-ip-range'], 'Allocate container ip from a sub-range');
    const internal = fs.bool(['-internal'], false, 'Restrict external access to the network');
    const attachable = fs.bool(['-attachable'], false, 'Enable manual container attachment');
    const labels = fs.list(['-label'], 'Set metadata on a network');
    const opts = fs.list(['o', '-opt'], 'Set driver specific options');
    const [name] = parseCommandFlags(ctx, this, fs, argv, { exact: 1 }) as [string];
    const config = subnet.value.map((s, i) => ({ Subnet: s, ...(gateway.value[i] ? { Gateway: gateway.value[i] } : {}), ...(ipRange.value[i] ? { IPRange: ipRange.value[i] } : {}) }));
    const client = await ctx.client();
    const r = await client.json<{ Id: string }>('POST', '/networks/create', {
      body: { Name: name, Driver: driver.value, Internal: internal.value, Attachable: attachable.value, Labels: pairs(labels.value), Options: pairs(opts.value), IPAM: { Driver: 'default', Config: config } },
    });
    ctx.stdout.write(`${r.Id}\n`);
    return 0;
  }),
  sub('inspect', '[OPTIONS] NETWORK [NETWORK...]', 'Display detailed information on one or more networks', async function (this: Command, ctx, argv) {
    const names = parseCommandFlags(ctx, this, commandFlags(this), argv, { min: 1 });
    const client = await ctx.client();
    const found: unknown[] = [];
    let failed = false;
    for (const n of names) {
      try {
        found.push(await client.json('GET', `/networks/${seg(n)}`));
      } catch {
        failed = true;
        ctx.stderr.write(`Error: No such network: ${n}\n`);
      }
    }
    ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
    return failed ? 1 : 0;
  }),
  sub('rm', 'NETWORK [NETWORK...]', 'Remove one or more networks', async function (this: Command, ctx, argv) {
    const names = parseCommandFlags(ctx, this, commandFlags(this), argv, { min: 1 });
    const client = await ctx.client();
    await forEachTarget(ctx, names, 'remove networks', async (n) => {
      await client.json('DELETE', `/networks/${seg(n)}`);
    });
    return 0;
  }),
  sub('connect', '[OPTIONS] NETWORK CONTAINER', 'Connect a container to a network', async function (this: Command, ctx, argv) {
    const fs = commandFlags(this);
    const aliases = fs.list(['-alias'], 'Add network-scoped alias for the container');
    const [net, container] = parseCommandFlags(ctx, this, fs, argv, { exact: 2 }) as [string, string];
    const client = await ctx.client();
    await client.json('POST', `/networks/${seg(net)}/connect`, { body: { Container: container, EndpointConfig: { Aliases: aliases.value } } });
    return 0;
  }),
  sub('disconnect', '[OPTIONS] NETWORK CONTAINER', 'Disconnect a container from a network', async function (this: Command, ctx, argv) {
    const fs = commandFlags(this);
    const force = fs.bool(['f', '-force'], false, 'Force the container to disconnect from a network');
    const [net, container] = parseCommandFlags(ctx, this, fs, argv, { exact: 2 }) as [string, string];
    const client = await ctx.client();
    await client.json('POST', `/networks/${seg(net)}/disconnect`, { body: { Container: container, Force: force.value } });
    return 0;
  }),
  sub('prune', '[OPTIONS]', 'Remove all unused networks', async function (this: Command, ctx, argv) {
    const fs = commandFlags(this);
    fs.bool(['f', '-force'], false, 'Do not prompt for confirmation');
    parseCommandFlags(ctx, this, fs, argv, { exact: 0 });
    const client = await ctx.client();
    const r = await client.json<{ NetworksDeleted: string[] | null }>('POST', '/networks/prune');
    const deleted = r.NetworksDeleted ?? [];
    if (deleted.length > 0) ctx.stdout.write(`Deleted Networks:\n${deleted.map((n) => `${n}\n`).join('')}`);
    return 0;
  }),
];

/** `berth network ls|create|inspect|rm|connect|disconnect|prune`, as today's docker CLI. */
export const networkCommand: Command = commandGroup({
  name: 'network',
  signature: '',
  description: 'Manage networks',
  commands: SUBCOMMANDS,
  aliases: { list: 'ls', remove: 'rm' },
});
