/**
 * The workload of `npm run bench:instructions` (see scripts/bench-instructions.mjs): runs one
 * core step N times on the benchmark's 5,000-line file, so that the driver can count the
 * instructions of each step under callgrind. Prints nothing: callgrind does the measuring.
 *
 *   MODE=garbage   only the random garbage every step follows (bench-garbage.ts; subtracted)
 *   MODE=parse     ts.createSourceFile, as a bare parse (the benchmark's floor)
 *   MODE=ownparse  the analyzer's own parse (JSDoc not parsed)
 *   MODE=warm      analysis of a tree already parsed and cached (result cache cleared)
 *   MODE=cold      analysis with every cache cleared: the figure the speed target is about
 */
import * as ts from 'typescript';
import { analyzeSource, clearAnalysisCache } from '../src/core/analyze';
import { clearParseCache } from '../src/core/lang/ts/parseCache';
import { parse } from '../src/core/lang/ts/source';
import { garbage, garbageMade } from './bench-garbage';
import { generateFile } from './generate-models';

const text = generateFile({ lines: 5000, models: 200, seed: 5000 });
const mode = process.env.MODE;
const n = Number(process.env.N);
if (!Number.isInteger(n) || n < 1) throw new Error('N must be a positive integer');

/**
 * Each step: what to forget first, then the work. Caches are cleared before the garbage, not
 * after it: a cold step's tree and result, still cached while the next garbage was made, were
 * copied by the collections that garbage caused, and those copies were counted as the cold
 * analysis's (the bare parse's tree is dead by then).
 */
const steps: Record<string, { forget?: () => void; run: () => unknown }> = {
  garbage: { run: () => undefined },
  parse: { run: () => ts.createSourceFile('bench.ts', text, ts.ScriptTarget.Latest, false) },
  ownparse: { run: () => parse('bench.ts', text) },
  warm: { forget: clearAnalysisCache, run: () => analyzeSource('warm.ts', text) },
  cold: {
    forget: () => {
      clearAnalysisCache();
      clearParseCache();
    },
    run: () => analyzeSource('cold.ts', text),
  },
};
const step = steps[mode ?? ''];
if (!step) throw new Error(`MODE must be one of ${Object.keys(steps).join(', ')}`);
for (let i = 0; i < n; i++) {
  step.forget?.();
  garbage();
  step.run();
}
if (garbageMade() < 0) console.log('never'); // keeps the garbage from being optimized away
