// Bundles every entry point with esbuild: the extension host (vscode external), the CLI, the
// benchmark. TypeScript stays a runtime dependency of the bundles (its compiler API is large and
// already minified; bundling it would only slow builds).
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', external: ['vscode', 'typescript', '@tensorflow/*'] };

const entries = [
  ['src/extension/extension.ts', 'dist/extension.js'],
  ['src/cli/main.ts', 'dist/cli.js'],
  ['scripts/bench.ts', 'dist/bench.js'],
];

try {
  await Promise.all(
    entries.map(([from, to]) => esbuild.build({ ...common, entryPoints: [path.join(ROOT, from)], outfile: path.join(ROOT, to) })),
  );
  console.log(`build: ${entries.map((e) => e[1]).join(', ')}`);
} catch (e) {
  console.error(`build failed: ${e.message}`);
  process.exit(1);
}
