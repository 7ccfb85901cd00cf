/**
 * Child process of memoryGuard.test.ts: one forward pass in a fresh process, the way the
 * extension runs it (runForwardPass → a worker thread → tfjs on wasm), and what it really took:
 * the process's peak resident set (VmHWM, kept by the kernel, so no sampling can miss the peak)
 * minus its resident set just before the pass, and the wasm heap's final (= largest) size.
 * Reads the model summary as JSON on stdin; prints one JSON line.
 */
import * as fs from 'fs';
import { runForwardPass } from '../../../src/runtime/runner';
import { estimateMemory } from '../../../src/runtime/memory';
import { planFromSummary } from '../../../src/runtime/plan';
import type { ModelSummary } from '../../../src/core/summary';

function statusKb(field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  if (!m) throw new Error(`/proc/self/status has no ${field}`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  const summary = JSON.parse(fs.readFileSync(0, 'utf8')) as ModelSummary;
  const estimate = estimateMemory(planFromSummary(summary), summary.totalParams);
  const before = statusKb('VmRSS') * 1024;
  const result = await runForwardPass(summary, { backend: 'wasm', timeoutMs: 30 * 60_000, maxBytes: 8 * 1024 ** 3, confirmAboveBytes: Infinity });
  const peak = statusKb('VmHWM') * 1024;
  process.stdout.write(
    JSON.stringify({
      estimate: Number(estimate.bytes),
      parts: Object.fromEntries(Object.entries(estimate.parts).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
      rssBefore: before,
      peakRss: peak,
      peakDelta: peak - before,
      wasm: result.wasmMemoryBytes ?? null,
      backend: result.backend,
      findings: result.findings.length,
    }) + '\n',
  );
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String((e as Error)?.stack ?? e) }) + '\n');
  process.exitCode = 1;
});
