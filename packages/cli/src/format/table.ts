import { headerFuncs, parseTemplate, stripTable } from '@berth/go-template';
import { DOCKER_TABLE, TabWriter, type TabWriterOptions } from '../tabwriter.js';

/**
 * Renders rows with a `--format` template; `table …` adds the header row and aligns the columns
 * (docker's newer commands use a narrower minimum column width than 1.7's).
 */
export function renderFormat(format: string, rows: readonly unknown[], headers: Record<string, string>, tableOptions: Partial<TabWriterOptions> = {}): string {
  const { table, format: text } = stripTable(format);
  const tmpl = parseTemplate(text);
  let out = '';
  if (!table) {
    for (const row of rows) out += `${tmpl.execute(row)}\n`;
    return out;
  }
  const w = new TabWriter((s) => (out += s), { ...DOCKER_TABLE, ...tableOptions });
  w.write(`${parseTemplate(text, { funcs: headerFuncs }).execute(headers)}\n`);
  for (const row of rows) w.write(`${tmpl.execute(row)}\n`);
  w.flush();
  return out;
}
