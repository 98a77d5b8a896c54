#!/usr/bin/env node
import { main } from '../dist/berth.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(125);
  },
);
