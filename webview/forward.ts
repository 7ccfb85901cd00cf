import type { PanelForward } from '../src/extension/forwardView';
import { el } from './dom';

/**
 * The panel's "Forward pass" section: a hint before the first run, progress while it runs, the
 * error naming the layer when the model could not be built, else the overall results and the
 * findings (click one to reveal its line).
 */
export function renderForward(f: PanelForward | undefined, reveal: (line: number) => void): HTMLElement {
  const section = el('section', { class: 'forward', id: 'forward' }, el('h2', {}, 'Forward pass'));
  if (!f) {
    section.append(el('p', { class: 'muted' }, 'Run forward pass builds this model in TensorFlow.js and runs one seeded sample batch: actual shapes, activation statistics and times per layer, checked against the static analysis.'));
    return section;
  }
  if (f.state === 'running') {
    section.append(el('p', { class: 'muted running' }, f.message));
    return section;
  }
  if (f.state === 'error') {
    const p = el('p', { class: 'forward-error' }, f.message);
    const line = f.line;
    if (line !== null) {
      p.classList.add('link');
      p.addEventListener('click', () => reveal(line));
    }
    section.append(p);
    return section;
  }
  section.append(el('p', { class: 'muted' }, f.summary));
  const totals = el('dl', { class: 'totals forward-totals' });
  for (const t of f.totals) totals.append(el('dt', {}, t.label), el('dd', {}, t.value));
  section.append(totals, el('h3', {}, 'Output preview'), el('p', { class: 'mono preview' }, f.outputPreview));
  const findings = el('div', { class: 'findings' }, el('h3', {}, 'Findings ', el('vscode-badge', { variant: 'counter' }, String(f.findings.length))));
  if (f.findings.length === 0) findings.append(el('p', { class: 'muted' }, 'None: every shape and parameter count of the real pass agrees with the static analysis.'));
  else {
    const list = el('ul');
    for (const x of f.findings) {
      const item = el('li', { class: 'diag warning' }, el('span', { class: 'sev' }, 'finding'), ` ${x.layer}${x.line !== null ? ` (line ${x.line})` : ''}: ${x.message}`);
      const line = x.line;
      if (line !== null) item.addEventListener('click', () => reveal(line));
      list.append(item);
    }
    findings.append(list);
  }
  section.append(findings);
  return section;
}
