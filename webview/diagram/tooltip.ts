import type { DiagramBadge, DiagramGraph } from '../../src/core/graph';
import { esc } from './svg';

function row(label: string, value: string | undefined): string {
  return value ? `<div><span class="k">${esc(label)}</span> ${esc(value)}</div>` : '';
}

/** The forward pass's lines in a node's hover: actual shape, then the extension's detail lines. */
function forwardRows(b: DiagramBadge | undefined): string {
  if (!b) return '';
  const lines = b.detail.split('\n').filter(Boolean);
  return `<div class="forward${b.mismatch ? ' mismatch' : ''}">${row('actual output', b.shape || undefined)}${lines.map((l) => row('', l)).join('')}</div>`;
}

/** Hover details for a node, group or neuron column: what the box abbreviates (and the forward pass's figures). */
export function tooltipHtml(graph: DiagramGraph, id: string, neurons: boolean, badge?: DiagramBadge): string | undefined {
  if (neurons && graph.neurons) {
    const c = graph.neurons.columns.find((col) => col.node === id);
    if (!c) return undefined;
    return `<div class="h">${esc(c.type)} <span class="muted">${esc(c.name)}</span></div>${row(c.type === 'Input' ? 'features' : 'units', String(c.units))}${row('activation', c.activation)}${row('line', c.line ? String(c.line) : undefined)}`;
  }
  const n = graph.nodes.find((x) => x.id === id);
  const g = n ? undefined : graph.groups.find((x) => x.id === id);
  const item = n ?? g;
  if (!item) return undefined;
  const ins = graph.edges.filter((e) => e.target === id).map((e) => e.label || '?');
  return (
    `<div class="h">${esc(item.type)} <span class="muted">${esc(item.name)}</span></div>` +
    row('hyper-parameters', item.hyper) +
    row('parameters', item.params === null ? 'unknown' : item.params ? item.paramsText : undefined) +
    row(ins.length > 1 ? 'inputs' : 'input', ins.length ? ins.join(', ') : undefined) +
    row('output', item.shape || undefined) +
    (g ? row('contains', `${g.children.length} direct children`) : '') +
    (n?.reused ? row('note', 'layer called again: parameters counted once') : '') +
    row('', n?.detail) +
    forwardRows(badge) +
    row('line', item.line ? (item.file ? `${item.file.split(/[\\/]/).pop()}:${item.line}` : String(item.line)) : undefined)
  );
}
