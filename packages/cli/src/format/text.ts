/** Go's strconv.Quote for the ASCII-and-UTF-8 text of commands: escapes, quotes, non-printables as \x. */
export function goQuote(s: string): string {
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (named[c] !== undefined) out += named[c];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

/** stringutils.Truncate: the first n bytes, as Go slices a string. */
export function truncateBytes(s: string, n: number): string {
  const bytes = Buffer.from(s, 'utf8');
  return bytes.length <= n ? s : bytes.subarray(0, n).toString('utf8');
}

/** stringid.TruncateID: an ID without its algorithm prefix, cut to 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':');
  return (colon >= 0 ? id.slice(colon + 1) : id).slice(0, 12);
}

/** Docker's RFC3339NanoFixed of a unix time in seconds, in the client's local zone (`Z` when UTC). */
export function localRFC3339NanoFixed(unixSeconds: number, nanos = 0): string {
  const d = new Date(unixSeconds * 1000);
  const offsetMin = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + offsetMin * 60_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const date = `${p(local.getUTCFullYear(), 4)}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())}`;
  const time = `${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}.${p(nanos, 9)}`;
  const zone = offsetMin === 0 ? 'Z' : `${offsetMin > 0 ? '+' : '-'}${p(Math.trunc(Math.abs(offsetMin) / 60))}:${p(Math.abs(offsetMin) % 60)}`;
  return `${date}T${time}${zone}`;
}

/** parsers.ParseRepositoryTag: `host:5000/repo:tag` → ['host:5000/repo', 'tag']; digests split at `@`. */
export function parseRepositoryTag(ref: string): [string, string] {
  const at = ref.indexOf('@');
  if (at >= 0) return [ref.slice(0, at), ref.slice(at + 1)];
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || ref.slice(colon + 1).includes('/')) return [ref, ''];
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}
