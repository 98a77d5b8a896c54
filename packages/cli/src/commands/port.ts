import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { seg } from '../targets.js';

type PortMap = Record<string, Array<{ HostIp: string; HostPort: string }> | null>;

/** `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: docker 1.7's CmdPort, from inspect's NetworkSettings.Ports. */
export const portCommand: Command = {
  name: 'port',
  signature: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  description: 'List port mappings for the CONTAINER, or lookup the public-facing port that\nis NAT-ed to the PRIVATE_PORT',
  async run(ctx, argv) {
    const [name, wanted] = parseCommandFlags(ctx, this, commandFlags(this), argv, { min: 1 }) as [string, string | undefined];
    const client = await ctx.client();
    const c = await client.json<{ NetworkSettings: { Ports: PortMap | null } }>('GET', `/containers/${seg(name)}/json`);
    const ports = c.NetworkSettings.Ports ?? {};
    if (wanted !== undefined) {
      const [port, proto] = wanted.split('/', 2);
      const key = `${port}/${proto || 'tcp'}`;
      const frontends = ports[key];
      if (!frontends) throw new Error(`Error: No public port '${key}' published for ${name}`);
      for (const f of frontends) ctx.stdout.write(`${f.HostIp}:${f.HostPort}\n`);
      return 0;
    }
    for (const [from, frontends] of Object.entries(ports)) {
      for (const f of frontends ?? []) ctx.stdout.write(`${from} -> ${f.HostIp}:${f.HostPort}\n`);
    }
    return 0;
  },
};
