/**
 * The workload of `npm run bench:instructions` (see scripts/bench-instructions.mjs): runs one
 * core step N times on the benchmark's 5,000-line file, so that the driver can count the
 * instructions of each step under callgrind. Prints nothing: callgrind does the measuring.
 *
 *   MODE=parse     ts.createSourceFile, as a bare parse (the benchmark's floor)
 *   MODE=ownparse  the analyzer's own parse (JSDoc not parsed)
 *   MODE=warm      analysis of a tree already parsed and cached (result cache cleared)
 *   MODE=cold      analysis with every cache cleared: the figure the speed target is about
 */
import * as ts from 'typescript';
import { analyzeSource, clearAnalysisCache } from '../src/core/analyze';
import { clearParseCache } from '../src/core/analyzer/parseCache';
import { parse } from '../src/core/analyzer/source';
import { generateFile } from './generate-models';

const text = generateFile({ lines: 5000, models: 200, seed: 5000 });
const mode = process.env.MODE;
const n = Number(process.env.N);
if (!Number.isInteger(n) || n < 1) throw new Error('N must be a positive integer');

/**
 * Short-lived garbage of a pseudo-random size (0–16 MB, the young generation's size) before each
 * step, so that young-generation collections land at a different point of each step, as they do
 * in use. Without it every run lands them at the same point (the same work allocates the same
 * amounts), and an unrelated change that shifts that point moved counts by ±5%. The driver
 * subtracts the `garbage` mode, which runs only this.
 */
let seed = 12345;
let sink = 0;
function garbage(): void {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  const objects = ((seed / 2 ** 32) * 16e6) / 64;
  let batch: { x: number; y: number }[] = [];
  for (let i = 0; i < objects; i++) {
    batch.push({ x: i, y: i });
    if (batch.length > 1000) batch = [];
  }
  sink += batch.length;
}

const steps: Record<string, () => unknown> = {
  garbage: () => undefined,
  parse: () => ts.createSourceFile('bench.ts', text, ts.ScriptTarget.Latest, false),
  ownparse: () => parse('bench.ts', text),
  warm: () => {
    clearAnalysisCache();
    return analyzeSource('warm.ts', text);
  },
  cold: () => {
    clearAnalysisCache();
    clearParseCache();
    return analyzeSource('cold.ts', text);
  },
};
const step = steps[mode ?? ''];
if (!step) throw new Error(`MODE must be one of ${Object.keys(steps).join(', ')}`);
for (let i = 0; i < n; i++) {
  garbage();
  step();
}
if (sink < 0) console.log(sink); // keeps the garbage loop from being optimized away
