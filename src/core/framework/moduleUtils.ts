import { UnknownValue, isUnknown } from '../unknown';
import { layerSlots } from './moduleApi';
import { LayerInstance, ModuleInstance, ParameterValue, type Value } from './values';

/**
 * `torch.nn.utils`' reparametrizations of a module's parameter (1.13), on the interpreter's
 * values: they replace one parameter by others, which changes what `parameters()` counts and
 * names. Each returns the module it was given, or unknown with the reason.
 *
 * - `weight_norm(m, name='weight', dim=0)`: `weight` becomes `weight_g` (the norm: the weight's
 *   shape with every dim but `dim` made 1; one number when `dim` is None or -1) and `weight_v`
 *   (the direction: the weight's shape), registered after the module's other parameters.
 * - `spectral_norm(m, name='weight', …)`: `weight` becomes `weight_orig`, same shape (its `u` and
 *   `v` are buffers, not parameters).
 * - `parametrizations.weight_norm` / `.spectral_norm`: the same tensors under
 *   `parametrizations.weight.original0/1` (`original`).
 */
export function reparametrize(kind: 'weight_norm' | 'spectral_norm' | 'parametrizations.weight_norm' | 'parametrizations.spectral_norm', module: Value, name: Value, dim: Value): Value {
  const params = parameterMap(module);
  if (isUnknown(params)) return params;
  if (typeof name !== 'string') return new UnknownValue(`${kind}() of a parameter name with no static value`);
  const p = params.get(name);
  if (!p) return new UnknownValue(`${kind}(): the module has no parameter \`${name}\` ModelLens knows`);
  if (p.shape === null || p.shape.some((d) => d === null)) return new UnknownValue(`${kind}(): the size of \`${name}\` is unknown`);
  const shape = p.shape as number[];
  const norm = kind.endsWith('weight_norm') ? normShape(shape, dim) : undefined;
  if (isUnknown(norm)) return norm;
  params.delete(name);
  const add = (key: string, s: number[]) => {
    const q = new ParameterValue(s);
    q.frozen = p.frozen;
    params.set(key, q);
  };
  if (kind === 'weight_norm') {
    add(`${name}_g`, norm!);
    add(`${name}_v`, shape);
  } else if (kind === 'parametrizations.weight_norm') {
    add(`parametrizations.${name}.original0`, norm!);
    add(`parametrizations.${name}.original1`, shape);
  } else if (kind === 'spectral_norm') add(`${name}_orig`, shape);
  else add(`parametrizations.${name}.original`, shape);
  return module;
}

/** weight_norm's `g`: norm_except_dim's shape (torch/nn/utils/weight_norm.py). */
function normShape(shape: number[], dim: Value): number[] | UnknownValue {
  if (dim === null || dim === undefined || dim === -1) return [];
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < -shape.length || dim >= shape.length) return new UnknownValue('weight_norm(): a dim with no static value, or outside the weight');
  const k = dim < 0 ? dim + shape.length : dim;
  return shape.map((d, i) => (i === k ? d : 1));
}

/** The module's own parameters by name, as a map to change in place. */
function parameterMap(module: Value): Map<string, ParameterValue> | UnknownValue {
  if (module instanceof ModuleInstance) return (module.parameters ??= new Map());
  if (module instanceof LayerInstance && module.entry.framework === 'torch') return layerSlots(module);
  return new UnknownValue('a reparametrization of a value that is not a module ModelLens knows');
}
