/**
 * docker 1.7's inspect output: `[`, each object indented by 4 spaces and followed by a newline,
 * objects separated by `,`, then `]`; `[]` when nothing was found.
 */
export function formatInspect(objects: readonly unknown[]): string {
  if (objects.length === 0) return '[]\n';
  return `[\n${objects.map((o) => `${JSON.stringify(o, null, 4)}\n`).join(',')}]\n`;
}
