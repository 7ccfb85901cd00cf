// Bundles the forward-pass runtime's own entry points with esbuild: the worker thread
// (dist/forward-worker.js), the extension's forward-pass command (dist/forwardPass.js, required
// lazily by dist/extension.js on the first run: the planner and catalog stay out of activation)
// and the benchmark (dist/bench-forward.js), and copies tfjs-backend-wasm's .wasm files to
// dist/wasm/, where the runtime looks for them first.
// tfjs stays external (resolved from node_modules) unless --bundle-tfjs is given, which inlines
// (and minifies) it into the worker so that a .vsix needs no node_modules/@tensorflow; the
// package.json `vscode:prepublish` script passes it. Only the worker ever loads tfjs.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundleTfjs = process.argv.includes('--bundle-tfjs');
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
const external = ['vscode', 'typescript', '@tensorflow/*'];

try {
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [path.join(ROOT, 'src/runtime/worker.ts')],
      outfile: path.join(ROOT, 'dist/forward-worker.js'),
      external: bundleTfjs ? ['vscode', 'typescript'] : external,
      ...(bundleTfjs ? { minify: true, legalComments: 'none' } : {}),
    }),
    esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'src/extension/forwardPass.ts')], outfile: path.join(ROOT, 'dist/forwardPass.js'), external }),
    esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'scripts/bench-forward.ts')], outfile: path.join(ROOT, 'dist/bench-forward.js'), external }),
  ]);
  const wasmSrc = path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const wasmDst = path.join(ROOT, 'dist/wasm');
  fs.mkdirSync(wasmDst, { recursive: true });
  const files = fs.readdirSync(wasmSrc).filter((f) => f.endsWith('.wasm'));
  for (const f of files) fs.copyFileSync(path.join(wasmSrc, f), path.join(wasmDst, f));
  console.log(`build-runtime: dist/forward-worker.js${bundleTfjs ? ' (tfjs inlined)' : ''}, dist/forwardPass.js, dist/bench-forward.js, dist/wasm/{${files.join(',')}}`);
} catch (e) {
  console.error(`build-runtime failed: ${e.message}`);
  process.exit(1);
}
