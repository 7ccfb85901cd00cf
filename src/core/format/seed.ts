import type { LayerRow, ModelSummary } from '../summary';
import {
  countText,
  isInputRow,
  modelOwnParams,
  outputText,
  postOrder,
  tableRows,
  unknownDim,
  unknownNotes,
} from './rows';

/**
 * The classic pytorch-summary (sksq96 torchsummary) table: one row per forward-hook call,
 * numbered in the order the hooks fire (post-order: a module after its children, the model
 * last), `Type-N` names, each row with the module's own parameters.
 */

const RULE = '='.repeat(70);

/** torchsummary registers no hook on these pure containers, so they never get a row. */
const UNHOOKED = new Set(['Sequential', 'ModuleList', 'ModuleDict']);

function row(name: string, shape: string, params: string): string {
  return name.padStart(20) + shape.padStart(26) + params.padStart(16);
}

export function formatSeed(model: ModelSummary): string {
  const unk = unknownDim(model);
  const rows = tableRows(model);
  const shown = postOrder(rows).filter((r) => !isInputRow(r) && !(r.container && UNHOOKED.has(r.type)));

  const lines = [RULE, row('Layer (type)', 'Output Shape', 'Param #'), RULE];
  let n = 0;
  const line = (r: LayerRow): string => row(`${r.type}-${++n}`, outputText(r, unk), countText(r.params));
  for (const r of shown) lines.push(line(r));

  lines.push(row(`${model.name}-${++n}`, outputText(model, unk), countText(modelOwnParams(model, rows))));

  lines.push(
    RULE,
    `Total params: ${countText(model.totalParams)}`,
    `Trainable params: ${countText(model.trainableParams)}`,
    `Non-trainable params: ${countText(model.nonTrainableParams)}`,
    RULE,
  );
  const notes = unknownNotes(model, rows);
  if (notes.length > 0) lines.push(...notes);
  return lines.join('\n') + '\n';
}
