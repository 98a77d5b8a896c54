#!/usr/bin/env node
// CommonJS (see package.json here), like the bundle it loads: it starts faster than an ES module.
const { main } = require('../dist/berth.cjs');

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(125);
  },
);
