#!/usr/bin/env node
// The CLI entry: the bundled core (dist/cli.js, built by `npm run build`).
process.exitCode = require('../dist/cli.js').main(process.argv.slice(2));
