// Benchmark entry for the extension host, in the `extensionTestsPath` shape (a module exporting
// `run()`), run by scripts/bench-host.mjs. It measures (lenses.bench.ts) and writes the figures
// as JSON to the file named by MODELLENS_BENCH_RESULTS: the host's console only reaches the runner
// indirectly. `run()` rejects when the bench fails, which the workbench reports as exit code 1.
//
// Env (set on code-server, inherited by the extension host): MODELLENS_BENCH_RESULTS (required),
// MODELLENS_BENCH_MODE ('full' | 'activation'), MODELLENS_BENCH_OPENED (the model file it opens
// first, default resnet.ts), MODELLENS_BENCH_EDITS (default 15).
import * as fs from 'fs';
import * as path from 'path';
import { BenchFigures, BenchOptions, runBench } from './lenses.bench';

export interface BenchResults {
  ok: boolean;
  figures?: BenchFigures;
  options: BenchOptions;
  error?: string;
  durationMs: number;
}

function options(): BenchOptions {
  const mode = process.env.MODELLENS_BENCH_MODE === 'activation' ? 'activation' : 'full';
  const edits = Number(process.env.MODELLENS_BENCH_EDITS ?? 15);
  if (!Number.isInteger(edits) || edits < 1) throw new Error(`MODELLENS_BENCH_EDITS must be a positive integer, got ${process.env.MODELLENS_BENCH_EDITS}`);
  return { mode, openedModel: process.env.MODELLENS_BENCH_OPENED ?? 'resnet.ts', edits, lines: 5000, models: 200, seed: 5000 };
}

export async function run(): Promise<void> {
  const started = Date.now();
  const file = process.env.MODELLENS_BENCH_RESULTS;
  if (!file) throw new Error('MODELLENS_BENCH_RESULTS is not set: nowhere to write the figures');
  const write = (r: BenchResults) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(r, null, 2));
  };
  let opts: BenchOptions = { mode: 'full', openedModel: '', edits: 0, lines: 0, models: 0, seed: 0 };
  try {
    opts = options();
    const figures = await runBench(opts);
    write({ ok: true, figures, options: opts, durationMs: Date.now() - started });
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    write({ ok: false, options: opts, error, durationMs: Date.now() - started });
    throw e;
  }
}
