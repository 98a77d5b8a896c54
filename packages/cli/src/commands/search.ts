import type { Command } from '../command.js';
import { commandFlags, parseCommandFlags } from '../command.js';
import { TabWriter } from '../tabwriter.js';
import { truncateBytes } from '../format/text.js';
import { registryAuthHeader } from '../registry-auth.js';

interface SearchResult {
  name: string;
  description: string;
  star_count: number;
  is_official: boolean;
  is_automated: boolean;
  is_trusted?: boolean;
}

/** `berth search TERM`: docker 1.7's table, descriptions cut to 42 bytes and `...`. */
export const searchCommand: Command = {
  name: 'search',
  signature: 'TERM',
  description: 'Search the registry for images',
  async run(ctx, argv) {
    const fs = commandFlags(this);
    const automated = fs.bool(['#automated', '-automated'], false, 'Only show automated builds');
    const noTrunc = fs.bool(['#no-trunc', '-no-trunc'], false, "Don't truncate output");
    const stars = fs.int(['s', '#stars', '-stars'], 0, 'Only displays with at least x stars');
    const limit = fs.int(['-limit'], 0, 'Max number of search results');
    const [term] = parseCommandFlags(ctx, this, fs, argv, { exact: 1 }) as [string];
    const client = await ctx.client();
    const results = await client.json<SearchResult[]>('GET', '/images/search', {
      query: { term, limit: limit.value > 0 ? limit.value : undefined },
      headers: { 'X-Registry-Auth': await registryAuthHeader(ctx, term) },
    });
    const w = new TabWriter((t) => ctx.stdout.write(t), { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ' });
    w.write('NAME\tDESCRIPTION\tSTARS\tOFFICIAL\tAUTOMATED\n');
    for (const r of results) {
      const isAutomated = r.is_automated || r.is_trusted === true;
      if ((automated.value && !isAutomated) || stars.value > r.star_count) continue;
      let desc = r.description.replace(/[\n\r]/g, ' ');
      if (!noTrunc.value && Buffer.byteLength(desc) > 45) desc = `${truncateBytes(desc, 42)}...`;
      w.write(`${r.name}\t${desc}\t${r.star_count}\t${r.is_official ? '[OK]' : ''}\t${isAutomated ? '[OK]' : ''}\n`);
    }
    w.flush();
    return 0;
  },
};
