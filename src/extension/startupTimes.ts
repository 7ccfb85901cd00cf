/**
 * Where a window's first lens waits, on the extension host's clock (`performance.now()`): VS Code
 * called activate(), the analysis worker was created, its script began and had TypeScript and the
 * analyzer loaded, the first document was sent to it, its result came back, and the editor first
 * asked for lenses and first got some. The benchmark
 * (test/bench/lenses.bench.ts) reads them from the extension's exports and prints them beside
 * VS Code's own steps; nothing else reads them. The log says the same in words.
 */
export interface StartupTimes {
  activated?: number;
  workerCreated?: number;
  workerStarted?: number;
  workerLoaded?: number;
  firstSent?: number;
  firstResult?: number;
  firstAsked?: number;
  firstAnswered?: number;
}

/** A moment given in ms since the epoch (another thread's `performance.timeOrigin + performance.now()`) on this thread's clock. */
export function fromEpoch(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms - performance.timeOrigin;
}
