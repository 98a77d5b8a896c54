import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { formatStats, statsRow, type StatsFrame, type StatsRow } from '../format/stats.js';
import { seg } from '../targets.js';

/** Clears the terminal before each refresh while streaming (docker's `\033[2J\033[H`). */
const CLEAR = '\u001b[2J\u001b[H';

/**
 * `berth stats CONTAINER...`: live CPU, memory and network figures of each container, refreshed
 * every half second; with --no-stream one table from the first frame of each.
 */
export const statsCommand: Command = {
  name: 'stats',
  signature: 'CONTAINER [CONTAINER...]',
  description: "Display a live stream of one or more containers' resource usage statistics",
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const noStream = fs.bool(['-no-stream'], false, 'Disable streaming stats and only pull the first result');
    const names = parseCommandFlags(ctx, this, fs, argv, { min: 1 });
    const client = await ctx.client();
    const rows = new Map<string, StatsRow>(names.map((n) => [n, statsRow(n, {})]));
    const errors = new Map<string, string>();
    const collectors = names.map(async (name) => {
      try {
        const frames = client.jsonLines('GET', `/containers/${seg(name)}/stats`, { query: { stream: !noStream.value } });
        for await (const f of frames) {
          rows.set(name, statsRow(name, f as StatsFrame));
          if (noStream.value) break;
        }
      } catch (e) {
        errors.set(name, `${name}: ${(e as Error).message}`);
        rows.delete(name);
      }
    });
    if (noStream.value) {
      await Promise.all(collectors);
    } else {
      // as docker: give failing containers a moment to report before the first table
      await Promise.race([Promise.all(collectors), sleep(1500)]);
    }
    if (errors.size > 0) throw new Error([...errors.values()].join(', '));
    if (noStream.value) {
      ctx.stdout.write(formatStats([...rows.values()]));
      return 0;
    }
    let running = true;
    void Promise.all(collectors).then(() => (running = false));
    while (running && rows.size > 0) {
      ctx.stdout.write(CLEAR + formatStats([...rows.values()]));
      await sleep(500);
    }
    return 0;
  },
};
