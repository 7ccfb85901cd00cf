import { parentPort, workerData } from 'worker_threads';
import { executePlan } from './execute';
import { ForwardPassError, type ExecuteOptions, type Plan } from './types';

/**
 * The worker thread's entry (bundled as dist/forward-worker.js): builds and runs one plan, posts
 * the result or the error, and exits. The host terminates it on timeout or cancel.
 */

export interface WorkerRequest {
  plan: Plan;
  options: ExecuteOptions;
}

export type WorkerReply =
  | { ok: true; result: import('./types').ForwardResult }
  | { ok: false; error: { code: ForwardPassError['code']; message: string; layer?: string } };

async function main(): Promise<void> {
  const { plan, options } = workerData as WorkerRequest;
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: await executePlan(plan, options) };
  } catch (e) {
    const err = e instanceof ForwardPassError ? e : new ForwardPassError('failed', `the forward pass failed: ${(e as Error)?.message ?? e}`);
    reply = { ok: false, error: { code: err.code, message: err.message, layer: err.layer } };
  }
  parentPort?.postMessage(reply);
}

if (parentPort) void main();
