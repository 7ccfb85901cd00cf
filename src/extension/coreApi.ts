/**
 * The analyzer as the extension uses it. Bundled separately (dist/coreApi.js) and required on the
 * first analysis, so activation loads neither the TypeScript compiler nor the catalog.
 */
import { analyzeSource, clearAnalysisCache } from '../core/analyze';
import { clearParseCache, parseCached } from '../core/lang/ts/parseCache';
import { clearPythonParseCache } from '../core/lang/python/parse';
import { catalog } from '../core/catalog';
import type { LayerDocs } from '../core/catalog/types';
import { formatFileJson, formatSummary } from '../core/format';

/** `parseCached` is here for the benchmark: it times a cold analysis's parse and the rest apart. */
export { analyzeSource, formatFileJson, formatSummary, parseCached };

/** Forgets every parsed tree and result: the next analysis is cold (benchmarks measure this). */
export function clearCaches(): void {
  clearAnalysisCache();
  clearParseCache();
  clearPythonParseCache();
}

/** Catalog docs by the row's `catalogKey` (`torch:Linear`), undefined for unknown kinds. */
export function docsFor(key: string): LayerDocs | undefined {
  return catalog.all.find((e) => `${e.framework}:${e.type}` === key)?.docs;
}
