// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
import { parse } from './source';
import { emptyMap } from '../../release';

/**
 * Parsed files by path. An edit re-parses incrementally (`ts.updateSourceFile` with the changed
 * span), which reuses the syntax trees of everything outside the edit: the main saving when a
 * user types in a large file.
 */
const MAX_FILES = 64;
const cache = new Map<string, ts.SourceFile>();

export function parseCached(file: string, text: string): ts.SourceFile {
  const old = cache.get(file);
  if (old && old.text === text) {
    touch(file, old);
    return old;
  }
  let sf: ts.SourceFile;
  if (old) {
    const range = changeRange(old.text, text);
    try {
      sf = ts.updateSourceFile(old, text, range, /* aggressiveChecks */ false);
    } catch {
      sf = parse(file, text);
    }
  } else sf = parse(file, text);
  touch(file, sf);
  return sf;
}

function touch(file: string, sf: ts.SourceFile): void {
  cache.delete(file);
  cache.set(file, sf);
  if (cache.size > MAX_FILES) cache.delete(cache.keys().next().value as string);
}

/** The span that differs between two texts (common prefix and suffix trimmed). */
export function changeRange(before: string, after: string): ts.TextChangeRange {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return ts.createTextChangeRange(ts.createTextSpan(start, endBefore - start), endAfter - start);
}

export function clearParseCache(): void {
  emptyMap(cache); // not `clear()`: see release.ts
}
