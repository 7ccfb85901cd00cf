import type { Viewport } from './state';

const MIN_K = 0.05;
/**
 * The smallest scale a diagram opens at: node text is 11–12px, so 0.85 keeps every label at
 * 9.35px or more on screen (edge labels, 10px, at 8.5px). Below it, fitting the whole model
 * would make it a picture rather than something to read.
 */
export const READABLE_K = 0.85;
const MAX_K = 4;
const KEY_PAN = 60;

/**
 * Pan and zoom by one CSS transform on the world element (the SVG's wrapper): a pan frame is a
 * compositor move, not a re-layout of thousands of SVG elements. While the user is moving, the
 * world is promoted to its own layer (`will-change`); once idle it is re-rasterised sharp.
 */
export class PanZoom {
  x = 0;
  y = 0;
  k = 1;
  private idle: number | undefined;
  contentWidth = 1;
  contentHeight = 1;

  constructor(
    private readonly stage: HTMLElement,
    private readonly world: HTMLElement,
    private readonly changed: () => void,
  ) {
    stage.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    stage.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    // Keys on the document: the webview has focus, whichever element inside it does.
    document.addEventListener('keydown', (e) => this.onKey(e));
  }

  get(): Viewport {
    return { x: this.x, y: this.y, k: this.k };
  }

  set(v: Viewport): void {
    this.k = Math.min(MAX_K, Math.max(MIN_K, v.k));
    this.x = v.x;
    this.y = v.y;
    this.apply();
  }

  private apply(): void {
    this.world.style.transform = `translate(${this.x}px, ${this.y}px) scale(${this.k})`;
    this.world.classList.add('moving');
    clearTimeout(this.idle);
    this.idle = window.setTimeout(() => this.world.classList.remove('moving'), 180);
    this.changed();
  }

  /** The scale at which the whole content is in view, never above 1:1. */
  fitScale(): number {
    const w = this.stage.clientWidth || 800;
    const h = this.stage.clientHeight || 600;
    return Math.min(1, (w - 24) / this.contentWidth, (h - 24) / this.contentHeight);
  }

  /** Whole content in view, never magnified past 1:1 (small models stay crisp and centred). */
  fit(): void {
    const w = this.stage.clientWidth || 800;
    const h = this.stage.clientHeight || 600;
    const k = this.fitScale();
    this.set({ k, x: (w - this.contentWidth * k) / 2, y: Math.max(12, (h - this.contentHeight * k) / 2) });
  }

  /**
   * The first view of a diagram: the whole of it when that stays readable (`READABLE_K`);
   * otherwise the readable scale with `start` (the model's input) at the top (or, left to right,
   * at the left), centred across the flow; the minimap shows the rest.
   */
  open(start: { x: number; y: number; width: number; height: number } | undefined, across: boolean): void {
    if (this.fitScale() >= READABLE_K || !start) return this.fit();
    const w = this.stage.clientWidth || 800;
    const h = this.stage.clientHeight || 600;
    const k = READABLE_K;
    // Across the flow: centre the whole drawing if it fits that way, else the start node, without leaving a margin before the drawing's edge.
    const centre = (view: number, size: number, at: number) => (size * k <= view - 24 ? (view - size * k) / 2 : Math.min(12, view / 2 - at * k));
    if (across) this.set({ k, x: 12 - Math.max(0, start.x - 16) * k, y: centre(h, this.contentHeight, start.y + start.height / 2) });
    else this.set({ k, x: centre(w, this.contentWidth, start.x + start.width / 2), y: 12 - Math.max(0, start.y - 16) * k });
  }

  zoomAt(factor: number, cx: number, cy: number): void {
    const k = Math.min(MAX_K, Math.max(MIN_K, this.k * factor));
    const f = k / this.k;
    this.set({ k, x: cx - (cx - this.x) * f, y: cy - (cy - this.y) * f });
  }

  panBy(dx: number, dy: number): void {
    this.set({ k: this.k, x: this.x + dx, y: this.y + dy });
  }

  /** Brings a content-space box into view, keeping the zoom unless it would not fit. */
  reveal(b: { x: number; y: number; width: number; height: number }): void {
    const w = this.stage.clientWidth;
    const h = this.stage.clientHeight;
    const left = b.x * this.k + this.x;
    const top = b.y * this.k + this.y;
    if (left >= 0 && top >= 0 && left + b.width * this.k <= w && top + b.height * this.k <= h) return;
    const k = Math.max(this.k, 0.5);
    this.set({ k, x: w / 2 - (b.x + b.width / 2) * k, y: h / 2 - (b.y + b.height / 2) * k });
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.shiftKey) return this.panBy(-e.deltaY, 0);
    const r = this.stage.getBoundingClientRect();
    const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    this.zoomAt(Math.exp(-delta * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0 || (e.target as Element).closest('.minimap, .tooltip')) return;
    let lastX = e.clientX;
    let lastY = e.clientY;
    let moved = false;
    const move = (ev: PointerEvent) => {
      if (!moved && Math.hypot(ev.clientX - e.clientX, ev.clientY - e.clientY) < 4) return;
      if (!moved) this.stage.setPointerCapture(e.pointerId);
      moved = true;
      this.stage.classList.add('dragging');
      this.panBy(ev.clientX - lastX, ev.clientY - lastY);
      lastX = ev.clientX;
      lastY = ev.clientY;
    };
    const up = () => {
      this.stage.removeEventListener('pointermove', move);
      this.stage.removeEventListener('pointerup', up);
      this.stage.removeEventListener('pointercancel', up);
      this.stage.classList.remove('dragging');
      // A drag is not a click: swallow the click that follows it.
      if (moved) this.stage.addEventListener('click', (c) => c.stopPropagation(), { capture: true, once: true });
    };
    this.stage.addEventListener('pointermove', move);
    this.stage.addEventListener('pointerup', up);
    this.stage.addEventListener('pointercancel', up);
  }

  private onKey(e: KeyboardEvent): void {
    if ((e.target as Element | null)?.closest?.('input, button')) return;
    const w = this.stage.clientWidth / 2;
    const h = this.stage.clientHeight / 2;
    const keys: Record<string, () => void> = {
      ArrowLeft: () => this.panBy(KEY_PAN, 0),
      ArrowRight: () => this.panBy(-KEY_PAN, 0),
      ArrowUp: () => this.panBy(0, KEY_PAN),
      ArrowDown: () => this.panBy(0, -KEY_PAN),
      '+': () => this.zoomAt(1.2, w, h),
      '=': () => this.zoomAt(1.2, w, h),
      '-': () => this.zoomAt(1 / 1.2, w, h),
      '0': () => this.fit(),
      f: () => this.fit(),
    };
    const act = keys[e.key];
    if (act && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      act();
    }
  }
}
