import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { formatEvent } from '../format/events.js';
import type { EventLine } from '../format/events.js';
import { filtersParam } from '../filterflags.js';
import { getTimestamp } from '../timestamp.js';

/** `berth events`: the daemon's event stream, one line per event, until --until or interruption. */
export const eventsCommand: Command = {
  name: 'events',
  signature: '',
  description: 'Get real time events from the server',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const since = fs.string(['#since', '-since'], '', 'Show all events created since timestamp');
    const until = fs.string(['-until'], '', 'Stream events until this timestamp');
    const filters = fs.list(['f', '-filter'], 'Filter output based on conditions provided');
    parseCommandFlags(ctx, this, fs, argv, { exact: 0 });
    const now = Date.now();
    const client = await ctx.client();
    const query = {
      since: since.value === '' ? undefined : getTimestamp(since.value, now),
      until: until.value === '' ? undefined : getTimestamp(until.value, now),
      filters: filtersParam(filters.value),
    };
    for await (const e of client.jsonLines('GET', '/events', { query })) ctx.stdout.write(formatEvent(e as EventLine));
    return 0;
  },
};
