import { xmlText } from '../../src/core/escape/xml';

/**
 * Escapes text for SVG/HTML markup (the graph's names come from the user's source): entities,
 * and no control characters (XML forbids them: the SVG export would not load). The graph's
 * strings are already one bounded line (core/graph/build.ts); the bound here only backs that up.
 */
export function esc(s: string): string {
  return xmlText(s, 2000);
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Family names become class names: keep them to safe characters. */
export function famClass(family: string): string {
  return `fam-${family.replace(/[^a-z0-9-]/gi, '')}`;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

export function pathData(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i ? 'L' : 'M'}${r1(p.x)},${r1(p.y)}`).join('');
}

export const ARROW_DEFS = `<defs><marker id="ml-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0L10,5L0,10z"/></marker></defs>`;
