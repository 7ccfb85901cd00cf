import type { Box } from './layout';
import type { PanZoom } from './viewport';

const WIDTH = 180;
const HEIGHT = 130;
/** Below this many nodes the whole graph fits comfortably: no minimap. */
export const MINIMAP_MIN_NODES = 40;

/**
 * An overview of a large graph with the visible region outlined; click or drag in it to move
 * there. The nodes are drawn once per layout into an offscreen canvas; a viewport change only
 * blits that and strokes one rectangle.
 */
export class Minimap {
  private readonly canvas: HTMLCanvasElement;
  private readonly base = document.createElement('canvas');
  private scale = 1;
  private ox = 0;
  private oy = 0;
  private stroke = '#888';

  constructor(
    host: HTMLElement,
    private readonly stage: HTMLElement,
    private readonly pz: PanZoom,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'minimap';
    this.canvas.width = this.base.width = WIDTH;
    this.canvas.height = this.base.height = HEIGHT;
    this.canvas.hidden = true;
    this.canvas.setAttribute('aria-label', 'Minimap');
    host.appendChild(this.canvas);
    this.canvas.addEventListener('pointerdown', (e) => {
      e.stopPropagation();
      this.canvas.setPointerCapture(e.pointerId);
      this.jump(e);
      const move = (ev: PointerEvent) => this.jump(ev);
      this.canvas.addEventListener('pointermove', move);
      this.canvas.addEventListener('pointerup', () => this.canvas.removeEventListener('pointermove', move), { once: true });
    });
  }

  private jump(e: PointerEvent): void {
    const r = this.canvas.getBoundingClientRect();
    const cx = (e.clientX - r.left - this.ox) / this.scale;
    const cy = (e.clientY - r.top - this.oy) / this.scale;
    this.pz.set({ k: this.pz.k, x: this.stage.clientWidth / 2 - cx * this.pz.k, y: this.stage.clientHeight / 2 - cy * this.pz.k });
  }

  /**
   * Redraws the node overview; `colour(id)` gives each box its family colour. `needed`: the
   * drawing does not fit the stage at a readable scale, so the minimap shows however few nodes.
   */
  draw(boxes: { id: string; box: Box }[], width: number, height: number, colour: (id: string) => string, needed = false): void {
    this.canvas.hidden = boxes.length === 0 || (boxes.length < MINIMAP_MIN_NODES && !needed);
    if (this.canvas.hidden) return;
    this.scale = Math.min((WIDTH - 8) / width, (HEIGHT - 8) / height);
    this.ox = (WIDTH - width * this.scale) / 2;
    this.oy = (HEIGHT - height * this.scale) / 2;
    this.stroke = getComputedStyle(this.canvas).color || '#888';
    const ctx = this.base.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, WIDTH, HEIGHT);
    for (const { id, box } of boxes) {
      ctx.fillStyle = colour(id);
      ctx.fillRect(this.ox + box.x * this.scale, this.oy + box.y * this.scale, Math.max(1, box.width * this.scale), Math.max(1, box.height * this.scale));
    }
    this.update();
  }

  update(): void {
    if (this.canvas.hidden) return;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, WIDTH, HEIGHT);
    ctx.drawImage(this.base, 0, 0);
    const { x, y, k } = this.pz;
    ctx.strokeStyle = this.stroke;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(this.ox + (-x / k) * this.scale, this.oy + (-y / k) * this.scale, (this.stage.clientWidth / k) * this.scale, (this.stage.clientHeight / k) * this.scale);
  }
}
