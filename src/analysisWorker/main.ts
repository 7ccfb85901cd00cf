/**
 * The analysis worker's entry (dist/analysis-worker.js): loads the TypeScript compiler through
 * its code cache (codeCache.ts) first, then the worker proper, which loads the analyzer's bundle
 * (dist/analysisCore.js, requiring TypeScript) through the same cache. `workerData.codeCacheDir`
 * is where the cache lives (the extension's global storage); without it both load the plain way.
 */
import { workerData } from 'worker_threads';
import { preloadTypeScript } from './codeCache';

preloadTypeScript((workerData as { codeCacheDir?: string } | null)?.codeCacheDir);
// Required after the preload, not imported: an import would load the analyzer (and TypeScript) first.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./worker');
