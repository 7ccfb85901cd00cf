import { formatShape } from '../shape';
import { type LayerRow, type ModelSummary, rootType } from '../summary';
import { commas } from '../catalog/util';
import { countText, shapeText, isInputRow, modelOwnParams, outputText, tableRows, unknownDim, unknownNotes, builtWithLines } from './rows';

/**
 * torchinfo's `summary(model, input_size, col_names=("input_size", "output_size", "num_params",
 * "mult_adds"))` look: the model on top, then its modules in pre-order with tree prefixes and
 * `Type: depth-idx` names, torchinfo's `--` / `(recursive)` conventions, totals, and the memory
 * estimate footer.
 */

export interface TorchinfoOptions {
  /** torchinfo's `depth`: rows nested deeper are hidden, rows at this depth show their subtree's totals. */
  depth?: number;
}

/** torchinfo's `col_width`; a column with a longer cell is widened for the whole table. */
const COL_WIDTH = 25;
const COLUMNS = ['Input Shape', 'Output Shape', 'Param #', 'Mult-Adds'];
/** torchinfo's starting name-column width, widened to a multiple of 5 when a name needs it. */
const MIN_NAME_WIDTH = 40;

/** The tree prefix: nothing for the model, `├─` for its children, `│    ` per level then `└─` below. */
function treePrefix(depth: number): string {
  if (depth === 0) return '';
  if (depth === 1) return '├─';
  return '│    '.repeat(depth - 1) + '└─';
}

function formatRow(nameWidth: number, colWidths: number[], name: string, cells: string[]): string {
  let line = name.padEnd(nameWidth) + ' ';
  cells.forEach((c, j) => (line += c.padEnd(colWidths[j]) + ' '));
  return line.trimEnd();
}

/** A parameter count the torchinfo way: `--` for none, `(n)` when none of them train. */
function paramCell(total: number | null, trainable: number | null): string {
  if (total === null) return '?';
  if (total === 0) return '--';
  return trainable === 0 ? `(${commas(total)})` : commas(total);
}

/** Rows nested under `rows[i]` (pre-order: they follow it until the depth comes back). */
function descendants(rows: LayerRow[], i: number): LayerRow[] {
  const out: LayerRow[] = [];
  for (let j = i + 1; j < rows.length && rows[j].depth > rows[i].depth; j++) out.push(rows[j]);
  return out;
}

function sumMultAdds(rows: LayerRow[]): number | null {
  let sum = 0;
  for (const r of rows) {
    if (r.container) continue;
    if (r.multAdds === null) return null;
    sum += r.multAdds;
  }
  return sum;
}

/** Trainable parameters of a row and everything under it (rows carry their own only). */
function subtreeTrainable(r: LayerRow, below: LayerRow[]): number | null {
  let sum = r.trainableParams;
  for (const d of below) {
    if (d.reused) continue; // counted at its first call
    if (sum === null || d.trainableParams === null) return null;
    sum += d.trainableParams;
  }
  return sum;
}

function multAddsCell(n: number | null): string {
  if (n === null) return '?';
  return n > 0 ? commas(n) : '--';
}

/** torchinfo's automatic unit for the total: millions, or G/T when large. */
function multAddsTotal(n: number | null): string {
  if (n === null) return 'Total mult-adds (M): ?';
  if (n >= 1e12) return `Total mult-adds (T): ${(n / 1e12).toFixed(2)}`;
  if (n >= 1e9) return `Total mult-adds (G): ${(n / 1e9).toFixed(2)}`;
  return `Total mult-adds (M): ${(n / 1e6).toFixed(2)}`;
}

function mb(bytes: number | null): string {
  return bytes === null ? '?' : (bytes / 1e6).toFixed(2);
}

function sumOrNull(...xs: (number | null)[]): number | null {
  let s = 0;
  for (const x of xs) {
    if (x === null) return null;
    s += x;
  }
  return s;
}

export function formatTorchinfo(model: ModelSummary, options: TorchinfoOptions = {}): string {
  const maxDepth = options.depth ?? 3;
  const unk = unknownDim(model);
  const all = tableRows(model);
  // torchinfo has no input rows: the input shape is the model row's first column.
  const rows = all.filter((r) => !isInputRow(r));

  // depth-idx: one running counter per depth, in execution order, as torchinfo's pre-hooks count.
  const counters = new Map<number, number>();
  const titles = rows.map((r) => {
    const idx = (counters.get(r.depth) ?? 0) + 1;
    counters.set(r.depth, idx);
    return `${r.type}: ${r.depth}-${idx}`;
  });

  const root = rootType(model);
  let need = root.length + 1;
  rows.forEach((r, i) => (need = Math.max(need, titles[i].length + r.depth * 5 + 1)));
  const nameWidth = need >= MIN_NAME_WIDTH ? Math.ceil(need / 5) * 5 : MIN_NAME_WIDTH;

  const body: [string, string[]][] = [];
  // The model itself: a container at depth 0, its own parameters only (usually `--`).
  const own = modelOwnParams(model, all);
  body.push([
    root,
    [
      model.inputShape ? formatShape(model.inputShape, unk) : '--',
      outputText(model, unk),
      own === null ? '?' : own > 0 ? commas(own) : '--',
      '--',
    ],
  ]);

  rows.forEach((r, i) => {
    if (r.depth > maxDepth) return;
    const atMax = r.depth === maxDepth;
    let params: string;
    let macs: string;
    if (!r.container) {
      params = r.reused && r.params !== 0 && r.params !== null ? '(recursive)' : paramCell(r.params, r.trainableParams);
      macs = multAddsCell(r.multAdds);
    } else if (r.reused && r.totalParams !== 0) {
      params = '(recursive)';
      macs = atMax ? multAddsCell(sumMultAdds(descendants(rows, i))) : '--';
    } else if (atMax) {
      // Children are hidden here, so the container stands for its whole subtree: its count is in
      // parentheses only when none of the subtree trains (torchinfo counts parameters recursively).
      const below = descendants(rows, i);
      params = paramCell(r.totalParams, subtreeTrainable(r, below));
      macs = multAddsCell(sumMultAdds(below));
    } else {
      params = r.params === null ? '?' : r.params > 0 ? commas(r.params) : '--';
      macs = '--';
    }
    const input = r.inputShapes.length > 0 ? shapeText(r.inputShapes[0], unk) : '--';
    body.push([treePrefix(r.depth) + titles[i], [input, outputText(r, unk), params, macs]]);
  });

  // A cell longer than torchinfo's column (a multi-output shape) widens its column for every row.
  const colWidths = COLUMNS.map((_, j) => Math.max(COL_WIDTH, ...body.map(([, cells]) => cells[j].length)));
  const rule = '='.repeat(nameWidth + colWidths.reduce((a, b) => a + b, 0));
  const lines = [rule, formatRow(nameWidth, colWidths, 'Layer (type:depth-idx)', COLUMNS), rule];
  for (const [name, cells] of body) lines.push(formatRow(nameWidth, colWidths, name, cells));

  // torchinfo doubles the activations for the backward pass; activationBytes is forward only.
  const fwdBwd = model.activationBytes === null ? null : model.activationBytes * 2;
  lines.push(
    rule,
    `Total params: ${countText(model.totalParams)}`,
    `Trainable params: ${countText(model.trainableParams)}`,
    `Non-trainable params: ${countText(model.nonTrainableParams)}`,
    multAddsTotal(model.multAdds),
    rule,
    `Input size (MB): ${mb(model.inputBytes)}`,
    `Forward/backward pass size (MB): ${mb(fwdBwd)}`,
    `Params size (MB): ${mb(model.paramBytes)}`,
    `Estimated Total Size (MB): ${mb(sumOrNull(model.inputBytes, fwdBwd, model.paramBytes))}`,
    rule,
  );
  lines.push(...builtWithLines(model), ...unknownNotes(model, all));
  return lines.join('\n') + '\n';
}
