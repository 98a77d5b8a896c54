import { humanDuration, humanSize } from '@berth/api-types';
import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { localRFC3339NanoFixed, truncateBytes, truncateId } from '../format/text.js';
import { TabWriter } from '../tabwriter.js';
import { seg } from '../targets.js';

interface HistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Size: number;
  Comment: string;
}

export interface HistoryOptions {
  human: boolean;
  noTrunc: boolean;
  quiet: boolean;
  now: number;
}

/** `docker history` as 1.7 prints it: CREATED BY cut to 45 bytes, human or raw dates and sizes. */
export function formatHistory(entries: readonly HistoryEntry[], o: HistoryOptions): string {
  let out = '';
  const w = new TabWriter((s) => (out += s));
  if (!o.quiet) w.write('IMAGE\tCREATED\tCREATED BY\tSIZE\tCOMMENT\n');
  for (const e of entries) {
    const id = o.noTrunc || e.Id === '<missing>' ? e.Id : truncateId(e.Id);
    if (o.quiet) {
      w.write(`${id}\n`);
      continue;
    }
    const created = o.human ? `${humanDuration(o.now - e.Created * 1000)} ago` : localRFC3339NanoFixed(e.Created).replace(/\.\d+/, '');
    const by = e.CreatedBy.replace(/\t/g, ' ');
    const createdBy = o.noTrunc ? by : truncateBytes(by, 45);
    const size = o.human ? humanSize(e.Size) : String(e.Size);
    w.write(`${id}\t${created}\t${createdBy}\t${size}\t${e.Comment}\n`);
  }
  w.flush();
  return out;
}

/** `berth history [-H --no-trunc -q] IMAGE`. */
export const historyCommand: Command = {
  name: 'history',
  signature: 'IMAGE',
  description: 'Show the history of an image',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const human = fs.bool(['H', '-human'], true, 'Print sizes and dates in human readable format');
    const quiet = fs.bool(['q', '-quiet'], false, 'Only show numeric IDs');
    const noTrunc = fs.bool(['#notrunc', '-no-trunc'], false, "Don't truncate output");
    const [name] = parseCommandFlags(ctx, this, fs, argv, { exact: 1 }) as [string];
    const entries = await (await ctx.client()).json<HistoryEntry[]>('GET', `/images/${seg(name)}/history`);
    ctx.stdout.write(formatHistory(entries, { human: human.value, noTrunc: noTrunc.value, quiet: quiet.value, now: Date.now() }));
    return 0;
  },
};
