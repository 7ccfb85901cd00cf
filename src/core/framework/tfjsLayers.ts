import { bindTfjs } from '../catalog/bind';
import type { LayerEntry } from '../catalog/types';
import { ConfigError, UnknownValue } from '../unknown';
import type { EvalHost } from './host';
import { LayerInstance, type Loc, UnknownLayer, Value, existsOnlyIf, isPlainObjectValue } from './values';
import type { Shape } from '../shape';
import { validInputShape } from './sanity';

/**
 * What making tfjs layers needs from the front end evaluating the code: where it is, where
 * problems go, the model being traced, and the per-analysis counters behind tfjs's automatic
 * names (`dense_Dense1`, `input1`).
 */
export type TfjsHost = Pick<EvalHost, 'recorder' | 'branchCondition' | 'file' | 'report'> & { readonly tfjsUid: Map<string, number> };

/** tfjs's own snake-casing of class names (`ReLU` → `re_lu`), used for its automatic layer names. */
const snakeCache = new Map<string, string>();

export function tfjsSnake(name: string): string {
  let s = snakeCache.get(name);
  if (s === undefined) {
    s = name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    if (s.startsWith('_')) s = 'private' + s;
    if (snakeCache.size < 1000) snakeCache.set(name, s);
  }
  return s;
}

/** tfjs names unnamed layers `dense_Dense1`, `dense_Dense2`… with a counter per class name. */
export function tfjsAutoName(interp: TfjsHost, className: string): string {
  return numbered(autoNames, className, uid(interp, className), true);
}

export function nextUid(interp: TfjsHost, prefix: string): string {
  return numbered(uids, prefix, uid(interp, prefix), false);
}

function uid(interp: TfjsHost, prefix: string): number {
  const n = (interp.tfjsUid.get(prefix) ?? 0) + 1;
  interp.tfjsUid.set(prefix, n);
  return n;
}

/**
 * `prefix + n`, made once: every builder numbers its layers from 1 again, so the same names
 * (`dense_Dense1`, `sequential_1`) come back builder after builder. Bounded: prefixes come from
 * catalog class names and a few fixed words, and numbers past 64 are made each time.
 */
function numbered(table: Map<string, { prefix: string; names: string[] }>, key: string, n: number, layerName: boolean): string {
  let t = table.get(key);
  if (!t) {
    // A layer's automatic name is its class name snake-cased, then the class name: `dense_Dense1`.
    const prefix = layerName ? tfjsSnake(key) + '_' + key : key;
    if (table.size >= 500) return prefix + n;
    table.set(key, (t = { prefix, names: [] }));
  }
  if (n > 64) return t.prefix + n;
  return (t.names[n] ??= t.prefix + n);
}

const autoNames = new Map<string, { prefix: string; names: string[] }>();
const uids = new Map<string, { prefix: string; names: string[] }>();

/** `tf.layers.dense({units: 8})`. */
export function makeTfjsLayer(interp: TfjsHost, entry: LayerEntry, config: Value, node: Loc, configNode?: LayerInstance['keywordsExpr']): LayerInstance | UnknownLayer {
  try {
    const args = bindTfjs(entry, config as never);
    const given = isPlainObjectValue(config) && typeof config.name === 'string' ? config.name : undefined;
    const name = given ?? tfjsAutoName(interp, entry.type);
    const layer = new LayerInstance(entry, args, node, interp.file.site(node), undefined, configNode, name);
    if (interp.branchCondition) layer.conditional = existsOnlyIf(interp.branchCondition);
    return layer;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    interp.report(node, 'error', e.message, 'config');
    const u = new UnknownLayer(entry.type, 'tfjs', node, interp.file.site(node));
    u.reason = e.message;
    return u;
  }
}

/** `tf.input({shape: [32]})`: a model input with tfjs's null batch. */
export function tfInput(interp: TfjsHost, config: Value, node: Loc): Value {
  const rec = interp.recorder;
  if (!rec) return new UnknownValue('tf.input() outside a model builder');
  let shape: Shape | null = null;
  let name: string | undefined;
  let dtype: 'float32' | 'int32' = 'float32';
  if (isPlainObjectValue(config)) {
    const list = Array.isArray(config.batchShape) ? config.batchShape : Array.isArray(config.shape) ? [null, ...config.shape] : undefined;
    if (list && list.every((d) => d === null || typeof d === 'number')) shape = list as Shape;
    if (shape && !validInputShape(shape)) {
      interp.report(node, 'error', `tf.input shape [${shape.join(', ')}] has a negative or fractional size; tfjs requires positive integers.`, 'bad-input-shape');
      return rec.addInput(null, typeof config.name === 'string' ? config.name : nextUid(interp, 'input'), 'float32', node);
    }
    if (typeof config.name === 'string') name = config.name;
    if (config.dtype === 'int32') dtype = 'int32';
  }
  if (!shape) interp.report(node, 'warning', 'tf.input() needs a static `shape` (or `batchShape`) for ModelLens to infer shapes.', 'bad-input-shape');
  return rec.addInput(shape, name ?? nextUid(interp, 'input'), dtype, node);
}
