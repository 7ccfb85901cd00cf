import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { ModelSummary } from '../core/summary';
import { bytesNumber, estimateMemory } from './memory';
import { PlanOptions, planFromSummary } from './plan';
import { ExecuteOptions, ForwardPassError, ForwardResult } from './types';
import type { WorkerReply, WorkerRequest } from './worker';

/**
 * Runs a sample forward pass of an analyzed model in a worker thread: plan (refusing what can't
 * be built), estimate memory (memory.ts; ask above a limit, refuse what can't fit or can't be
 * counted exactly), then build and run in the worker under a timeout; an AbortSignal terminates
 * it. Memory is bounded three ways while it runs, because V8's resourceLimits cover only the JS
 * heap: the JS heap by resourceLimits, the wasm heap by the worker itself after every layer, and
 * the whole process (typed arrays, wasm, anything) by an RSS watchdog here that terminates the
 * worker when the process has grown by more than the pass may use (`memoryLimitBytes`, default
 * `maxBytes`). A cpu pass's tensors are typed arrays, outside the JS heap: only the watchdog sees them.
 */

export interface RunOptions extends ExecuteOptions, PlanOptions {
  /** Terminate the worker after this long (default 60 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Above this estimate, `onLargeModel` must agree first (default 1 GiB). */
  confirmAboveBytes?: number;
  /** Asked when the estimate exceeds `confirmAboveBytes`; no callback means no. */
  onLargeModel?: (estimateBytes: number, limitBytes: number) => boolean | Promise<boolean>;
  /** Refused outright above this (default: the smaller of 2 GiB — wasm32's reach — and half the machine's memory). */
  maxBytes?: number;
  /** The worker script; by default forward-worker.js (bundle) or worker.js (tsc output) next to this file. */
  workerPath?: string;
  /** Worker stdout/stderr lines (tfjs prints notices); dropped by default. */
  onLog?: (line: string) => void;
}

export const DEFAULT_CONFIRM_BYTES = 1024 ** 3;
export const DEFAULT_TIMEOUT_MS = 60_000;

export function defaultMaxBytes(): number {
  return Math.min(2 * 1024 ** 3, os.totalmem() / 2);
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024).toFixed(1)} KB`;
}

export function workerScript(given?: string): string {
  const candidates = [given && path.resolve(given), path.join(__dirname, 'forward-worker.js'), path.join(__dirname, 'worker.js')].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new ForwardPassError('failed', `the forward-pass worker script is missing (looked for ${candidates.join(', ')})`);
  return found;
}

export async function runForwardPass(summary: ModelSummary, options: RunOptions = {}): Promise<ForwardResult> {
  if (options.signal?.aborted) throw new ForwardPassError('cancelled', 'the forward pass was cancelled');
  const plan = planFromSummary(summary, options);
  let estimate: ReturnType<typeof estimateMemory>;
  try {
    estimate = estimateMemory(plan, summary.totalParams);
  } catch (e) {
    if (e instanceof RangeError) throw new ForwardPassError('too-large', `${summary.name} can't be run: ${e.message}`);
    throw e;
  }
  const bytes = bytesNumber(estimate.bytes);
  const max = options.maxBytes ?? defaultMaxBytes();
  if (estimate.bytes > BigInt(Math.floor(max))) {
    const p = estimate.parts;
    throw new ForwardPassError(
      'too-large',
      `${summary.name} needs about ${formatBytes(bytes)} (weights ${formatBytes(bytesNumber(p.weights))}, activations at batch ${plan.batch} ${formatBytes(bytesNumber(p.activations))}, the largest layer's intermediates ${formatBytes(bytesNumber(p.transient))}), more than the ${formatBytes(max)} a forward pass can use here`,
    );
  }
  const confirm = options.confirmAboveBytes ?? DEFAULT_CONFIRM_BYTES;
  if (bytes > confirm) {
    const ok = options.onLargeModel ? await options.onLargeModel(bytes, confirm) : false;
    if (!ok) throw new ForwardPassError('declined', `${summary.name} needs about ${formatBytes(bytes)}, above the ${formatBytes(confirm)} limit; not run`);
  }
  if (options.signal?.aborted) throw new ForwardPassError('cancelled', 'the forward pass was cancelled');

  // What the pass may use while it runs: by default what it may be estimated at (a test gives a tiny one).
  const limit = options.memoryLimitBytes ?? max;
  const request: WorkerRequest = {
    plan,
    options: { backend: options.backend ?? 'wasm', seed: options.seed ?? 0, wasmPath: options.wasmPath, statistics: options.statistics, memoryLimitBytes: limit },
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const heapMb = Math.max(512, Math.min(4096, Math.ceil((bytes * 2) / 1024 ** 2) + 256));
  const worker = new Worker(workerScript(options.workerPath), { workerData: request, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  const log = options.onLog;
  worker.stdout.on('data', (d: Buffer) => log?.(d.toString()));
  worker.stderr.on('data', (d: Buffer) => log?.(d.toString()));

  return new Promise<ForwardResult>((resolve, reject) => {
    let settled = false;
    // The RSS watchdog: a pass may grow this process by `limit` at most (the estimate is below
    // it). Checked every 100 ms while the worker runs, and once more when its result arrives (a
    // pass shorter than a tick is checked too; the worker's memory is still mapped then).
    const rssAtStart = process.memoryUsage.rss();
    const overgrown = (): boolean => {
      const grown = process.memoryUsage.rss() - rssAtStart;
      if (grown <= limit) return false;
      finish(() => reject(new ForwardPassError('too-large', `the forward pass of ${summary.name} grew the process by ${formatBytes(grown)}, past the ${formatBytes(limit)} it may use; stopped`)));
      return true;
    };
    const watchdog = setInterval(overgrown, 100);
    watchdog.unref?.();
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new ForwardPassError('timeout', `the forward pass of ${summary.name} timed out after ${timeoutMs} ms`))), timeoutMs);
    const onAbort = () => finish(() => reject(new ForwardPassError('cancelled', 'the forward pass was cancelled')));
    options.signal?.addEventListener('abort', onAbort);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.ok && overgrown()) return;
      finish(() => (reply.ok ? resolve(reply.result) : reject(new ForwardPassError(reply.error.code, reply.error.message, reply.error.layer))));
    });
    worker.on('error', (e) => finish(() => reject(new ForwardPassError('failed', /heap|memory/i.test(e.message) ? `the forward pass ran out of memory: ${e.message}` : `the forward-pass worker failed: ${e.message}`))));
    worker.on('exit', (code) => finish(() => reject(new ForwardPassError('failed', `the forward-pass worker exited (code ${code}) without a result`))));
  });
}
