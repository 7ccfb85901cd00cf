import { plainLine } from '../escape/plain';
import type { DiagramGraph } from './types';

/** The longest hyper-parameter, detail or shape line the diagram shows (its hover wraps it). */
const MAX_DETAIL = 1000;

/** A shown string as one bounded inert line; a non-string (a malformed message) shows as nothing. */
const line = (s: unknown, max?: number): string => plainLine(typeof s === 'string' ? s : '', max);

/**
 * Every string the diagram shows from the user's code (names, types, config strings, reasons,
 * shapes) as one bounded inert line (escape/plain.ts): the webview measures and draws exactly
 * this text, and escapes it again for markup. The graph builder applies it, and the webview
 * applies it again to every graph it receives (it trusts no message: a 20,000-character name
 * sent as is would otherwise be measured whole and make its node hundreds of thousands of
 * pixels wide). Idempotent; works in place and returns the graph.
 */
export function inertGraph(g: DiagramGraph): DiagramGraph {
  g.model.name = line(g.model.name);
  g.model.paramsText = line(g.model.paramsText);
  for (const item of [...g.nodes, ...g.groups]) {
    item.type = line(item.type);
    item.name = line(item.name);
    item.paramsText = line(item.paramsText);
    item.shape = line(item.shape, MAX_DETAIL);
    if (item.hyper !== undefined) item.hyper = line(item.hyper, MAX_DETAIL);
  }
  for (const n of g.nodes) if (n.detail !== undefined) n.detail = line(n.detail, MAX_DETAIL);
  for (const e of g.edges) e.label = line(e.label, MAX_DETAIL);
  for (const c of g.neurons?.columns ?? []) {
    c.type = line(c.type);
    c.name = line(c.name);
    if (c.activation !== undefined) c.activation = line(c.activation);
  }
  return g;
}
