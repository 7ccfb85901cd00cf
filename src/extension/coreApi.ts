/**
 * The analyzer as the extension uses it. Bundled separately (dist/coreApi.js) and required on the
 * first analysis, so activation loads neither the TypeScript compiler nor the catalog.
 */
import { analyzeSource } from '../core/analyze';
import { catalog } from '../core/catalog';
import type { LayerDocs } from '../core/catalog/types';
import { formatFileJson, formatSummary } from '../core/format';

export { analyzeSource, formatFileJson, formatSummary };

/** Catalog docs by the row's `catalogKey` (`torch:Linear`), undefined for unknown kinds. */
export function docsFor(key: string): LayerDocs | undefined {
  return catalog.all.find((e) => `${e.framework}:${e.type}` === key)?.docs;
}
