import { headerFuncs, parseTemplate, stripTable } from '@berth/go-template';
import { TabWriter } from '../tabwriter.js';

/** Renders rows with a `--format` template; `table …` adds the header row and aligns the columns. */
export function renderFormat(format: string, rows: readonly unknown[], headers: Record<string, string>): string {
  const { table, format: text } = stripTable(format);
  const tmpl = parseTemplate(text);
  let out = '';
  if (!table) {
    for (const row of rows) out += `${tmpl.execute(row)}\n`;
    return out;
  }
  const w = new TabWriter((s) => (out += s));
  w.write(`${parseTemplate(text, { funcs: headerFuncs }).execute(headers)}\n`);
  for (const row of rows) w.write(`${tmpl.execute(row)}\n`);
  w.flush();
  return out;
}
