import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { formatPs } from '../format/ps.js';
import type { PsContainer } from '../format/ps.js';
import { filtersParam } from '../filterflags.js';

/** `berth ps`: running containers (all with -a), in 1.7's table, -q IDs or a --format template. */
export const psCommand: Command = {
  name: 'ps',
  signature: '',
  description: 'List containers',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const quiet = fs.bool(['q', '-quiet'], false, 'Only display numeric IDs');
    const size = fs.bool(['s', '-size'], false, 'Display total file sizes');
    const all = fs.bool(['a', '-all'], false, 'Show all containers (default shows just running)');
    const noTrunc = fs.bool(['#notrunc', '-no-trunc'], false, "Don't truncate output");
    const latest = fs.bool(['l', '-latest'], false, 'Show the latest created container, include non-running');
    const since = fs.string(['#sinceId', '#-since-id', '-since'], '', 'Show created since Id or Name, include non-running');
    const before = fs.string(['#beforeId', '#-before-id', '-before'], '', 'Show only container created before Id or Name');
    const last = fs.int(['n'], -1, 'Show n last created containers, include non-running');
    const format = fs.string(['-format'], '', 'Pretty-print containers using a Go template');
    const filters = fs.list(['f', '-filter'], 'Filter output based on conditions provided');
    parseCommandFlags(ctx, this, fs, argv, { exact: 0 });

    const extra = [...filters.value];
    if (since.value) extra.push(`since=${since.value}`);
    if (before.value) extra.push(`before=${before.value}`);
    const limit = latest.value ? 1 : last.value;
    const client = await ctx.client();
    const containers = await client.json<PsContainer[]>('GET', '/containers/json', {
      query: {
        all: all.value || limit > 0 || since.value !== '' || before.value !== '' ? true : undefined,
        limit: limit > 0 ? limit : undefined,
        size: size.value || undefined,
        filters: filtersParam(extra),
      },
    });
    ctx.stdout.write(
      formatPs(containers, { quiet: quiet.value, noTrunc: noTrunc.value, size: size.value, now: Date.now(), ...(format.value ? { format: format.value } : {}) }),
    );
    return 0;
  },
};
