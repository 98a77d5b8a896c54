/** Go's text/tabwriter: aligns tab-terminated cells into columns. */

export interface TabWriterOptions {
  /** Minimal cell width including any padding. */
  minwidth: number;
  /** Width of tab characters (used when padchar is '\t'). */
  tabwidth: number;
  /** Padding added to a cell before computing its width. */
  padding: number;
  /** The padding character: ' ' or '\t'. */
  padchar: string;
  /** Bitwise OR of the TabWriter flag constants. */
  flags: number;
}

/** docker's table layout: tabwriter.NewWriter(out, 20, 1, 3, ' ', 0) (docker 1.7/1.8 ps, images). */
export const dockerTableOptions: TabWriterOptions = { minwidth: 20, tabwidth: 1, padding: 3, padchar: ' ', flags: 0 };

interface Cell {
  /** Text length in runes (what Go measures with utf8.RuneCount). */
  width: number;
  text: string;
  /** Terminated by a tab (not a vertical tab). */
  htab: boolean;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export class TabWriter {
  static readonly AlignRight = 4;
  static readonly DiscardEmptyColumns = 8;
  static readonly TabIndent = 16;
  static readonly Debug = 32;

  private readonly opts: TabWriterOptions;
  private lines: Cell[][] = [[]];
  private cell = '';
  private widths: number[] = [];
  private out = '';

  constructor(options: Partial<TabWriterOptions> = {}) {
    this.opts = { minwidth: 0, tabwidth: 8, padding: 1, padchar: ' ', flags: 0, ...options };
    // Go: with tab padding, cells are left-aligned independent of AlignRight.
    if (this.opts.padchar === '\t') this.opts.flags &= ~TabWriter.AlignRight;
  }

  /** Buffers text; lines with a single cell complete any pending column block. */
  write(text: string): void {
    for (const ch of text) {
      if (ch === '\t' || ch === '\v') {
        this.terminateCell(ch === '\t');
      } else if (ch === '\n' || ch === '\f') {
        const ncells = this.terminateCell(false);
        this.lines.push([]);
        // A line with one cell cannot affect later columns, so everything so far can be laid out.
        if (ch === '\f' || ncells === 1) this.flushLines(ch === '\f');
      } else {
        this.cell += ch;
      }
    }
  }

  /** Lays out everything buffered and returns all output produced since the last flush. */
  flush(): string {
    if (this.cell.length > 0) this.terminateCell(false);
    this.flushLines(false);
    const out = this.out;
    this.out = '';
    return out;
  }

  private terminateCell(htab: boolean): number {
    const line = this.lines[this.lines.length - 1] ?? [];
    line.push({ width: runeCount(this.cell), text: this.cell, htab });
    this.cell = '';
    return line.length;
  }

  private flushLines(formfeed: boolean): void {
    // The last line is still open (empty unless flush() terminated a trailing cell).
    const last = this.lines[this.lines.length - 1] ?? [];
    const complete = last.length === 0 ? this.lines.slice(0, -1) : this.lines;
    this.format(complete, 0, complete.length, last.length === 0);
    if (formfeed && this.opts.flags & TabWriter.Debug) this.out += '\f';
    this.lines = [[]];
    this.widths = [];
  }

  private format(lines: Cell[][], line0: number, line1: number, allTerminated: boolean): void {
    const column = this.widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= (lines[i]?.length ?? 0) - 1) continue;
      // A cell exists in this column: lay out the lines before this block, then the block.
      this.writeLines(lines, start, i, allTerminated);
      start = i;
      let width = this.opts.minwidth;
      let discardable = true;
      for (; i < line1; i++) {
        const line = lines[i] ?? [];
        if (column >= line.length - 1) break;
        const c = line[column];
        if (!c) break;
        width = Math.max(width, c.width + this.opts.padding);
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.opts.flags & TabWriter.DiscardEmptyColumns) width = 0;
      this.widths.push(width);
      this.format(lines, start, i, allTerminated);
      this.widths.pop();
      start = i;
    }
    this.writeLines(lines, start, line1, allTerminated);
  }

  private padding(textw: number, cellw: number, useTabs: boolean): string {
    const { padchar, tabwidth } = this.opts;
    if (padchar === '\t' || useTabs) {
      if (tabwidth === 0) return '';
      const w = Math.ceil(cellw / tabwidth) * tabwidth;
      return '\t'.repeat(Math.ceil((w - textw) / tabwidth));
    }
    return padchar.repeat(Math.max(cellw - textw, 0));
  }

  private writeLines(lines: Cell[][], line0: number, line1: number, allTerminated: boolean): void {
    const { flags } = this.opts;
    for (let i = line0; i < line1; i++) {
      const line = lines[i] ?? [];
      let useTabs = (flags & TabWriter.TabIndent) !== 0;
      line.forEach((c, j) => {
        if (j > 0 && flags & TabWriter.Debug) this.out += '|';
        const w = this.widths[j];
        if (c.text.length === 0) {
          if (w !== undefined) this.out += this.padding(c.width, w, useTabs);
          return;
        }
        useTabs = false;
        if (flags & TabWriter.AlignRight) {
          if (w !== undefined) this.out += this.padding(c.width, w, false);
          this.out += c.text;
        } else {
          this.out += c.text;
          if (w !== undefined) this.out += this.padding(c.width, w, false);
        }
      });
      // The final line of an explicit flush may lack its newline.
      if (i + 1 < lines.length || allTerminated) this.out += '\n';
    }
  }
}
