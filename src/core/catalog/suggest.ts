/**
 * "Did you mean `nn.Linear`?" for an unknown layer kind: the catalog name the user most likely
 * meant, found by case-insensitive match or a small edit distance. Only a single best match is
 * suggested (a tie would be a guess), and only when the distance is small next to the name's
 * length (`GRU` is not a typo of `RNN`).
 */

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The largest distance still read as a typo: 1 for names up to 5 letters, 2 from 6 on. */
function tolerance(name: string): number {
  return name.length <= 5 ? 1 : 2;
}

/** The one catalog name closest to `name`, or undefined when none is close or several are equally close. */
export function closestName(name: string, names: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const candidate of names) {
    if (candidate === name) return undefined; // not unknown at all
    // A difference in case only counts as half a typo: `Conv2D` is surely `Conv2d`.
    const d = candidate.toLowerCase() === lower ? 0.5 : editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  if (best === undefined || tie || bestDistance > tolerance(name)) return undefined;
  return best;
}
