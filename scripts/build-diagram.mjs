// Bundles the diagram webview: dist/webview/diagram.js (the page) and
// dist/webview/diagram-layout-worker.js (ELK behind a message protocol; the page starts it as a
// Web Worker, or loads it as a classic script when no worker can be started).
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = { bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: true, sourcemap: false, logLevel: 'warning', legalComments: 'none' };

const entries = [
  ['webview/diagram/main.ts', 'dist/webview/diagram.js'],
  ['webview/diagram/layoutWorker.ts', 'dist/webview/diagram-layout-worker.js'],
];

try {
  await Promise.all(entries.map(([from, to]) => esbuild.build({ ...common, entryPoints: [path.join(ROOT, from)], outfile: path.join(ROOT, to) })));
  console.log(`build-diagram: ${entries.map((e) => e[1]).join(', ')}`);
} catch (e) {
  console.error(`build-diagram failed: ${e.message}`);
  process.exit(1);
}
