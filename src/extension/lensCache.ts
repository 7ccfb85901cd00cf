import type { FileSummary } from '../core/summary';
import { LensOptions, PlannedLens, planLenses } from './lensPlan';

/**
 * The planned lenses of one analysis, kept with it: VS Code asks for a document's lenses again
 * and again for the same text (each editor showing it, after every onDidChangeCodeLenses, every
 * `vscode.executeCodeLensProvider`), and a 5,000-line file has well over a thousand lenses to
 * title. A summary is never changed once made (a new version of the text gets a new one), so
 * its plan is computed once per settings; weakly held, it goes when the analysis does.
 */
const plans = new WeakMap<FileSummary, { key: string; lenses: readonly PlannedLens[] }>();

export function plannedLenses(summary: FileSummary, opts: LensOptions): readonly PlannedLens[] {
  // Every option given is part of the key (a LensOptions field added later can't be forgotten here).
  const key = JSON.stringify(opts);
  const known = plans.get(summary);
  if (known?.key === key) return known.lenses;
  const lenses = planLenses(summary, opts);
  plans.set(summary, { key, lenses });
  return lenses;
}
