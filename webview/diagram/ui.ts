/** The static chrome: a toolbar over a stage holding the zoomable world and the overlays. */
export interface Ui {
  title: HTMLElement;
  stage: HTMLElement;
  world: HTMLElement;
  svg: SVGSVGElement;
  tooltip: HTMLElement;
  search: HTMLInputElement;
  searchCount: HTMLElement;
  status: HTMLElement;
  buttons: Record<'fit' | 'zoomIn' | 'zoomOut' | 'graph' | 'neurons' | 'direction' | 'expand' | 'collapse' | 'forward' | 'svg' | 'png', HTMLButtonElement>;
}

function button(id: string, text: string, title: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.id = `ml-${id}`;
  b.textContent = text;
  b.title = title;
  b.setAttribute('aria-label', title);
  return b;
}

export function buildUi(root: HTMLElement): Ui {
  root.textContent = '';
  const bar = document.createElement('div');
  bar.className = 'toolbar';
  bar.setAttribute('role', 'toolbar');
  const title = document.createElement('span');
  title.className = 'title';
  const buttons = {
    graph: button('view-graph', 'Layers', 'Layer graph'),
    neurons: button('view-neurons', 'Neurons', 'Neuron view (small fully-connected networks)'),
    direction: button('direction', 'Left to right', 'Lay the graph out left to right'),
    fit: button('fit', 'Fit', 'Fit to view (F or 0)'),
    zoomOut: button('zoom-out', '−', 'Zoom out (-)'),
    zoomIn: button('zoom-in', '+', 'Zoom in (+)'),
    expand: button('expand-all', 'Expand all', 'Expand every module'),
    collapse: button('collapse-all', 'Collapse all', 'Collapse every module'),
    forward: button('run-forward', 'Run forward pass', 'Run a sample forward pass: its shapes and means appear on the nodes'),
    svg: button('export-svg', 'SVG', 'Export as SVG'),
    png: button('export-png', 'PNG', 'Export as PNG'),
  };
  const views = document.createElement('span');
  views.className = 'segmented';
  views.append(buttons.graph, buttons.neurons);
  const search = document.createElement('input');
  search.type = 'search';
  search.id = 'ml-search';
  search.placeholder = 'Search name or type';
  search.setAttribute('aria-label', 'Search layers by name or type');
  const searchCount = document.createElement('span');
  searchCount.className = 'search-count';
  const status = document.createElement('span');
  status.className = 'status';
  status.setAttribute('aria-live', 'polite');
  const spacer = document.createElement('span');
  spacer.className = 'spacer';
  bar.append(title, views, buttons.direction, buttons.fit, buttons.zoomOut, buttons.zoomIn, buttons.expand, buttons.collapse, search, searchCount, spacer, status, buttons.forward, buttons.svg, buttons.png);

  const stage = document.createElement('div');
  stage.className = 'stage';
  stage.tabIndex = 0;
  stage.setAttribute('aria-label', 'Model diagram: arrows pan, + and - zoom, F fits');
  const world = document.createElement('div');
  world.className = 'world';
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'diagram');
  world.appendChild(svg);
  const tooltip = document.createElement('div');
  tooltip.className = 'tooltip';
  tooltip.hidden = true;
  stage.append(world, tooltip);
  root.append(bar, stage);
  return { title, stage, world, svg, tooltip, search, searchCount, status, buttons };
}
