// Bundles every entry point with esbuild: the extension host (vscode external; the analyzer it
// loads lazily is its own bundle, dist/coreApi.js), the CLI, the benchmark, and the summary
// panel's browser front-end (dist/webview/main.js, loaded only inside the webview). TypeScript stays a runtime dependency of the bundles (its compiler API is large and
// already minified; bundling it would only slow builds).
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', external: ['vscode', 'typescript', '@tensorflow/*'] };

// The webview runs in a browser iframe under a strict CSP: one self-contained script, no eval.
const webview = { bundle: true, format: 'iife', platform: 'browser', target: 'es2022', sourcemap: true, minify: true, logLevel: 'warning' };

const entries = [
  ['src/extension/extension.ts', 'dist/extension.js'],
  ['src/extension/coreApi.ts', 'dist/coreApi.js'],
  // Analyses run in this worker thread, off the extension host's (src/analysisWorker/).
  ['src/analysisWorker/main.ts', 'dist/analysis-worker.js'],
  // The analyzer the worker loads beside it, through its V8 code cache (src/analysisWorker/analysisCore.ts).
  ['src/analysisWorker/analysisCore.ts', 'dist/analysisCore.js'],
  ['src/cli/main.ts', 'dist/cli.js'],
  ['scripts/bench.ts', 'dist/bench.js'],
  ['scripts/bench-instructions-child.ts', 'dist/bench-instructions-child.js'],
];

try {
  await Promise.all(
    [
      ...entries.map(([from, to]) => esbuild.build({ ...common, entryPoints: [path.join(ROOT, from)], outfile: path.join(ROOT, to) })),
      esbuild.build({ ...webview, entryPoints: [path.join(ROOT, 'webview/main.ts')], outfile: path.join(ROOT, 'dist/webview/main.js') }),
    ],
  );
  console.log(`build: ${entries.map((e) => e[1]).join(', ')}, dist/webview/main.js`);
} catch (e) {
  console.error(`build failed: ${e.message}`);
  process.exit(1);
}

// The forward-pass runtime (worker, wasm files) has its own build step.
await import('./build-runtime.mjs');
// The diagram webview (page + ELK layout worker) too.
await import('./build-diagram.mjs');
