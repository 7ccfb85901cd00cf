import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { analyzeSource } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';

/**
 * JavaScript as real model code writes it (switch, labelled loops, try/catch, destructuring,
 * optional chaining, built-ins with in-place mutation, static members, getters), each snippet
 * checked against real TensorFlow.js: the same plain-JavaScript builder is run with tfjs here and
 * its countParams() and output shape are the truth. Then the soundness rule: a construct the
 * interpreter does not model makes the totals unknown with a reason, never a wrong number.
 */

function analyze(code: string, file = '/virtual/model.js'): ModelSummary[] {
  return analyzeSource(file, `import * as tf from '@tensorflow/tfjs';\n${code}`, { host: { readFile: () => undefined } }).models;
}

/** Runs the builder `build` in `code` with real tfjs (test code written here, never workspace code). */
function realModel(code: string): tf.LayersModel {
  return new Function('tf', `${code}\nreturn build();`)(tf) as tf.LayersModel;
}

function checkExact(code: string): void {
  const real = realModel(code);
  const ms = analyze(code);
  assert.ok(ms.length >= 1, 'no model found');
  // A class that builds its model in a method is reported from the class and from the method
  // run alone (without the constructor's argument: unknown). One is exact; none is a wrong number.
  const exact = ms.filter((m) => m.totalParams !== null);
  assert.ok(exact.length >= 1, `no exact model: ${ms.map((m) => m.totalsUnknownReason).join('; ')}`);
  for (const m of exact) {
    assert.strictEqual(m.totalsUnknownReason, undefined);
    assert.strictEqual(m.totalParams, real.countParams());
    assert.deepStrictEqual(m.outputShape, real.outputs[0].shape);
  }
  real.dispose();
}

describe('JavaScript semantics, checked against real tfjs', () => {
  it('switch with fallthrough, default and break', () => {
    checkExact(`function build() {
      const kind = 'wide';
      let units = 4;
      switch (kind) { case 'narrow': units = 2; break; case 'wide': units += 8; case 'wider': units *= 2; break; default: units = 1; }
      const m = tf.sequential();
      m.add(tf.layers.dense({ units, inputShape: [3] }));
      return m;
    }`);
  });

  it('labelled loops, do/while, continue and break', () => {
    checkExact(`function build() {
      const m = tf.sequential();
      let first = true;
      outer: for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          if (j === 2) continue outer;
          if (i === 3) break outer;
          m.add(tf.layers.dense(first ? { units: 3 + i + j, inputShape: [5] } : { units: 3 + i + j }));
          first = false;
        }
      }
      let k = 0;
      do { m.add(tf.layers.dense({ units: 2 })); k++; } while (k < 2);
      while (true) { k--; if (k < 0) break; }
      return m;
    }`);
  });

  it('try/catch/finally, a throw behind an unknown argument check, typeof and ??', () => {
    checkExact(`function make(units, opts) {
      if (typeof units !== 'number' || units <= 0) throw new Error('units must be positive');
      return tf.layers.dense({ units, activation: opts?.activation ?? 'relu' });
    }
    function build() {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 6, inputShape: [4] }));
      let extra = 0;
      try { JSON.parse('{"a": 1}'); extra = 2; throw new Error('x'); } catch (e) { extra += 1; } finally { extra *= 2; }
      m.add(make(extra));
      m.add(make(3, { activation: 'tanh' }));
      return m;
    }`);
  });

  it('destructuring with defaults and rest, object spread merges, ??= and ||=', () => {
    checkExact(`const BASE = { hidden: [8, 4], dropout: 0.1 };
    function build() {
      const cfg = { ...BASE, hidden: [16, ...BASE.hidden], out: undefined };
      cfg.out ??= 3;
      cfg.extra ||= 2;
      const { hidden: [h0, ...rest], out = 99, missing = 5, ...others } = cfg;
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: h0, inputShape: [missing] }));
      for (const h of rest) m.add(tf.layers.dense({ units: h }));
      m.add(tf.layers.dense({ units: out + others.extra }));
      return m;
    }`);
  });

  it('array built-ins with in-place mutation, Math, Number, Object and String methods', () => {
    checkExact(`function build() {
      const sizes = Array.from({ length: 3 }, (_, i) => 2 ** (i + 2));
      sizes.reverse();
      sizes.push(...[5, 6].filter((x) => x % 2 === 0));
      sizes.splice(1, 1, 7, 7);
      const widths = sizes.slice(0, -1).concat([Math.max(...sizes)]).map((x) => Math.ceil(x / 2));
      const flat = [[1], [2, [3]]].flat();
      const parts = 'a-b-c'.split('-');
      const name = 'x'.padStart(3, '0') + String(parts.length);
      const counts = Object.entries({ a: 1, b: 2 }).reduce((n, [, v]) => n + v, 0);
      const m = tf.sequential({ name: 'net' + name });
      m.add(tf.layers.dense({ units: widths[0] + flat.length + counts, inputShape: [Number.isInteger(4.0) ? 4 : 2] }));
      for (const [i, w] of widths.entries()) if (i > 0 && !widths.slice(0, i).includes(w)) m.add(tf.layers.dense({ units: w }));
      m.add(tf.layers.dense({ units: parts.indexOf('c') + (name.startsWith('00') ? 1 : 0) }));
      return m;
    }`);
  });
});

describe('soundness: what is not modelled is unknown, with a reason', () => {
  const torch = (body: string) =>
    analyzeSource('/virtual/m.ts', `import { nn } from 'js-pytorch';\nimport { helper } from './missing';\n/** @inputShape [2, 8] */\nexport class Net extends nn.Module {\n  constructor() {\n    super();\n    this.fc = new nn.Linear(8, 4);\n${body}\n  }\n  forward(x) { return this.fc.forward(x); }\n}`, { host: { readFile: () => undefined } }).models[0];
  const EXACT = 8 * 4 + 4;

  for (const [what, body] of [
    ['an unknown call receiving this', 'helper(this);'],
    ['a dynamic write with an unknown key', 'this[helper.name] = new nn.Linear(8, 8);'],
    ['an unknown built-in on a list', 'const xs = [1]; xs.copyWithin(0, 0);'],
    ['a method of an unknown object receiving a module', 'helper.register(this.fc);'],
    ['a definite throw', 'throw new Error("unsupported");'],
    ['an unknown call receiving a callback', 'helper(() => { this.extra = new nn.Linear(8, 8); });'],
  ]) {
    it(`${what}: unknown, with a reason`, () => {
      const m = torch(body);
      assert.ok(m, 'model not found');
      assert.strictEqual(m.totalParams, null, `${what}: total ${m.totalParams} should be unknown`);
      assert.ok(m.totalsUnknownReason || m.layers.some((r) => r.params === null && r.unknownReason), `${what}: no reason`);
    });
  }

  it('a throw behind an unknown argument check leaves the totals exact', () => {
    const m = torch('if (helper.n < 0) { throw new Error("bad"); }');
    assert.strictEqual(m.totalParams, EXACT);
    assert.strictEqual(m.totalsUnknownReason, undefined);
  });

  it('a write with a known computed key registers the module as a field would', () => {
    const m = torch(`const name = 'f' + 'c2'; this[name] = new nn.Linear(8, 8);`);
    assert.strictEqual(m.totalParams, EXACT + 8 * 8 + 8);
  });

  it('a = a.concat(a) in a loop ends within the budget', () => {
    const ms = analyze(`function build() { let a = [1]; for (let i = 0; i < 200; i++) a = a.concat(a); const m = tf.sequential(); m.add(tf.layers.dense({ units: a.length, inputShape: [2] })); return m; }`);
    assert.ok(ms.every((m) => m.totalParams === null), 'the doubling list must stop the analysis, not give a number');
  });
});
