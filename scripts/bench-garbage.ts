/**
 * Untimed short-lived garbage of a pseudo-random size (0–16 MB, about V8's young generation),
 * made before each measured call by both benchmarks (bench.ts, bench-instructions-child.ts).
 *
 * Why: a loop of identical calls allocates the same amounts each time, so young-generation
 * collections land at the same point of every call, and an unrelated code change that shifts
 * that point moved the parse-versus-analysis ratio by ±0.3 (callgrind counts by ±5%). With
 * garbage of a random size before each call, collections land at random points, as they do in
 * an editor. The sizes are deterministic (a fixed seed): every run makes the same sequence.
 */
let seed = 12345;
let made = 0;

export function garbage(): void {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  const objects = ((seed / 2 ** 32) * 16e6) / 64;
  let batch: { x: number; y: number }[] = [];
  for (let i = 0; i < objects; i++) {
    batch.push({ x: i, y: i });
    if (batch.length > 1000) batch = [];
  }
  made += batch.length;
}

/** Read once at the end (`if (garbageMade() < 0) …`): keeps the garbage from being optimized away. */
export function garbageMade(): number {
  return made;
}
