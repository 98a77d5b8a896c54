/** Options of Go's text/tabwriter.Writer (flags are not supported: docker passes 0). */
export interface TabWriterOptions {
  minwidth: number;
  tabwidth: number;
  padding: number;
  padchar: string;
}

/** Docker's table settings: `tabwriter.NewWriter(out, 20, 1, 3, ' ', 0)`. */
export const DOCKER_TABLE: TabWriterOptions = { minwidth: 20, tabwidth: 1, padding: 3, padchar: ' ' };

/**
 * Go's text/tabwriter for left-aligned, space-padded columns: a cell is text ended by a tab;
 * a column block is a run of consecutive lines that all have that cell, and it is as wide as
 * its widest cell plus padding (at least minwidth). The text after a line's last tab is not a
 * column and is never padded.
 */
export class TabWriter {
  private text = '';

  constructor(
    private readonly out: (text: string) => void,
    private readonly options: TabWriterOptions = DOCKER_TABLE,
  ) {}

  write(text: string): void {
    this.text += text;
  }

  /** Aligns and writes everything buffered; a trailing partial line is written as is. */
  flush(): void {
    const lines = this.text.split('\n');
    const tail = lines.pop() ?? '';
    this.text = '';
    if (lines.length > 0) this.out(formatCells(lines.map((l) => l.split('\t')), this.options));
    if (tail !== '') this.out(formatCells([tail.split('\t')], this.options).slice(0, -1));
  }
}

const width = (s: string): number => [...s].length;

function formatCells(lines: string[][], opts: TabWriterOptions): string {
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i] as string[];
      let line = '';
      cells.forEach((cell, j) => {
        const w = widths[j];
        line += cell;
        if (j < cells.length - 1 && w !== undefined) line += opts.padchar.repeat(Math.max(0, w - width(cell)));
      });
      out.push(`${line}\n`);
    }
  };

  // The recursive column-block walk of Go's (*Writer).format.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= (lines[i] as string[]).length - 1) continue;
      writeLines(start, i);
      start = i;
      let w = opts.minwidth;
      for (; i < line1; i++) {
        const cells = lines[i] as string[];
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column] as string) + opts.padding);
      }
      widths.push(w);
      format(start, i);
      widths.pop();
      start = i;
      i--; // the outer loop's increment re-examines line i
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('');
}
