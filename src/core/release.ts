/**
 * Emptying containers at the end of an analysis so that they stop pointing into its syntax tree.
 *
 * Why this matters: V8 collects its young generation by copying what is alive into the old one,
 * and it counts as alive anything an old-generation object points at, even an old object that is
 * itself garbage, until the next full collection. Objects of an analysis do reach the old
 * generation (by surviving long enough, or because V8 "pretenures" an allocation site whose
 * objects tend to live long), and from there one stale pointer into the file's young tree kept
 * the whole tree alive: each cold analysis paid for copying it twice after it was done with it,
 * more than the analysis itself cost. The helpers overwrite entries one by one, because
 * `Map.prototype.clear` and friends leave the old table (and its pointers) behind.
 *
 * Closures are the other way to keep a tree alive unseen: a closure holds its whole enclosing
 * scope, and one that has been called stays referenced from the caller's call feedback after
 * everything else has dropped it. Hence objects with a method (Thunk, RowDecorations) and
 * `Interp.enterFile`/`leaveFile` where the analyzer would otherwise keep a closure per value.
 */
export function emptyMap<K, V>(m: Map<K, V>): void {
  for (const k of m.keys()) m.delete(k); // deleting while iterating is safe for Maps and Sets
}

export function emptySet<T>(s: Set<T>): void {
  for (const k of s) s.delete(k);
}

export function emptyArray<T>(a: T[]): void {
  a.fill(undefined as T);
  a.length = 0;
}
