import { nodeId } from '../core/graph/build';
import type { DiagramBadge } from '../core/graph/messages';
import type { ModelSummary } from '../core/summary';
import { forwardPanel, isForwardError, num, type ForwardOutcome } from './forwardView';

/**
 * A forward pass's result as diagram badges: one per layer that ran, joined on the summary row
 * (`LayerRunStats.id` is the row id, node `n<id>`), with the same shape text and the same
 * disagreement rule as the summary panel's columns (forwardView.ts), so both views agree.
 * Rows named only by a finding (nothing ran for them) get a red badge of their own. Pure.
 */
export function diagramBadges(model: ModelSummary, outcome: ForwardOutcome): DiagramBadge[] | null {
  if (isForwardError(outcome)) return null;
  const { rows } = forwardPanel(model, outcome);
  const badges: DiagramBadge[] = [];
  const seen = new Set<number>();
  for (const l of outcome.layers) {
    const cell = rows.get(l.id);
    if (!cell || seen.has(l.id)) continue;
    seen.add(l.id);
    badges.push({ node: nodeId(l.id), shape: cell.shape, mean: num(l.mean), mismatch: cell.mismatch, detail: `mean ${cell.meanStd}\n${cell.detail}` });
  }
  const rowIds = new Set(model.layers.map((r) => r.id));
  const orphan = new Map<number, string[]>();
  for (const f of outcome.findings) {
    if (f.id === undefined || seen.has(f.id) || !rowIds.has(f.id)) continue;
    orphan.set(f.id, [...(orphan.get(f.id) ?? []), f.message]);
  }
  for (const [id, messages] of orphan) badges.push({ node: nodeId(id), shape: '', mean: '', mismatch: true, detail: messages.join('\n') });
  return badges;
}
