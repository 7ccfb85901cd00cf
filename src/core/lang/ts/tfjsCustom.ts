// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
// typescript.js exports through getters: read the hot ones once.
const { isIdentifier, isNewExpression, isPropertyDeclaration, isStringLiteralLike } = ts;
import { Args, ArgValue } from '../../args';
import type { LayerEntry } from '../../catalog/types';
import { f } from '../../catalog/util';
import { Shape, ShapeError } from '../../shape';
import { Unknowable, isUnknown } from '../../unknown';
import type { Interp } from './interp';
import { findMethod } from './calls';
import { initClass } from './classes';
import { tfjsAutoName } from '../../framework/tfjsLayers';
import { LayerInstance, NativeFunction, Value, isPlainObjectValue } from '../../framework/values';
import { ClassInfo, FunctionValue } from './values';
import { Thrown } from './soundness';

/**
 * A user's `class Scale extends tf.layers.Layer`: a catalog entry made on the fly from its
 * `build()` (every `this.addWeight(name, shape, …, trainable)` with a shape we can evaluate)
 * and its `computeOutputShape()` (identity when absent, as in tfjs).
 */
const entries = new WeakMap<ClassInfo, LayerEntry>();

function className(info: ClassInfo): string {
  for (const m of info.node.members) {
    if (isPropertyDeclaration(m) && isIdentifier(m.name) && m.name.text === 'className' && m.initializer && isStringLiteralLike(m.initializer)) {
      return m.initializer.text;
    }
  }
  return info.name;
}

function toShapeValue(shape: Shape): Value {
  return shape.map((d) => d);
}

function customEntry(interp: Interp, info: ClassInfo): LayerEntry {
  const cached = entries.get(info);
  if (cached) return cached;
  const type = className(info);
  const entry: LayerEntry = {
    type,
    framework: 'tfjs',
    family: 'linear',
    docs: {
      summary: `${type} is a custom layer defined in this workspace (a tf.layers.Layer subclass).`,
      use: 'ModelLens counts the weights its build() adds and takes its shape from computeOutputShape().',
      formula: 'the sizes of the weights added in build()',
      url: 'https://js.tensorflow.org/api/latest/#class:layers.Layer',
    },
    params(a: Args, inputs: Shape[]) {
      const build = findMethod(info.node, 'build');
      if (!build) return { trainable: 0, nonTrainable: 0, formula: '0' };
      const weights: { name: string; shape: Value; trainable: boolean }[] = [];
      const self = a.raw('__self__') as unknown as { [key: string]: Value };
      self.addWeight = new NativeFunction((args, call) => {
        // addWeight(name, shape, dtype, initializer, regularizer, trainable = true, …)
        const name = String(args[0]);
        if (isUnknown(args[5])) throw new Unknowable(`whether weight ${name} is trainable: ${args[5].reason}`);
        // What tfjs's own addWeight rejects when build() runs: the counts describe what build()
        // asks for, and the error says tfjs will not build it.
        if (args[3] === undefined || args[3] === null) {
          interp.report(call, 'error', `addWeight('${name}') has no initializer: tfjs's build() throws here (pass one, e.g. tf.initializers.glorotUniform({}))`, 'config');
        }
        if (weights.some((w) => w.name === name)) interp.report(call, 'error', `addWeight('${name}') repeats a weight name: tfjs's build() throws "Duplicate weight name"`, 'config');
        weights.push({ name, shape: args[1], trainable: args[5] !== false });
        return undefined;
      });
      decided(interp, 'what build() adds', () => interp.withFile(info.source, () => interp.invoke(new FunctionValue(build, info.scope, self), [toShapeValue(inputs[0] ?? [])], self)));
      let trainable = 0;
      let nonTrainable = 0;
      const parts: string[] = [];
      for (const w of weights) {
        if (!Array.isArray(w.shape)) throw new Unknowable(`the shape of weight ${w.name} has no static value`);
        let n = 1;
        for (const d of w.shape) {
          if (isUnknown(d)) throw new Unknowable(`weight ${w.name}: ${d.reason}`);
          if (typeof d !== 'number') throw new Unknowable(`the shape of weight ${w.name} has no static value`);
          n *= d;
        }
        if (w.trainable) trainable += n;
        else nonTrainable += n;
        parts.push((w.shape as number[]).map((d) => f(d)).join(' × '));
      }
      return { trainable, nonTrainable, formula: parts.length ? parts.join(' + ') : '0' };
    },
    output(a: Args, inputs: Shape[]) {
      const method = findMethod(info.node, 'computeOutputShape');
      if (!method) return inputs[0];
      const self = a.raw('__self__') as unknown as Value;
      const out = decided(interp, 'what computeOutputShape() returns', () => interp.withFile(info.source, () => interp.invoke(new FunctionValue(method, info.scope, self), [toShapeValue(inputs[0])], self)));
      if (!Array.isArray(out)) throw new Unknowable(`${type}.computeOutputShape() has no static value`);
      return out.map((d, i) => {
        if (d === null || d === undefined) return null;
        if (typeof d !== 'number') throw new ShapeError(`computeOutputShape() gives a non-number at ${i}`);
        return d;
      });
    },
  };
  entries.set(info, entry);
  return entry;
}

/**
 * Runs a custom layer's method for a catalog rule. A path it could not decide (an `if` on a
 * value with none) makes the rule's answer unknown instead of the `then` path's numbers.
 */
function decided<T>(interp: Interp, what: string, run: () => T): T {
  const outer = interp.controlUnknown;
  interp.controlUnknown = undefined;
  let undecided: string | undefined;
  let result: T;
  try {
    result = run();
  } catch (e) {
    // tfjs would throw here too: the layer's shape or weights are not known.
    if (e instanceof Thrown) throw new Unknowable(`${what} is not known statically: ${e.reason}`);
    throw e;
  } finally {
    undecided = interp.controlUnknown;
    interp.controlUnknown = outer;
  }
  if (undecided) throw new Unknowable(`${what} is not known statically: ${undecided}`);
  return result;
}

export function makeCustomTfjsLayer(interp: Interp, info: ClassInfo, ctorArgs: Value[], node: ts.Node): LayerInstance {
  const entry = customEntry(interp, info);
  const self: { [key: string]: Value } = {};
  // Every constructor argument reaches the constructor (`new Gated(3, false)`); a leading config
  // object also gives tfjs's `name`.
  initClass(interp, info, self, ctorArgs);
  const config = ctorArgs[0];
  const values: Record<string, ArgValue> = isPlainObjectValue(config) ? { ...(config as Record<string, ArgValue>) } : {};
  values.__self__ = self as unknown as ArgValue;
  const name = isPlainObjectValue(config) && typeof config.name === 'string' ? config.name : tfjsAutoName(interp, entry.type);
  const args = isNewExpression(node) && node.arguments?.[0];
  return new LayerInstance(entry, new Args(entry.type, values), node, interp.file.site(node), undefined, args || undefined, name);
}
