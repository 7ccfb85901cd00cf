/** Tiny DOM helper: elements with text children only (never innerHTML: names come from user code). */
export function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/**
 * A scrolling wrapper for a table wider than the panel (sideways) or taller than it (the header
 * row stays at its top). Marked `scrolled` while scrolled sideways (the sticky name column draws
 * its edge), `scrolled-down` while scrolled down (the sticky header draws its edge) and `more`
 * while columns are hidden to the right (the edge fades: there is more to see), see panel.css.
 */
export function scroller(table: HTMLElement): HTMLElement {
  const wrap = el('div', { class: 'table-scroll' }, table);
  const frame = el('div', { class: 'table-frame' }, wrap);
  const mark = () => {
    wrap.classList.toggle('scrolled', wrap.scrollLeft > 0);
    wrap.classList.toggle('scrolled-down', wrap.scrollTop > 0);
    frame.classList.toggle('more', wrap.scrollLeft < wrap.scrollWidth - wrap.clientWidth - 1);
  };
  wrap.addEventListener('scroll', mark, { passive: true });
  // The panel resized, or the rows changed (a live edit, a collapsed module).
  new ResizeObserver(mark).observe(wrap);
  new ResizeObserver(mark).observe(table);
  return frame;
}
