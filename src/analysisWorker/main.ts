/**
 * The analysis worker's entry (dist/analysis-worker.js): loads the worker proper, which loads the
 * analyzer's bundle (dist/analysisCore.js) through its code cache (codeCache.ts), and the
 * TypeScript compiler through the same cache before the first TypeScript or JavaScript file (a
 * worker that sees only Python never loads it). `workerData.codeCacheDir` is where the cache
 * lives (the extension's global storage); without it both load the plain way.
 *
 * `workerData.early`: the extension started this worker as its module loaded, before VS Code
 * called activate() (which it does only once the window has handed over the extension's storage:
 * 100–950 ms later in a starting window), and only activate() knows where the cache lives. The
 * worker reads and keys both files meanwhile, then waits for that first message (WorkerConfig).
 */
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
import { prepare, startup } from './codeCache';
import type { WorkerConfig } from './protocol';

function start(dir: string | undefined): void {
  startup.dir = dir;
  startup.loadFrom = performance.now();
  // Required once the cache's directory is known, not imported: an import would load the analyzer at once.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./worker');
}

const data = workerData as { codeCacheDir?: string; early?: boolean } | null;
if (data?.early && parentPort) {
  let ts: string[] = [];
  try {
    ts = [require.resolve('typescript')];
  } catch {
    // preloadTypeScript reports it.
  }
  // The analyzer first: every file needs it; TypeScript only a TypeScript or JavaScript file.
  prepare([path.join(__dirname, 'analysisCore.js'), ...ts]);
  // worker.ts's handler is attached inside this one, before the requests that follow are dispatched.
  parentPort.once('message', (config: WorkerConfig) => start(config.codeCacheDir));
} else start(data?.codeCacheDir);
