/** Docker's truncindex errors, with its wording. */
export class TruncIndexError extends Error {
  constructor(
    message: string,
    readonly kind: 'empty' | 'ambiguous' | 'not-found' | 'invalid' | 'exists',
  ) {
    super(message);
    this.name = 'TruncIndexError';
  }
}

/**
 * Finds IDs by a unique prefix (Docker's `pkg/truncindex`). IDs are kept sorted, so the IDs that
 * share a prefix are one contiguous run found by binary search.
 */
export class TruncIndex {
  private ids: string[] = [];

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.ids[this.lowerBound(id)] === id;
  }

  add(id: string): void {
    if (id === '') throw new TruncIndexError("illegal character: ' '", 'invalid');
    if (id.includes(' ')) throw new TruncIndexError("illegal character: ' '", 'invalid');
    const at = this.lowerBound(id);
    if (this.ids[at] === id) throw new TruncIndexError(`id already exists: '${id}'`, 'exists');
    this.ids.splice(at, 0, id);
  }

  delete(id: string): boolean {
    const at = this.lowerBound(id);
    if (this.ids[at] !== id) return false;
    this.ids.splice(at, 1);
    return true;
  }

  /** The one ID starting with `prefix`; throws when there is none or more than one. */
  get(prefix: string): string {
    if (prefix === '') throw new TruncIndexError("Prefix can't be empty", 'empty');
    const at = this.lowerBound(prefix);
    const first = this.ids[at];
    if (first === undefined || !first.startsWith(prefix)) {
      throw new TruncIndexError(`no such id: ${prefix}`, 'not-found');
    }
    const next = this.ids[at + 1];
    if (next !== undefined && next.startsWith(prefix)) {
      throw new TruncIndexError(`Multiple IDs found with provided prefix: ${prefix}`, 'ambiguous');
    }
    return first;
  }

  /** Index of the first ID not less than `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ids[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
