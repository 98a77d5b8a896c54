/** `key=value` --filter arguments as the API's `filters` JSON (`{"key":["value",…]}`). */
export function filtersParam(filters: readonly string[]): string | undefined {
  if (filters.length === 0) return undefined;
  const out: Record<string, string[]> = {};
  for (const f of filters) {
    const eq = f.indexOf('=');
    if (eq < 0) throw new Error('Bad format of filter (expected name=value)');
    (out[f.slice(0, eq).trim().toLowerCase()] ??= []).push(f.slice(eq + 1).trim());
  }
  return JSON.stringify(out);
}
