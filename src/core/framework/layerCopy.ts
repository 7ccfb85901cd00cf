import { Args, type ArgValue } from '../args';
import { LayerInstance, ModuleInstance, ParameterValue, type Value } from './values';

/**
 * `copy.deepcopy(layer)`, as PyTorch's `_get_clones` copies a TransformerEncoder's template: a new
 * object for every module and parameter reachable from it (one copy per original, so weights tied
 * inside the template stay tied inside the copy, and none is shared with the template), with every
 * flag as it is (a parameter frozen in the template is frozen in the copy). Plain values (numbers,
 * names, functions) are shared: they are never written through. Used by both front ends' preludes.
 * A composite the template left as one row (`expanded` null) is copied as one row.
 */
export function copyLayer(layer: LayerInstance): LayerInstance {
  const copy = copyLayerInto(layer, new Map());
  // The copy itself is registered afresh where it goes (`layers.0`, `layers.1`); what it holds keeps its names.
  copy.userName = undefined;
  copy.registered = false;
  copy.owner = undefined;
  copy.copied = true;
  return copy;
}

function copyValue(v: Value, memo: Map<object, unknown>): Value {
  if (v instanceof LayerInstance) return copyLayerInto(v, memo);
  if (v instanceof ModuleInstance) return copyModule(v, memo);
  if (v instanceof ParameterValue) return copyParameter(v, memo);
  return v;
}

function copyLayerInto(layer: LayerInstance, memo: Map<object, unknown>): LayerInstance {
  const seen = memo.get(layer);
  if (seen) return seen as LayerInstance;
  const copyArg = (v: ArgValue): ArgValue => (v instanceof LayerInstance ? copyLayerInto(v, memo) : Array.isArray(v) ? v.map(copyArg) : v);
  const values: Record<string, ArgValue> = {};
  for (const k in layer.args.values) values[k] = copyArg(layer.args.values[k]);
  const copy = new LayerInstance(layer.entry, new Args(layer.args.layerType, values), layer.node, layer.site, layer.argExprs, layer.keywordsExpr);
  memo.set(layer, copy);
  copyPlace(layer, copy, memo);
  copy.frozenAll = layer.frozenAll;
  if (layer.slots) copy.slots = new Map([...layer.slots].map(([k, p]) => [k, copyParameter(p, memo)]));
  if (layer.submodules) copy.submodules = layer.submodules.map(([k, m]) => [k, copyLayerInto(m, memo)]);
  for (const [, m] of copy.submodules ?? []) m.heldBy = copy;
  if (layer.expanded !== undefined) copy.expanded = layer.expanded && copyModule(layer.expanded, memo);
  return copy;
}

function copyModule(inst: ModuleInstance, memo: Map<object, unknown>): ModuleInstance {
  const seen = memo.get(inst);
  if (seen) return seen as ModuleInstance;
  const copy = new ModuleInstance(inst.cls, inst.node, inst.site);
  memo.set(inst, copy);
  copyPlace(inst, copy, memo);
  for (const k of inst.fieldNames) {
    copy.fieldNames.push(k);
    copy.fields.set(k, copyValue(inst.fields.get(k), memo));
  }
  if (inst.parameters) copy.parameters = new Map([...inst.parameters].map(([k, p]) => [k, copyParameter(p, memo)]));
  return copy;
}

/** Its name and registration inside the copied tree, and the container holding it when that is copied too. */
function copyPlace(from: LayerInstance | ModuleInstance, to: LayerInstance | ModuleInstance, memo: Map<object, unknown>): void {
  to.userName = from.userName;
  to.registered = from.registered;
  to.conditional = from.conditional;
  to.owner = from.owner && (memo.get(from.owner) as LayerInstance | ModuleInstance | undefined);
}

function copyParameter(p: ParameterValue, memo: Map<object, unknown>): ParameterValue {
  const seen = memo.get(p);
  if (seen) return seen as ParameterValue;
  // A stand-in for a whole layer's weights points at that layer's copy.
  const whole = p.whole ? copyLayerInto(p.whole, memo) : undefined;
  const copy = new ParameterValue(p.shape, p.reason, whole, p.numel);
  copy.frozen = p.frozen;
  memo.set(p, copy);
  return copy;
}
