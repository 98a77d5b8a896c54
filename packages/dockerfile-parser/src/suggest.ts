// "(did you mean run?)" after an unknown instruction, as BuildKit's util/suggest words it.

function levenshtein(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The closest option (distance below 3, the first wins a tie), or undefined. Case-insensitive
 * matching answers in the case the user wrote (all upper → upper, else lower).
 */
export function suggest(value: string, options: readonly string[], caseSensitive = false): string | undefined {
  const wanted = Array.from(caseSensitive ? value : value.toLowerCase());
  let best: string | undefined;
  let bestDistance = 3;
  for (const option of options) {
    const candidate = caseSensitive ? option : option.toLowerCase();
    const distance = levenshtein(wanted, Array.from(candidate));
    if (distance === 0) return undefined;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined || caseSensitive) return best;
  return value === value.toUpperCase() && value !== value.toLowerCase() ? best.toUpperCase() : best;
}
