import { defaultCollapsed, visibleGraph, type DiagramBadge, type DiagramGraph, type ToDiagram, type VisibleGraph } from '../../src/core/graph';
import { acquireBridge } from './api';
import { nodeBadges, type NodeBadges } from './badges';
import { LayoutEngine } from './engine';
import { exportSvg, svgToPng } from './export';
import { LARGE_GRAPH, elkGraph, readLayout, type Box, type Positioned } from './layout';
import { TextMeter } from './measure';
import { Minimap } from './minimap';
import { neuronMarkup } from './neurons';
import { parseToDiagram } from './protocol';
import { quickLayout } from './quickLayout';
import { graphMarkup } from './render';
import { loadState, stateSaver, type DiagramState } from './state';
import { tooltipHtml } from './tooltip';
import { buildUi } from './ui';
import { PanZoom, READABLE_K } from './viewport';

/** Figures of the last render, for the tests and the benchmark (read through `window.modelLensDiagram`). */
export interface RenderStats {
  renders: number;
  view: 'graph' | 'neurons';
  nodes: number;
  edges: number;
  /** Big graphs: message → quick layout on screen (0 when ELK's layout was the first picture). */
  firstPaintMs: number;
  layoutMs: number;
  totalMs: number;
  engine: string;
  error?: string;
}

declare global {
  interface Window {
    modelLensDiagram?: {
      stats: RenderStats;
      waitForRender(count: number): Promise<RenderStats>;
    };
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const bridge = acquireBridge();
const engine = new LayoutEngine(script?.dataset.layoutScript ?? 'diagram-layout-worker.js', script?.dataset.layout === 'inline' ? 'inline' : 'worker', script?.nonce ?? '');
const ui = buildUi(document.getElementById('app') ?? document.body);
const meter = new TextMeter();
let state: DiagramState = loadState(bridge);
const save = stateSaver(bridge, () => ({ ...state, viewport: pz.get() }));
const pz = new PanZoom(ui.stage, ui.world, () => {
  minimap.update();
  save();
});
const minimap = new Minimap(ui.stage, ui.stage, pz);

let graph: DiagramGraph | undefined;
let shown: VisibleGraph | undefined;
let positioned: Positioned | undefined;
let highlightLine: number | null = null;
/** The last forward pass's badges by node id (from the extension; empty when none or after an edit). */
let badges = new Map<string, DiagramBadge>();
let badgeCounts = { count: 0, mismatches: 0 };
/** Groups this graph opens collapsed (folded `×N` runs, deep modules of a big model); the user's toggles are in `state`. */
let defaults = new Set<string>();
let generation = 0;
let fitPending = state.viewport === null;
const stats: RenderStats = { renders: 0, view: 'graph', nodes: 0, edges: 0, firstPaintMs: 0, layoutMs: 0, totalMs: 0, engine: '' };
const waiters: { count: number; resolve: (s: RenderStats) => void }[] = [];
window.modelLensDiagram = {
  stats,
  waitForRender: (count) => (stats.renders >= count ? Promise.resolve(stats) : new Promise((resolve) => waiters.push({ count, resolve }))),
};

const nextPaint = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

function setStatus(text: string): void {
  ui.status.textContent = text;
}

/** A layout that threw still ends the render: the status says why, and waiters are released. */
function renderFailed(e: unknown): void {
  stats.error = String((e as Error)?.message ?? e);
  setStatus(`Layout failed: ${stats.error}`);
  stats.renders++;
  for (const w of waiters.splice(0)) (stats.renders >= w.count ? w.resolve(stats) : waiters.push(w));
}

type Anchor = { id: string; screenX: number; screenY: number };

/** What the user sees collapsed: their own collapses, plus the defaults they have not expanded. */
function collapsedSet(): Set<string> {
  const set = new Set(state.collapsed);
  for (const id of defaults) if (!state.expanded.includes(id)) set.add(id);
  return set;
}

/** Puts a laid-out graph on screen (markup with its badges, size, minimap); returns its size. */
function drawGraph(v: VisibleGraph, pos: Positioned, b: NodeBadges): { width: number; height: number } {
  ui.svg.innerHTML = graphMarkup(v, pos, meter, b.byNode);
  shown = v;
  positioned = pos;
  stats.nodes = v.nodes.length;
  stats.edges = v.edges.length;
  setSize(pos.width, pos.height);
  for (const id of b.mismatched) elementFor(id)?.classList.add('forward-mismatch');
  badgeCounts = { count: b.count, mismatches: b.mismatches };
  const fam = familyColours();
  const famOf = new Map(v.nodes.map((n) => [n.id, n.family]));
  minimap.draw(v.nodes.flatMap((n) => (pos.boxes.get(n.id) ? [{ id: n.id, box: pos.boxes.get(n.id)! }] : [])), pos.width, pos.height, (id) => fam(famOf.get(id) ?? ''), pz.fitScale() < READABLE_K);
  return pos;
}

/** Where a first view starts when the whole model is too big to read at once: its (first) input. */
function startBox(): Box | undefined {
  if (!shown || !positioned) return undefined;
  const first = shown.nodes.find((n) => n.kind === 'input') ?? shown.nodes[0];
  return first ? positioned.boxes.get(first.id) : undefined;
}

/** Tells the extension what is on screen (it records it; its tests read it). */
function report(): void {
  const count = (sel: string) => ui.svg.querySelectorAll(sel).length;
  const highlighted = Array.from(ui.svg.querySelectorAll<SVGGElement>('.highlight')).flatMap((el) => (el.dataset.id ? [el.dataset.id] : [])).slice(0, 1000);
  bridge.postMessage({ type: 'rendered', view: stats.view, nodes: count('.node, .neuron-column'), edges: count('.edge'), badges: badgeCounts.count, mismatches: badgeCounts.mismatches, highlighted });
}

function setSize(width: number, height: number): void {
  ui.svg.setAttribute('width', String(Math.ceil(width)));
  ui.svg.setAttribute('height', String(Math.ceil(height)));
  ui.svg.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  pz.contentWidth = width;
  pz.contentHeight = height;
}

/** First show of a model: fit. A toggled group: keep it under the pointer. Otherwise: leave the view alone. */
function placeView(anchor: Anchor | undefined): void {
  if (fitPending) {
    fitPending = false;
    pz.open(startBox(), state.direction === 'RIGHT');
  } else if (anchor && positioned?.boxes.get(anchor.id)) {
    const b = positioned.boxes.get(anchor.id)!;
    pz.set({ k: pz.k, x: anchor.screenX - b.x * pz.k, y: anchor.screenY - b.y * pz.k });
  }
  applySearch(false);
  applyHighlight(false);
}

/** Lays out and draws the current graph in the current view; stale results are dropped. */
async function render(anchor?: Anchor): Promise<void> {
  if (!graph) return;
  const gen = ++generation;
  const t0 = performance.now();
  performance.mark('ml-render-start');
  const neurons = state.view === 'neurons' && graph.neurons ? graph.neurons : null;
  ui.buttons.neurons.disabled = !graph.neurons;
  ui.buttons.graph.setAttribute('aria-pressed', String(!neurons));
  ui.buttons.neurons.setAttribute('aria-pressed', String(!!neurons));
  ui.buttons.expand.disabled = ui.buttons.collapse.disabled = !!neurons || graph.groups.length === 0;
  ui.buttons.direction.disabled = !!neurons;
  ui.buttons.direction.textContent = state.direction === 'RIGHT' ? 'Top to bottom' : 'Left to right';
  ui.buttons.direction.title = state.direction === 'RIGHT' ? 'Lay the graph out top to bottom' : 'Lay the graph out left to right';
  ui.stage.classList.toggle('neuron-view', !!neurons);
  let layoutMs = 0;
  stats.firstPaintMs = 0;
  if (neurons) {
    const n = neuronMarkup(neurons);
    ui.svg.innerHTML = n.markup;
    shown = undefined;
    positioned = undefined;
    badgeCounts = { count: 0, mismatches: 0 };
    stats.nodes = neurons.columns.length;
    stats.edges = 0;
    minimap.draw([], 1, 1, () => '');
    setSize(n.width, n.height);
    placeView(undefined);
  } else {
    const v = visibleGraph(graph, collapsedSet());
    // Badges are drawn inside their nodes, so they are part of the layout.
    const b = nodeBadges(v, badges, visibleFor);
    performance.mark('ml-layout-start');
    // ELK starts first: in the worker it runs while the page does everything below.
    const pending = engine.layout(elkGraph(v, meter, state.direction, b.byNode));
    if (v.nodes.length > LARGE_GRAPH) {
      // A big graph: a quick layout on screen now, ELK's when it is ready.
      setStatus(`${v.nodes.length} nodes: refining the layout…`);
      const wasFitting = fitPending;
      drawGraph(v, quickLayout(v, meter, state.direction, b.byNode), b);
      placeView(anchor);
      const placed = JSON.stringify(pz.get());
      await nextPaint();
      if (gen !== generation) return;
      performance.mark('ml-quick-paint');
      stats.firstPaintMs = performance.now() - t0;
      const out = await pending;
      if (gen !== generation) return;
      performance.mark('ml-layout-end');
      layoutMs = performance.now() - t0;
      drawGraph(v, readLayout(out), b);
      // The final layout gets its own fit unless the user moved the view meanwhile.
      if (wasFitting && JSON.stringify(pz.get()) === placed) fitPending = true;
      placeView(undefined);
    } else {
      const out = await pending;
      if (gen !== generation) return;
      performance.mark('ml-layout-end');
      layoutMs = performance.now() - t0;
      drawGraph(v, readLayout(out), b);
      placeView(anchor);
    }
  }
  await nextPaint();
  if (gen !== generation) return;
  performance.mark('ml-paint');
  stats.renders++;
  stats.error = undefined;
  stats.view = neurons ? 'neurons' : 'graph';
  stats.layoutMs = layoutMs;
  stats.totalMs = performance.now() - t0;
  stats.engine = neurons ? 'none' : (engine.lastMode ?? '');
  setStatus(neurons ? '' : `${stats.nodes} nodes · ${stats.edges} edges`);
  report();
  for (const w of waiters.splice(0)) (stats.renders >= w.count ? w.resolve(stats) : waiters.push(w));
}

function familyColours(): (family: string) => string {
  const cs = getComputedStyle(ui.stage);
  const cache = new Map<string, string>();
  return (family) => {
    if (!cache.has(family)) cache.set(family, cs.getPropertyValue(`--ml-${family}`).trim() || cs.getPropertyValue('--ml-module').trim() || '#888');
    return cache.get(family)!;
  };
}

/** The visible element standing for a graph node or group: itself, or its outermost collapsed ancestor. */
function visibleFor(id: string): string | undefined {
  if (!graph) return undefined;
  const parentOf = new Map<string, string | undefined>();
  for (const n of graph.nodes) parentOf.set(n.id, n.parent);
  for (const g of graph.groups) parentOf.set(g.id, g.parent);
  let rep = id;
  const collapsed = collapsedSet();
  for (let p = parentOf.get(id); p !== undefined; p = parentOf.get(p)) if (collapsed.has(p)) rep = p;
  return rep;
}

function elementFor(id: string): SVGGElement | null {
  return ui.svg.querySelector<SVGGElement>(`[data-id="${CSS.escape(id)}"]`);
}

let matches: string[] = [];
let matchIndex = -1;

function applySearch(step: boolean): void {
  const q = state.search.trim().toLowerCase();
  ui.svg.querySelectorAll('.match').forEach((el) => el.classList.remove('match'));
  ui.svg.classList.toggle('searching', q.length > 0);
  if (!q || !graph) {
    matches = [];
    ui.searchCount.textContent = '';
    return;
  }
  const hits = new Set<string>();
  if (state.view === 'neurons' && graph.neurons) {
    for (const c of graph.neurons.columns) if (c.name.toLowerCase().includes(q) || c.type.toLowerCase().includes(q)) hits.add(c.node);
  } else {
    for (const n of [...graph.nodes, ...graph.groups]) {
      if (n.name.toLowerCase().includes(q) || n.type.toLowerCase().includes(q)) {
        const rep = visibleFor(n.id);
        if (rep) hits.add(rep);
      }
    }
  }
  matches = [...hits].filter((id) => elementFor(id));
  for (const id of matches) elementFor(id)?.classList.add('match');
  if (step && matches.length) {
    matchIndex = (matchIndex + 1) % matches.length;
    const b = positioned?.boxes.get(matches[matchIndex]);
    if (b) pz.reveal(b);
  }
  ui.searchCount.textContent = matches.length ? `${matchIndex >= 0 && step ? matchIndex + 1 : matches.length}${step ? ` of ${matches.length}` : ` match${matches.length === 1 ? '' : 'es'}`}` : 'no matches';
}

function applyHighlight(reveal: boolean): void {
  ui.svg.querySelectorAll('.highlight').forEach((el) => el.classList.remove('highlight'));
  if (highlightLine === null || !graph) return;
  const ids = new Set<string>();
  if (state.view === 'neurons' && graph.neurons) {
    for (const c of graph.neurons.columns) if (c.line === highlightLine) ids.add(c.node);
  } else {
    // The cursor is in the model's own file: layers built in imported files are on other lines.
    for (const n of graph.nodes) if (n.line === highlightLine && n.kind !== 'output' && n.file === undefined) ids.add(visibleFor(n.id) ?? n.id);
    for (const g of graph.groups) if (g.line === highlightLine && g.file === undefined) ids.add(visibleFor(g.id) ?? g.id);
  }
  let first: string | undefined;
  for (const id of ids) {
    const el = elementFor(id);
    if (!el) continue;
    el.classList.add('highlight');
    first ??= id;
  }
  if (reveal && first) {
    const b = positioned?.boxes.get(first);
    if (b) pz.reveal(b);
  }
}

function toggleGroup(id: string): void {
  const el = elementFor(id);
  const r = ui.stage.getBoundingClientRect();
  const box = el?.getBoundingClientRect();
  const mine = new Set(state.collapsed);
  const opened = new Set(state.expanded);
  if (collapsedSet().has(id)) {
    mine.delete(id);
    if (defaults.has(id)) opened.add(id);
  } else if (defaults.has(id)) {
    opened.delete(id);
  } else {
    mine.add(id);
  }
  state = { ...state, collapsed: [...mine], expanded: [...opened] };
  save();
  void render(box ? { id, screenX: box.left - r.left, screenY: box.top - r.top } : undefined).catch(renderFailed);
}

function receive(msg: ToDiagram): void {
  if (msg.type === 'visible') {
    // The tab is back (the page was kept): say when a frame with the graph is on screen (the benchmark times it).
    void nextPaint().then(() => bridge.postMessage({ type: 'painted', nodes: ui.svg.querySelectorAll('.node, .neuron-column').length }));
    return;
  }
  if (msg.type === 'highlight') {
    highlightLine = msg.line;
    applyHighlight(true);
    if (graph) report();
    return;
  }
  if (msg.type === 'forward') {
    badges = new Map((msg.badges ?? []).map((b) => [b.node, b]));
    // The badges sit inside the nodes: a new layout makes room for them (or gives it back).
    if (graph && state.view === 'graph') void render().catch(renderFailed);
    else if (graph) report();
    return;
  }
  const first = !graph;
  const sameModel = state.model === msg.graph.model.name;
  graph = msg.graph;
  ui.title.textContent = `${graph.model.name} · ${graph.model.paramsText} params`;
  if (!sameModel) {
    // Another model: its own defaults, but not the stored state of a different one.
    state = { ...state, model: graph.model.name, collapsed: [], expanded: [], view: 'graph' };
    fitPending = true;
  } else if (first && state.viewport) {
    pz.set(state.viewport);
  }
  const groups = new Set(graph.groups.map((g) => g.id));
  state.collapsed = state.collapsed.filter((c) => groups.has(c));
  state.expanded = state.expanded.filter((c) => groups.has(c));
  defaults = new Set(defaultCollapsed(graph));
  if (state.view === 'neurons' && !graph.neurons) state.view = 'graph';
  save();
  void render().catch(renderFailed);
}

// ── events ────────────────────────────────────────────────────────────────────────────────

window.addEventListener('message', (ev: MessageEvent) => {
  const msg = parseToDiagram(ev.data);
  if (msg) {
    performance.mark('ml-message');
    receive(msg);
  }
});

ui.svg.addEventListener('click', (ev) => {
  const target = ev.target as Element;
  const toggle = target.closest('[data-toggle]');
  if (toggle) return toggleGroup(toggle.getAttribute('data-toggle')!);
  const node = target.closest<SVGGElement>('.node, .neuron-column, .group');
  if (!node) return;
  ui.svg.querySelectorAll('.selected').forEach((el) => el.classList.remove('selected'));
  node.classList.add('selected');
  const line = Number(node.dataset.line);
  // Only a node from an imported file needs its id (the extension reveals it in that file).
  const id = node.dataset.id;
  const elsewhere = !!id && [...(graph?.nodes ?? []), ...(graph?.groups ?? [])].some((n) => n.id === id && n.file !== undefined);
  if (Number.isInteger(line) && line >= 1) bridge.postMessage(elsewhere ? { type: 'reveal', line, id } : { type: 'reveal', line });
});

ui.svg.addEventListener('dblclick', (ev) => {
  const node = (ev.target as Element).closest<SVGGElement>('.node.kind-group');
  if (node?.dataset.id) toggleGroup(node.dataset.id);
});

ui.svg.addEventListener('pointerover', (ev) => {
  const el = (ev.target as Element).closest<SVGGElement>('[data-id]');
  if (!el || !graph) return;
  const html = tooltipHtml(graph, el.dataset.id!, state.view === 'neurons', badges.get(el.dataset.id!));
  if (!html) return;
  ui.tooltip.innerHTML = html;
  ui.tooltip.hidden = false;
});
ui.svg.addEventListener('pointermove', (ev) => {
  if (ui.tooltip.hidden) return;
  const r = ui.stage.getBoundingClientRect();
  const x = ev.clientX - r.left + 14;
  const y = ev.clientY - r.top + 14;
  ui.tooltip.style.left = `${Math.min(x, r.width - ui.tooltip.offsetWidth - 4)}px`;
  ui.tooltip.style.top = `${Math.min(y, r.height - ui.tooltip.offsetHeight - 4)}px`;
});
ui.svg.addEventListener('pointerout', (ev) => {
  if (!(ev.relatedTarget as Element | null)?.closest?.('[data-id]')) ui.tooltip.hidden = true;
});

ui.buttons.fit.onclick = () => pz.fit();
ui.buttons.zoomIn.onclick = () => pz.zoomAt(1.25, ui.stage.clientWidth / 2, ui.stage.clientHeight / 2);
ui.buttons.zoomOut.onclick = () => pz.zoomAt(0.8, ui.stage.clientWidth / 2, ui.stage.clientHeight / 2);
const setView = (view: DiagramState['view']) => {
  if (state.view === view) return;
  state = { ...state, view };
  fitPending = true;
  save();
  void render().catch(renderFailed);
};
ui.buttons.graph.onclick = () => setView('graph');
ui.buttons.neurons.onclick = () => setView('neurons');
ui.buttons.direction.onclick = () => {
  state = { ...state, direction: state.direction === 'RIGHT' ? 'DOWN' : 'RIGHT' };
  fitPending = true;
  save();
  void render().catch(renderFailed);
};
ui.buttons.expand.onclick = () => {
  state = { ...state, collapsed: [], expanded: [...defaults] };
  save();
  void render().catch(renderFailed);
};
ui.buttons.collapse.onclick = () => {
  // Collapsing the top-level groups hides everything nested too.
  state = { ...state, collapsed: (graph?.groups ?? []).filter((g) => !g.parent).map((g) => g.id), expanded: [] };
  save();
  void render().catch(renderFailed);
};
ui.search.value = state.search;
ui.search.addEventListener('input', () => {
  state = { ...state, search: ui.search.value };
  matchIndex = -1;
  save();
  applySearch(false);
});
ui.search.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') applySearch(true);
  if (ev.key === 'Escape') {
    ui.search.value = '';
    state = { ...state, search: '' };
    applySearch(false);
    ui.search.blur();
  }
});
document.addEventListener('keydown', (ev) => {
  if (ev.key === '/' && document.activeElement !== ui.search) {
    ev.preventDefault();
    ui.search.focus();
  }
});

async function doExport(format: 'svg' | 'png'): Promise<void> {
  // Whole pixels, as the live SVG's own size is (a fractional width rounds differently in the PNG).
  const width = Math.ceil(pz.contentWidth);
  const height = Math.ceil(pz.contentHeight);
  const bg = getComputedStyle(document.body).backgroundColor || '#ffffff';
  const svg = exportSvg(ui.svg, width, height, bg);
  const data = format === 'svg' ? svg : await svgToPng(svg, width, height);
  bridge.postMessage({ type: 'export', format, data });
}
ui.buttons.forward.onclick = () => bridge.postMessage({ type: 'runForward' });
ui.buttons.svg.onclick = () => void doExport('svg').catch((e: unknown) => setStatus(`Export failed: ${(e as Error)?.message ?? e}`));
ui.buttons.png.onclick = () => void doExport('png').catch((e: unknown) => setStatus(`Export failed: ${(e as Error)?.message ?? e}`));

new ResizeObserver(() => minimap.update()).observe(ui.stage);
bridge.postMessage({ type: 'ready' });
