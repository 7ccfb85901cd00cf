import * as path from 'path';
import type * as ForwardPassModule from './forwardPass';

let loaded: typeof ForwardPassModule | undefined;

/**
 * The forward-pass command (src/extension/forwardPass.ts and the runtime's planner), loaded on
 * the first run: scripts/build-runtime.mjs bundles it as dist/forwardPass.js next to
 * dist/extension.js, so activation loads neither it nor the catalog it plans with. TensorFlow.js
 * itself is only ever loaded by the worker thread it spawns (dist/forward-worker.js).
 */
export function forwardPassModule(): typeof ForwardPassModule {
  if (!loaded) {
    const file = path.join(__dirname, 'forwardPass.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file) as typeof ForwardPassModule;
  }
  return loaded;
}
