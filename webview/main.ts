// The summary panel's front-end (bundled by scripts/build.mjs to dist/webview/main.js, loaded
// only inside the webview). It renders strings the extension computed (src/extension/panelModel.ts)
// with @vscode-elements/elements, which follow the editor theme through its CSS variables.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import type { PanelModel, ToWebview } from '../src/extension/panelModel';
import { el } from './dom';
import { renderForward } from './forward';
import { renderRows } from './rows';
import { loadState, vscodeApi } from './vscodeApi';

const state = loadState();
const collapsed = new Set<number>(state.collapsed);
const app = document.getElementById('app')!;

function saveState(model?: string): void {
  vscodeApi.setState({ scrollY: window.scrollY, collapsed: [...collapsed], model: model ?? state.model });
}

let body: HTMLElement | undefined;
let header: HTMLElement | undefined;
let footer: HTMLElement | undefined;
let table: HTMLElement | undefined;
let tableHead: HTMLElement | undefined;
let runButton: HTMLElement | undefined;
let scroller: HTMLElement | undefined;
let current: PanelModel | undefined;
/** Whether the header currently has the forward-pass columns. */
let forwardColumns: boolean | undefined;

const STATIC_COLUMNS = ['Layer', 'Type', 'Output Shape', 'Param #', 'Trainable', 'Mult-Adds', 'Share of params'];
const STATIC_WIDTHS = ['18%', '13%', '15%', '13%', '9%', '14%', '18%'];
const FORWARD_COLUMNS = ['Actual Shape', 'Mean ± Std', 'Time', 'Activations'];
const ALL_WIDTHS = ['9%', '8%', '9%', '8%', '6%', '9%', '9%', '10%', '13%', '8%', '11%'];

/** The header cells (and column widths) for the table with or without the forward-pass columns. */
function columns(withForward: boolean): void {
  if (forwardColumns === withForward) return;
  forwardColumns = withForward;
  tableHead!.replaceChildren(...[...STATIC_COLUMNS, ...(withForward ? FORWARD_COLUMNS : [])].map((h) => el('vscode-table-header-cell', {}, h)));
  (table as HTMLElement & { columns: string[] }).columns = withForward ? ALL_WIDTHS : STATIC_WIDTHS;
  // Eleven columns need room: the table keeps a minimum width and its wrapper scrolls sideways.
  table!.classList.toggle('with-forward', withForward);
  // Bring the new columns into view in a narrow panel (the Layer column is one scroll away).
  if (withForward) requestAnimationFrame(() => scroller?.scrollTo({ left: scroller.scrollWidth }));
}

/** Built once, so later updates replace only the rows and the page keeps its scroll position. */
function skeleton(): void {
  header = el('header');
  const copyText = el('vscode-button', { id: 'copy-seed', secondary: '' }, 'Copy as text table');
  const copyMd = el('vscode-button', { id: 'copy-markdown', secondary: '' }, 'Copy as markdown');
  copyText.addEventListener('click', () => vscodeApi.postMessage({ type: 'copy', format: 'seed' }));
  copyMd.addEventListener('click', () => vscodeApi.postMessage({ type: 'copy', format: 'markdown' }));
  runButton = el('vscode-button', { id: 'run-forward', title: 'Build the model in TensorFlow.js and run one seeded sample forward pass' }, 'Run forward pass');
  runButton.addEventListener('click', () => vscodeApi.postMessage({ type: 'runForwardPass' }));
  const diagramButton = el('vscode-button', { id: 'show-diagram', secondary: '', title: 'Open the model as an interactive architecture graph' }, 'Diagram');
  diagramButton.addEventListener('click', () => vscodeApi.postMessage({ type: 'showDiagram' }));
  table = el('vscode-table', { zebra: '', 'bordered-rows': '', resizable: '', id: 'layers' });
  tableHead = el('vscode-table-header', { slot: 'header' });
  body = el('vscode-table-body', { slot: 'body' });
  table.append(tableHead, body);
  columns(false);
  footer = el('section', { class: 'footer' });
  app.replaceChildren(header, el('div', { class: 'toolbar' }, runButton, diagramButton, copyText, copyMd), (scroller = el('div', { class: 'table-scroll' }, table)), footer);
}

function render(m: PanelModel): void {
  if (!body) skeleton();
  const y = window.scrollY;
  current = m;
  if (state.model !== `${m.file}#${m.title}`) {
    // Another model: start from the top, nothing collapsed.
    if (state.model !== undefined) collapsed.clear();
    state.model = `${m.file}#${m.title}`;
  }
  header!.replaceChildren(
    el('h1', {}, m.title),
    el('p', { class: 'muted' }, `${m.framework} · ${m.file} · input ${m.inputShape} (${m.inputShapeSource})`),
  );
  const ran = m.forward?.state === 'done' && m.rows.some((r) => r.forward);
  columns(ran);
  if (m.forward?.state === 'running') runButton!.setAttribute('disabled', '');
  else runButton!.removeAttribute('disabled');
  renderRows(body!, m.rows, collapsed, ran, {
    reveal: (line) => vscodeApi.postMessage({ type: 'reveal', line }),
    toggle: (id) => {
      if (collapsed.has(id)) collapsed.delete(id);
      else collapsed.add(id);
      if (current) render(current);
    },
  });
  const totals = el('dl', { class: 'totals' });
  for (const t of m.totals) totals.append(el('dt', {}, t.label), el('dd', {}, t.value));
  const diags = el('section', { class: 'diagnostics' }, el('h2', {}, 'Diagnostics ', el('vscode-badge', { variant: 'counter' }, String(m.diagnostics.length))));
  if (m.diagnostics.length === 0) diags.append(el('p', { class: 'muted' }, 'No problems found.'));
  else {
    const list = el('ul');
    for (const d of m.diagnostics) {
      const item = el('li', { class: `diag ${d.severity}` }, el('span', { class: 'sev' }, d.severity), ` line ${d.line}: ${d.message}`);
      item.addEventListener('click', () => vscodeApi.postMessage({ type: 'reveal', line: d.line }));
      list.append(item);
    }
    diags.append(list);
  }
  const forward = renderForward(m.forward, (line) => vscodeApi.postMessage({ type: 'reveal', line }));
  footer!.replaceChildren(forward, el('h2', {}, 'Totals'), totals, diags);
  // Same scroll position after the update (live edits), or the saved one after a reload.
  window.scrollTo(0, y || state.scrollY);
  state.scrollY = 0;
  saveState(state.model);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  if (msg?.type === 'summary') render(msg.model);
  else if (msg?.type === 'missing') {
    if (!body) app.replaceChildren(el('p', { class: 'muted' }, msg.message));
    else header?.append(el('p', { class: 'warning' }, msg.message));
  }
});

let scrollTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => saveState(), 150);
});

vscodeApi.postMessage({ type: 'ready' });
