import type { ForwardResult } from './types';

/** The CLI's text view of a forward pass: one line per layer, then the findings. */

const fmtShape = (s: number[]) => `[${s.join(', ')}]`;
const n4 = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(4));

export function formatForwardText(r: ForwardResult): string {
  const rows = r.layers.map((l) => [l.name, l.type, fmtShape(l.outputShape), n4(l.mean), n4(l.std), n4(l.min), n4(l.max), `${(l.zeroFraction * 100).toFixed(1)}%`, l.ms.toFixed(2)]);
  const head = ['Layer', 'Type', 'Actual shape', 'Mean', 'Std', 'Min', 'Max', 'Zeros', 'ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  const out = [
    `${r.model}: sample forward pass on ${r.backend}${r.backendNote ? ` (${r.backendNote})` : ''}, seed ${r.seed}`,
    `input ${r.inputShapes.map(fmtShape).join(', ')} → output ${r.outputShapes.map(fmtShape).join(', ')}`,
    rule,
    line(head),
    rule,
    ...rows.map(line),
    rule,
    `Total params (tfjs countParams): ${r.totalParams.toLocaleString('en-US')}`,
    `Forward pass: ${r.ms.toFixed(1)} ms${r.wallMs !== undefined ? ` (${r.wallMs.toFixed(0)} ms with backend start-up and build)` : ''}`,
    `Output preview: ${r.outputPreview.map((p) => `[${p.map((x) => n4(x)).join(', ')}${p.length >= 10 ? ', …' : ''}]`).join(' ')}`,
    r.findings.length === 0 ? 'Findings: none (static analysis and the real pass agree)' : `Findings (${r.findings.length}):`,
    ...r.findings.map((f) => `  ${f.layer}: ${f.message}`),
  ];
  return out.join('\n') + '\n';
}
