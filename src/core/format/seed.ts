import { type LayerRow, type ModelSummary, rootType } from '../summary';
import {
  countText,
  isInputRow,
  modelOwnParams,
  outputText,
  postOrder,
  tableRows,
  unknownDim,
  unknownNotes,
  builtWithLines,
} from './rows';

/**
 * The classic pytorch-summary (sksq96 torchsummary) table: one row per forward-hook call,
 * numbered in the order the hooks fire (post-order: a module after its children, the model
 * last), `Type-N` names, each row with the module's own parameters.
 */

/** torchsummary's column widths (`{:>20}  {:>25} {:>15}`) and rule; long cells widen them. */
const NAME_WIDTH = 20;
const SHAPE_WIDTH = 25;
const PARAMS_WIDTH = 15;
const RULE_WIDTH = 70;

/** torchsummary registers no hook on these pure containers, so they never get a row. */
const UNHOOKED = new Set(['Sequential', 'ModuleList', 'ModuleDict']);

interface Widths {
  name: number;
  shape: number;
  params: number;
}

/** Right-aligned cells with at least one space between them, so no two columns ever touch. */
function row(w: Widths, name: string, shape: string, params: string): string {
  return name.padStart(w.name) + shape.padStart(w.shape + 1) + params.padStart(w.params + 1);
}

/**
 * torchsummary's widths, widened for the whole table when any cell is longer (a
 * `TransformerEncoderLayer-10` or a multi-output shape), so every row stays aligned.
 */
function widths(cells: [string, string, string][]): Widths {
  const w: Widths = { name: NAME_WIDTH, shape: SHAPE_WIDTH, params: PARAMS_WIDTH };
  for (const [name, shape, params] of cells) {
    w.name = Math.max(w.name, name.length);
    w.shape = Math.max(w.shape, shape.length);
    w.params = Math.max(w.params, params.length);
  }
  return w;
}

export function formatSeed(model: ModelSummary): string {
  const unk = unknownDim(model);
  const rows = tableRows(model);
  const shown = postOrder(rows).filter((r) => !isInputRow(r) && !(r.container && UNHOOKED.has(r.type)));

  let n = 0;
  const cells: [string, string, string][] = shown.map((r: LayerRow) => [`${r.type}-${++n}`, outputText(r, unk), countText(r.params)]);
  cells.push([`${rootType(model)}-${++n}`, outputText(model, unk), countText(modelOwnParams(model, rows))]);
  const w = widths(cells);
  const rule = '='.repeat(RULE_WIDTH + w.name - NAME_WIDTH + w.shape - SHAPE_WIDTH + w.params - PARAMS_WIDTH);

  const lines = [rule, row(w, 'Layer (type)', 'Output Shape', 'Param #'), rule];
  for (const [name, shape, params] of cells) lines.push(row(w, name, shape, params));

  lines.push(
    rule,
    `Total params: ${countText(model.totalParams)}`,
    `Trainable params: ${countText(model.trainableParams)}`,
    `Non-trainable params: ${countText(model.nonTrainableParams)}`,
    rule,
  );
  lines.push(...builtWithLines(model));
  const notes = unknownNotes(model, rows);
  if (notes.length > 0) lines.push(...notes);
  return lines.join('\n') + '\n';
}
