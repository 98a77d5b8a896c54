// Parse of a large Dockerfile (issue #13 (5)); the parser's own bench script makes the input.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../stats.mjs';

export async function run({ repo, runs }) {
  const script = pathToFileURL(join(repo, 'packages/dockerfile-parser/bench/parse-10k.mjs')).href;
  const { measure } = await import(script);
  const { times, instructions } = measure({ runs: Math.max(runs, 31) });
  return {
    figures: [
      {
        title: 'Parse a 10,000-line Dockerfile',
        unit: 'ms',
        note: `${instructions} instructions: comments, continuations, JSON and shell forms, ENV pairs, flags, heredocs. No peer parses from Node; target: well under 100 ms.`,
        rows: [{ subject: 'berth (@berth/dockerfile-parser)', value: median(times), runs: times.length, berth: true }],
      },
    ],
  };
}
