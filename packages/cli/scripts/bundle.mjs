// Bundles the CLI into dist/berth.js, the one file bin/berth.js loads: resolving and loading some
// hundred ES modules (zod among them) cost more than Node's own start-up. The daemon's packages
// stay external: `berth daemon` imports them when it runs, and they load a native addon.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../dist/main.js', import.meta.url).pathname],
  outfile: new URL('../dist/berth.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@berth/engine-core', '@berth/api-server'],
  legalComments: 'none',
  logLevel: 'warning',
});
