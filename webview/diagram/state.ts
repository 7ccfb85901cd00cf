import type { Bridge } from './api';

export interface Viewport {
  x: number;
  y: number;
  k: number;
}

export type ViewMode = 'graph' | 'neurons';

/** What survives the panel being hidden and shown again (VS Code keeps it with setState). */
export interface DiagramState {
  model: string;
  viewport: Viewport | null;
  /** Groups the user collapsed (shown expanded by default). */
  collapsed: string[];
  /** Groups the user expanded among those that open collapsed (`defaultCollapsed`: `×N` runs, deep modules of big models). */
  expanded: string[];
  view: ViewMode;
  search: string;
  /** Top to bottom (default) or left to right. */
  direction: 'DOWN' | 'RIGHT';
}

const EMPTY: DiagramState = { model: '', viewport: null, collapsed: [], expanded: [], view: 'graph', search: '', direction: 'DOWN' };
const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((c): c is string => typeof c === 'string') : []);

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Reads back what we stored, trusting nothing about its shape. */
export function loadState(bridge: Bridge): DiagramState {
  const s = bridge.getState() as Partial<Record<keyof DiagramState, unknown>> | undefined;
  if (!s || typeof s !== 'object') return { ...EMPTY };
  const v = s.viewport as Partial<Viewport> | null | undefined;
  return {
    model: typeof s.model === 'string' ? s.model : '',
    viewport: v && finite(v.x) && finite(v.y) && finite(v.k) && v.k > 0 ? { x: v.x, y: v.y, k: v.k } : null,
    collapsed: strings(s.collapsed),
    expanded: strings(s.expanded),
    view: s.view === 'neurons' ? 'neurons' : 'graph',
    search: typeof s.search === 'string' ? s.search : '',
    direction: s.direction === 'RIGHT' ? 'RIGHT' : 'DOWN',
  };
}

/** Coalesces frequent changes (every pan frame) into one setState per animation frame. */
export function stateSaver(bridge: Bridge, get: () => DiagramState): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      bridge.setState(get());
    });
  };
}
