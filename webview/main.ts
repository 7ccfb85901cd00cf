// The summary panel's front-end (bundled by scripts/build.mjs to dist/webview/main.js, loaded
// only inside the webview). It renders strings the extension computed (src/extension/panelModel.ts)
// as plain tables (sized to their content, media/panel.css) and @vscode-elements/elements buttons
// and badges, all following the editor theme through its CSS variables.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { PanelModel, ToWebview } from '../src/extension/panelModel';
import { el, scroller } from './dom';
import { renderForward } from './forward';
import { headerRow, layerColumns, renderRows, trainableInformative } from './rows';
import { breakableName } from './text';
import { loadState, vscodeApi } from './vscodeApi';

const state = loadState();
const collapsed = new Set<number>(state.collapsed);
const app = document.getElementById('app')!;

function saveState(model?: string): void {
  vscodeApi.setState({ scrollY: window.scrollY, collapsed: [...collapsed], model: model ?? state.model });
}

let body: HTMLElement | undefined;
let head: HTMLElement | undefined;
/** Whether the header has the Trainable column (only when it says something). */
let withTrainable: boolean | undefined;
let header: HTMLElement | undefined;
let footer: HTMLElement | undefined;
let runButton: HTMLElement | undefined;
let current: PanelModel | undefined;
/** The forward state last shown, to bring a fresh result into view once. */
let lastForwardState: string | undefined;

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
  body = el('tbody');
  head = el('thead');
  const table = el('table', { class: 'grid', id: 'layers' }, head, body);
  footer = el('div', { class: 'footer' });
  app.replaceChildren(header, el('div', { class: 'toolbar', role: 'toolbar' }, runButton, diagramButton, copyText, copyMd), scroller(table), footer);
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
    el('h1', {}, ...breakableName(m.title)),
    el('p', { class: 'muted subtitle' }, `${m.framework} · ${m.file} · input ${m.inputShape} (${m.inputShapeSource})`),
  );
  if (m.forward?.state === 'running') runButton!.setAttribute('disabled', '');
  else runButton!.removeAttribute('disabled');
  const trainable = trainableInformative(m.rows);
  if (trainable !== withTrainable) head!.replaceChildren(headerRow(layerColumns((withTrainable = trainable))));
  renderRows(body!, m.rows, collapsed, trainable, {
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
  const forward = renderForward(m.forward, m.rows, (line) => vscodeApi.postMessage({ type: 'reveal', line }));
  footer!.replaceChildren(el('section', { class: 'totals-section' }, el('h2', {}, 'Totals'), totals), forward, diags);
  // A run that just ended is what the user asked for: show it (once; later updates keep the scroll).
  const shown = m.forward?.state;
  if (lastForwardState === 'running' && (shown === 'done' || shown === 'error')) forward.scrollIntoView({ block: 'start' });
  // Same scroll position after the update (live edits), or the saved one after a reload.
  else window.scrollTo(0, y || state.scrollY);
  lastForwardState = shown;
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
