import { SVG_NS } from './svg';

/** Presentation properties the stylesheet sets; an exported file must carry them inline. */
const PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'paint-order', 'stroke-linejoin'] as const;

/**
 * A standalone SVG of what is drawn: the theme's colours resolved (the file has no VS Code
 * variables to read), a background, and only visible elements. Reads computed styles of the
 * live elements, so it exports exactly the current theme.
 */
export function exportSvg(live: SVGSVGElement, width: number, height: number, background: string): string {
  const clone = live.cloneNode(true) as SVGSVGElement;
  const src = live.querySelectorAll<SVGElement>('*');
  const dst = clone.querySelectorAll<SVGElement>('*');
  const drop: Element[] = [];
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const out = dst[i];
    if (cs.display === 'none' || cs.visibility === 'hidden') {
      drop.push(out);
      return;
    }
    out.removeAttribute('class');
    // Presentation attributes, not a `style` attribute: the panel's CSP (no 'unsafe-inline'
    // styles) reports every style attribute set from script, and the file reads the same.
    for (const p of PROPS) {
      const v = cs.getPropertyValue(p);
      if (v && v !== 'normal') out.setAttribute(p, v);
    }
  });
  for (const el of drop) el.remove();
  clone.removeAttribute('class');
  clone.removeAttribute('style');
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(Math.ceil(width)));
  clone.setAttribute('height', String(Math.ceil(height)));
  clone.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', background);
  clone.insertBefore(bg, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** Largest side of an exported PNG: canvases beyond ~16k px fail in Chromium. */
const MAX_PNG_SIDE = 8192;

/** Rasterises the exported SVG (2× for sharpness when it fits); resolves to base64 PNG bytes. */
export function svgToPng(svg: string, width: number, height: number): Promise<string> {
  const scale = Math.min(2, MAX_PNG_SIDE / Math.max(width, height));
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no 2d canvas'));
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      resolve(canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, ''));
    };
    img.onerror = () => reject(new Error('the SVG could not be rasterised'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
}
