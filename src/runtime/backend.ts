import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';

/**
 * Backend selection: tfjs-backend-wasm (SIMD when the runtime has it) with its .wasm files
 * located at run time, the CPU backend as the fallback.
 */

let wasmRegistered: string | undefined;

const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';

/** The directory holding the .wasm files: the given one, `wasm/` next to this bundle, or the package's dist/. */
export function locateWasm(given?: string): string | undefined {
  const candidates: string[] = [];
  if (given) candidates.push(given);
  candidates.push(path.join(__dirname, 'wasm'));
  try {
    candidates.push(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'));
  } catch {
    // not installed next to this bundle
  }
  return candidates.find((d) => fs.existsSync(path.join(d, WASM_FILE)) || fs.existsSync(path.join(d, 'tfjs-backend-wasm.wasm')));
}

export async function useBackend(want: 'wasm' | 'cpu', wasmPath?: string): Promise<{ backend: 'wasm' | 'cpu'; note?: string }> {
  let note: string | undefined;
  if (want === 'wasm') {
    try {
      const dir = wasmRegistered ?? locateWasm(wasmPath);
      if (!dir) throw new Error(`no ${WASM_FILE} found${wasmPath ? ` in ${wasmPath}` : ''}`);
      if (!wasmRegistered) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
        wasm.setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
        wasmRegistered = dir;
      }
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return { backend: 'wasm' };
      }
      note = 'the wasm backend failed to initialise';
    } catch (e) {
      note = `wasm unavailable: ${(e as Error).message}`;
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', note };
}

/** A kernel the wasm backend does not implement: the pass is retried on the CPU backend. */
export function isMissingKernel(e: unknown): boolean {
  return /not registered for backend|is not implemented|not yet supported/i.test(String((e as Error)?.message ?? e));
}

/** The current size of the wasm backend's heap (WebAssembly memory only grows), or undefined on another backend. */
export function wasmHeapBytes(): number | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const b = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return b.wasm?.HEAPU8?.buffer.byteLength;
}
