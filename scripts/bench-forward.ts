/**
 * Forward-pass benchmark: for the seed MLP (batch 64) and the example CNN, the median time of a
 * whole forward pass on the wasm backend and on the CPU backend, measured in the same process,
 * and their ratio; then the time to a first result through the worker, backend start-up
 * included. Run with `node scripts/build-runtime.mjs && node dist/bench-forward.js`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { analyzeSource } from '../src/core/analyze';
import { timePlan } from '../src/runtime/execute';
import { planFromSummary } from '../src/runtime/plan';
import { runForwardPass } from '../src/runtime/runner';

const ROOT = path.resolve(__dirname, '..');
const CASES = [
  { label: 'seed MLP (batch 64)', file: 'examples/simple-mlp.ts', repeats: 50 },
  { label: 'example CNN (batch 8)', file: 'examples/cnn.ts', repeats: 20 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  for (const c of CASES) {
    const file = path.join(ROOT, c.file);
    const model = analyzeSource(file, fs.readFileSync(file, 'utf8')).models[0];
    const plan = planFromSummary(model);
    // Time to first result: a fresh worker (tfjs load, wasm start-up, build, one pass with statistics).
    const t0 = performance.now();
    const first = await runForwardPass(model, { backend: 'wasm' });
    const firstMs = performance.now() - t0;
    const wasm = await timePlan(plan, 'wasm', c.repeats);
    const cpu = await timePlan(plan, 'cpu', c.repeats);
    const w = median(wasm.times);
    const k = median(cpu.times);
    rows.push([c.label, `${plan.inputs[0].shape.join('×')}`, wasm.backend, w.toFixed(2), k.toFixed(2), `${(k / w).toFixed(1)}×`, firstMs.toFixed(0), first.findings.length ? `${first.findings.length} findings` : 'agree']);
  }
  const head = ['Model', 'Input', 'Backend', 'wasm median ms', 'cpu median ms', 'cpu/wasm', 'first result ms (worker, start-up incl.)', 'vs static'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((x, i) => x.padEnd(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  await tf.setBackend('wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  console.log(`\nwasm SIMD: ${simd ? 'yes' : 'no'}; wasm threads: ${threads ? 'yes' : 'no (Node has no cross-origin isolation; the single-threaded SIMD build is used)'}; node ${process.version}`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
