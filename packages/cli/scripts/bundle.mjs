// Bundles the CLI into dist/berth.cjs, the one file bin/berth.js loads: resolving and loading some
// hundred ES modules (zod among them) cost more than Node's own start-up, and Node starts a
// CommonJS entry faster than an ES module one (no module loader to set up). The packages the CLI
// imports only when a command runs stay external: the daemon's (they load a native addon) and
// the builder's.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../dist/main.js', import.meta.url).pathname],
  outfile: new URL('../dist/berth.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@berth/engine-core', '@berth/api-server', '@berth/builder'],
  // Keep `import()` of those packages (they are ES modules) rather than turning it into require().
  supported: { 'dynamic-import': true },
  // import.meta does not exist in CommonJS: the sources use it for paths relative to the file.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  legalComments: 'none',
  logLevel: 'warning',
});
