/**
 * The activation distribution of one layer's output as a few bins between its min and max, for
 * the summary panel's per-layer sparkline. Same binning as numpy.histogram(x, bins, range=(min,
 * max)): equal-width bins, each half-open except the last, which includes max.
 */

export const HISTOGRAM_BINS = 12;

/** Counts of `values` in `bins` equal-width bins over [min, max]; non-finite values are skipped. */
export function histogram(values: ArrayLike<number>, min: number, max: number, bins = HISTOGRAM_BINS): number[] {
  const counts = new Array<number>(bins).fill(0);
  if (!Number.isFinite(min) || !Number.isFinite(max) || bins < 1) return counts;
  const width = max - min;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < min || v > max) continue;
    // A constant output (max = min) has all its mass in one place: numpy puts it in the middle bin of
    // range (min - 0.5, max + 0.5); one bin is what matters for the picture.
    let k = width > 0 ? Math.floor(((v - min) / width) * bins) : Math.floor(bins / 2);
    if (k >= bins) k = bins - 1;
    counts[k]++;
  }
  return counts;
}
