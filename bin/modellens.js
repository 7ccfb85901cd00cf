#!/usr/bin/env node
// The CLI entry: the bundled core (dist/cli.js), built by `npm install` (prepare) or `npm run build`.
let cli;
try {
  cli = require('../dist/cli.js');
} catch {
  console.error('modellens: not built yet: run `npm install` (or `npm run build`) first');
  process.exit(2);
}
cli.endQuietlyOnClosedPipe();
cli.cli(process.argv.slice(2)).then((code) => (process.exitCode = code));
