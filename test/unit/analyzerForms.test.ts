import * as assert from 'assert';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import type { AnalyzerHost } from '../../src/core/analyzerHost';
import type { ModelSummary } from '../../src/core/summary';
import { formatSeed } from '../../src/core/format/seed';
import { formatSummary } from '../../src/core/format';
import { broadcast } from '../../src/core/shape';
import { modelJson } from '../../src/core/format/json';
import { modelLensTitle } from '../../src/extension/lensTitles';
import { planFromSummary } from '../../src/runtime/plan';
import { ForwardPassError } from '../../src/runtime/types';

/**
 * Every source form the analyzer promises to read, each in a small snippet. Expected numbers are
 * worked out from the libraries' own formulas in the comments (Linear: in×out+out; Conv2d:
 * in×out×k×k+out; BatchNorm2d: 2×C parameters; tfjs BatchNormalization: 4×C, 2×C non-trainable).
 */

/**
 * Snippets here are about forms, not imports: each gets an import of an ML package appended (at
 * the end, so no line or offset moves), the evidence a model file needs (lang/ts/evidence.ts).
 */
const ML_EVIDENCE = "\nimport type {} from 'js-pytorch';";

function models(text: string, file = '/virtual/model.ts', host?: AnalyzerHost): ModelSummary[] {
  return analyzeSource(file, text + ML_EVIDENCE, host ? { host } : {}).models;
}
function one(text: string, name?: string): ModelSummary {
  const ms = models(text);
  const m = name ? ms.find((x) => x.name === name) : ms[0];
  assert.ok(m, `model ${name ?? ''} not found; got ${ms.map((x) => x.name).join(', ')}`);
  return m;
}
const rows = (m: ModelSummary) => m.layers.filter((r) => !r.op);

describe('PyTorch-shaped classes: declaration forms', () => {
  it('reads property initializers and constructor assignments alike', () => {
    const a = one(`import * as nn from 'x';
      /** @inputShape [4, 10] */
      class A extends nn.Module { fc = new nn.Linear(10, 20); forward(x) { return this.fc.forward(x); } }`);
    const b = one(`import { nn } from 'x';
      /** @inputShape [4, 10] */
      class B extends nn.Module { constructor() { super(); this.fc = new nn.Linear(10, 20); } forward(x) { return this.fc.forward(x); } }`);
    for (const m of [a, b]) {
      assert.strictEqual(m.totalParams, 10 * 20 + 20);
      assert.deepStrictEqual(m.outputShape, [4, 20]);
    }
  });

  it('recognises extends Module / torch.nn.Module and layers by name from any import', () => {
    const ms = models(`import { Module, Linear } from 'js-pytorch'; import * as torch from 'torch';
      class A extends Module { fc = new Linear(3, 4); forward(x) { return this.fc.call(x); } }
      class B extends torch.nn.Module { fc = new torch.nn.Linear(3, 4, { bias: false }); forward(x) { return this.fc.apply(x); } }`);
    assert.deepStrictEqual(ms.map((m) => [m.name, m.totalParams]), [['A', 16], ['B', 12]]);
  });

  it('binds positional args in PyTorch order and keyword args in snake_case or camelCase', () => {
    const m = one(`/** @inputShape [2, 3, 32, 32] */
      class C extends nn.Module {
        conv = new nn.Conv2d(3, 16, 3, { stride: 2, padding: 1, bias: false });
        convT = new nn.ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 });
        forward(x) { return this.convT.forward(this.conv.forward(x)); }
      }`);
    const [conv, convT] = rows(m);
    assert.strictEqual(conv.params, 3 * 16 * 3 * 3); // no bias
    assert.deepStrictEqual(conv.outputShape, [2, 16, 16, 16]); // floor((32 + 2 - 3) / 2) + 1
    assert.strictEqual(convT.params, 16 * 8 * 3 * 3 + 8);
    assert.deepStrictEqual(convT.outputShape, [2, 8, 32, 32]); // (16 - 1) * 2 - 2 + 3 + 1
  });

  it('evaluates consts, enums, constructor defaults, arithmetic and Math', () => {
    const m = one(`const HIDDEN = 64;
      enum Sizes { In = 8, Out = In * 2 }
      /** @inputShape [1, 8] */
      class V extends nn.Module {
        constructor(scale = 2) {
          super();
          this.a = new nn.Linear(Sizes.In, HIDDEN * scale);
          this.b = new nn.Linear(HIDDEN * scale, Math.floor(Sizes.Out / 3) + Math.max(1, 2));
        }
        forward(x) { return this.b.forward(this.a.forward(x)); }
      }`);
    assert.strictEqual(m.totalParams, 8 * 128 + 128 + (128 * 7 + 7)); // Out = 16, floor(16/3)+2 = 7
    assert.deepStrictEqual(m.outputShape, [1, 7]);
  });

  it('says which value is missing instead of guessing', () => {
    const m = one(`class D extends nn.Module {
        constructor(hiddenSize: number) { super(); this.fc = new nn.Linear(10, hiddenSize); }
        forward(x) { return this.fc.forward(x); } }`);
    assert.strictEqual(m.totalParams, null);
    assert.strictEqual(rows(m)[0].params, null);
    assert.match(rows(m)[0].unknownReason ?? '', /hiddenSize has no value/);
  });

  it('infers the input from the first Linear when there is no @inputShape (up to the batch)', () => {
    const m = one(`class E extends nn.Module { fc = new nn.Linear(128, 4); forward(x) { return this.fc.forward(x); } }`);
    assert.deepStrictEqual(m.inputShape, [null, 128]);
    assert.deepStrictEqual(m.outputShape, [null, 4]);
    assert.match(m.inputShapeSource, /inferred from fc/);
  });

  it('expands nn.Sequential with PyTorch names and nests rows under it', () => {
    const m = one(`/** @inputShape [2, 4] */
      class S extends nn.Module {
        body = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
        forward(x) { return this.body.forward(x); } }`);
    const r = rows(m);
    assert.deepStrictEqual(r.map((x) => [x.name, x.type, x.depth]), [['body', 'Sequential', 1], ['body.0', 'Linear', 2], ['body.1', 'ReLU', 2], ['body.2', 'Linear', 2]]);
    assert.strictEqual(r[0].totalParams, 4 * 8 + 8 + 8 * 2 + 2);
    assert.strictEqual(r[0].params, 0);
  });

  it('iterates nn.ModuleList in forward', () => {
    const m = one(`/** @inputShape [3, 5] */
      class L extends nn.Module {
        layers = new nn.ModuleList([new nn.Linear(5, 5), new nn.Linear(5, 5)]);
        forward(x) { for (const layer of this.layers) { x = layer.forward(x); } return x; } }`);
    // torchinfo's tree: the ModuleList is a row (never called itself) with its children under it.
    assert.deepStrictEqual(rows(m).map((r) => [r.name, r.type, r.depth, r.parent ?? null, !!r.notCalled]), [
      ['layers', 'ModuleList', 1, null, true],
      ['layers.0', 'Linear', 2, 0, false],
      ['layers.1', 'Linear', 2, 0, false],
    ]);
    assert.strictEqual(m.layers[0].totalParams, 2 * (25 + 5));
    assert.strictEqual(m.totalParams, 2 * (25 + 5));
  });

  it('follows nested user modules in the same file and in an imported workspace file', () => {
    const block = `export class Block extends nn.Module {
        constructor(n: number) { super(); this.fc = new nn.Linear(n, n); }
        forward(x) { return this.fc.forward(x).relu(); } }`;
    const main = `import { Block } from './block';
      /** @inputShape [2, 6] */
      class Net extends nn.Module { b1 = new Block(6); b2 = new Block(6); forward(x) { return this.b2.forward(this.b1.forward(x)); } }`;
    const files: Record<string, string> = { '/w/block.ts': block };
    const host: AnalyzerHost = { readFile: (p) => files[path.resolve(p)] };
    const m = models(main, '/w/net.ts', host).find((x) => x.name === 'Net')!;
    const r = rows(m);
    assert.deepStrictEqual(r.map((x) => [x.name, x.type, x.depth, x.container]), [
      ['b1', 'Block', 1, true], ['b1.fc', 'Linear', 2, false], ['b2', 'Block', 1, true], ['b2.fc', 'Linear', 2, false],
    ]);
    assert.strictEqual(r[1].file, '/w/block.ts');
    assert.strictEqual(m.totalParams, 2 * (36 + 6));
  });

  it('treats residual adds and concatenations as graph branches', () => {
    const m = one(`/** @inputShape [2, 8] */
      class R extends nn.Module {
        a = new nn.Linear(8, 8); b = new nn.Linear(8, 4);
        forward(x) { const y = this.a.forward(x); const s = x + y; return torch.cat([s, this.b.forward(s)], 1); } }`);
    const add = m.layers.find((r) => r.op && r.type === 'add')!;
    const cat = m.layers.find((r) => r.op && r.type === 'cat')!;
    assert.strictEqual(add.inputs.length, 2);
    assert.ok(add.inputs.includes(-1), 'the residual reads the model input');
    assert.deepStrictEqual(cat.outputShape, [2, 12]);
    assert.deepStrictEqual(m.outputShape, [2, 12]);
  });

  it('models tensor ops: view, flatten, permute, transpose, squeeze, unsqueeze, mean, select, matmul', () => {
    const m = one(`/** @inputShape [4, 3, 8, 8] */
      class T extends nn.Module {
        forward(x) {
          let y = x.view(x.size(0), -1);           // [4, 192]
          y = y.unsqueeze(1).transpose(1, 2);       // [4, 192, 1]
          y = y.squeeze(2);                         // [4, 192]
          const z = torch.flatten(x, 2).permute(0, 2, 1); // [4, 64, 3]
          const w = z.mean(1);                      // [4, 3]
          const v = z.select(2, 0);                 // [4, 64]
          return torch.matmul(v, v.t().view(64, 4)).sum(1, true); // [4, 4] -> [4, 1]
        } }`);
    const shapes = m.layers.filter((r) => r.op).map((r) => [r.type, r.outputShape]);
    assert.deepStrictEqual(shapes.find((s) => s[0] === 'view'), ['view', [4, 192]]);
    assert.deepStrictEqual(shapes.find((s) => s[0] === 'permute'), ['permute', [4, 64, 3]]);
    assert.deepStrictEqual(shapes.find((s) => s[0] === 'mean'), ['mean', [4, 3]]);
    assert.deepStrictEqual(shapes.find((s) => s[0] === 'select'), ['select', [4, 64]]);
    assert.deepStrictEqual(m.outputShape, [4, 1]);
  });

  it('returns [output, state] from recurrent layers and supports destructuring', () => {
    const m = one(`/** @inputShape [5, 7, 10] */
      class Rn extends nn.Module {
        lstm = new nn.LSTM(10, 20, { batch_first: true });
        forward(x) { const [out, [h, c]] = this.lstm.forward(x); return h; } }`);
    // LSTM params: 4 × (in×h + h×h + 2h) = 4 × (200 + 400 + 40)
    assert.strictEqual(m.totalParams, 4 * (10 * 20 + 20 * 20 + 2 * 20));
    assert.deepStrictEqual(m.outputShape, [1, 5, 20]);
  });

  it('falls back to declaration order without forward, and says so', () => {
    const m = one(`/** @inputShape [1, 4] */
      class N extends nn.Module { a = new nn.Linear(4, 3); b = new nn.Linear(3, 2); }`);
    assert.deepStrictEqual(rows(m).map((r) => r.name), ['a', 'b']);
    assert.deepStrictEqual(m.outputShape, [1, 2]);
    assert.ok(m.diagnostics.some((d) => d.code === 'no-forward' && /declaration order/.test(d.message)));
  });

  it('counts registered-but-unused layers like model.parameters() does', () => {
    const m = one(`/** @inputShape [1, 4] */
      class U extends nn.Module { a = new nn.Linear(4, 4); spare = new nn.Linear(4, 2); forward(x) { return this.a.forward(x); } }`);
    assert.strictEqual(m.totalParams, 20 + 10);
    assert.match(rows(m).find((r) => r.name === 'spare')!.unknownReason ?? '', /not called/);
  });

  it('reports shape mismatches on the layer line with a quick fix', () => {
    const text = `/** @inputShape [64, 128] */
class M extends nn.Module {
  fc1 = new nn.Linear(128, 516);
  relu1 = new nn.ReLU();
  fc2 = new nn.Linear(256, 10);
  forward(x) { return this.fc2.forward(this.relu1.forward(this.fc1.forward(x))); }
}`;
    const m = one(text);
    const d = m.diagnostics.find((x) => x.code === 'shape-mismatch')!;
    assert.strictEqual(d.message, 'fc2 expects 256 input features but receives 516 from relu1');
    assert.strictEqual(d.line, 5);
    assert.ok(d.fix);
    assert.strictEqual(text.slice(d.fix.start, d.fix.end), '256');
    assert.strictEqual(d.fix.text, '516');
  });

  it('counts nn.Parameter fields as the module’s own parameters', () => {
    const m = one(`/** @inputShape [2, 3] */
      class P extends nn.Module { scale = new nn.Parameter(torch.ones(3)); fc = new nn.Linear(3, 3); forward(x) { return this.fc.forward(x) * this.scale; } }`);
    assert.strictEqual(m.totalParams, 3 + 12);
  });
});

describe('TensorFlow.js Layers API: forms', () => {
  it('tf.sequential({layers}) and model.add are the same model', () => {
    const a = one(`const m = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4] }), tf.layers.dense({ units: 2 })] });`);
    const b = one(`function build() { const m = tf.sequential(); m.add(tf.layers.dense({ units: 8, inputShape: [4] })); m.add(tf.layers.dense({ units: 2 })); return m; }`);
    for (const m of [a, b]) {
      assert.strictEqual(m.totalParams, 4 * 8 + 8 + 8 * 2 + 2);
      assert.deepStrictEqual(m.outputShape, [null, 2]);
    }
    assert.strictEqual(b.name, 'build');
  });

  it('reads models in class fields and constructors', () => {
    const ms = models(`class A { readonly model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] }); }
      class B { model: tf.Sequential; constructor() { this.model = tf.sequential(); this.model.add(tf.layers.dense({ units: 1, inputDim: 5 })); } }`);
    assert.deepStrictEqual(ms.map((m) => [m.name, m.totalParams]), [['A', 9], ['B', 6]]);
  });

  it('functional API: several inputs and outputs, merge layers, a reused layer counted once', () => {
    const m = one(`export function twoTower() {
        const a = tf.input({ shape: [6] });
        const b = tf.input({ shape: [6] });
        const shared = tf.layers.dense({ units: 4 });
        const ha = shared.apply(a) as tf.SymbolicTensor;
        const hb = shared.apply(b) as tf.SymbolicTensor;
        const cat = tf.layers.concatenate().apply([ha, hb]) as tf.SymbolicTensor;
        const sum = tf.layers.add().apply([ha, hb]) as tf.SymbolicTensor;
        const o1 = tf.layers.dense({ units: 1 }).apply(cat);
        return tf.model({ inputs: [a, b], outputs: [o1, sum] });
      }`);
    assert.strictEqual(m.kind, 'tfjs-functional');
    assert.strictEqual(m.totalParams, 6 * 4 + 4 + (8 + 1)); // shared dense once
    assert.deepStrictEqual(m.outputShapes, [[null, 1], [null, 4]]);
    assert.deepStrictEqual(m.inputShapes, [[null, 6], [null, 6]]);
    const concat = m.layers.find((r) => r.type === 'Concatenate')!;
    assert.strictEqual(concat.inputs.length, 2);
  });

  it('counts batchNormalization as 4·C with 2·C non-trainable, as tfjs does', () => {
    const m = one(`const m = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3 }), tf.layers.batchNormalization()] });`);
    assert.strictEqual(m.trainableParams, 3 * 4 * 9 + 4 + 2 * 4);
    assert.strictEqual(m.nonTrainableParams, 2 * 4);
  });

  it('reads custom tf.layers.Layer subclasses through build()/addWeight', () => {
    const m = one(`class Scale extends tf.layers.Layer {
        static className = 'Scale';
        build(inputShape) { this.w = this.addWeight('w', [inputShape[inputShape.length - 1], 3], 'float32'); this.b = this.addWeight('b', [3], 'float32', undefined, undefined, false); }
        computeOutputShape(s) { return [s[0], 3]; }
      }
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [2] }), new Scale({})] });`);
    const scale = m.layers.find((r) => r.type === 'Scale')!;
    assert.strictEqual(scale.trainableParams, 15);
    assert.strictEqual(scale.nonTrainableParams, 3);
    assert.deepStrictEqual(m.outputShape, [null, 3]);
  });

  it('uses batchInputShape exactly as tfjs does, and spreads of layer arrays', () => {
    const m = one(`const hidden = [tf.layers.dense({ units: 4 }), tf.layers.dense({ units: 4 })];
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 4, batchInputShape: [32, 4] }), ...hidden] });`);
    assert.deepStrictEqual(m.inputShape, [32, 4]);
    assert.strictEqual(m.totalParams, 3 * 20);
    assert.strictEqual(rows(m).length, 3);
  });

  it('without an inputShape, tfjs sizes are unknown and the model says why', () => {
    const m = one(`const m = tf.sequential({ layers: [tf.layers.dense({ units: 4 })] });`);
    assert.strictEqual(m.totalParams, null);
    assert.ok(m.diagnostics.some((d) => d.code === 'bad-input-shape'));
  });
});

describe('Control flow with no static value: unknown, never a guess', () => {
  it('an `if` in the constructor on a value with none: totals are ?, the layer made there says why', () => {
    const m = one(`/** @inputShape [4, 10] */
      class C extends nn.Module {
        constructor(useNorm: boolean) {
          super();
          this.fc = new nn.Linear(10, 20);
          if (useNorm) this.norm = new nn.LayerNorm(20);
        }
        forward(x) { x = this.fc.forward(x); return this.norm ? this.norm.forward(x) : x; } }`);
    // fc alone has 10·20+20 = 220 parameters, with the LayerNorm 220 + 2·20 = 260: which one is not known.
    assert.strictEqual(m.totalParams, null);
    assert.strictEqual(m.trainableParams, null);
    assert.match(m.totalsUnknownReason ?? '', /`useNorm`, which has no static value/);
    const fc = rows(m).find((r) => r.name === 'fc');
    assert.strictEqual(fc?.params, 220, 'the layers that exist either way keep their exact counts');
    assert.strictEqual(fc?.unknownReason, undefined);
    const w = m.diagnostics.find((d) => d.code === 'unknown-branch');
    assert.ok(w, 'a warning at the condition');
    assert.strictEqual(w.line, 6);
  });

  it('a layer made under the unknown condition says it may not exist', () => {
    const m = one(`/** @inputShape [4, 10] */
      class C2 extends nn.Module {
        constructor(deep: boolean) { super(); this.fc = new nn.Linear(10, 10); if (deep) { this.fc2 = new nn.Linear(10, 10); } }
        forward(x) { return this.fc2.forward(this.fc.forward(x)); } }`);
    const fc2 = rows(m).find((r) => r.name === 'fc2');
    assert.strictEqual(fc2?.params, 110);
    assert.match(fc2?.unknownReason ?? '', /exists only if `deep` is true/);
    assert.strictEqual(m.totalParams, null);
  });

  it('a decidable condition changes nothing: the counts stay exact', () => {
    const m = one(`/** @inputShape [4, 10] */
      class C3 extends nn.Module {
        constructor(useNorm = true) { super(); this.fc = new nn.Linear(10, 20); if (useNorm) this.norm = new nn.LayerNorm(20); }
        forward(x) { return this.norm.forward(this.fc.forward(x)); } }`);
    assert.strictEqual(m.totalParams, 220 + 40);
    assert.strictEqual(m.totalsUnknownReason, undefined);
    assert.ok(!m.diagnostics.some((d) => d.code === 'unknown-branch'));
  });

  it('a constructor loop with an unknown bound: skipped, and the totals are ? rather than too small', () => {
    const m = one(`/** @inputShape [2, 8] */
      class Deep extends nn.Module {
        constructor(depth: number) {
          super();
          const layers = [];
          for (let i = 0; i < depth; i++) layers.push(new nn.Linear(8, 8));
          this.blocks = new nn.ModuleList(layers);
          this.head = new nn.Linear(8, 1);
        }
        forward(x) { for (const b of this.blocks) x = b.forward(x); return this.head.forward(x); } }`);
    assert.strictEqual(m.totalParams, null);
    assert.match(m.totalsUnknownReason ?? '', /loop bound `i < depth` has no static value/);
    assert.strictEqual(rows(m).find((r) => r.name === 'head')?.params, 9);
  });

  it('an `if` in forward on a tensor value: the branch rows say so, the output shape is ?, the totals stay exact', () => {
    const m = one(`/** @inputShape [4, 10] */
      class F extends nn.Module {
        fc = new nn.Linear(10, 20);
        pool = new nn.Linear(20, 5);
        forward(x) { x = this.fc.forward(x); if (x.sum() > 0) { x = this.pool.forward(x); } return x; } }`);
    // PyTorch counts registered modules, called or not: 10·20+20 + 20·5+5 = 325 either way.
    assert.strictEqual(m.totalParams, 325);
    assert.strictEqual(m.outputShape, null);
    assert.match(m.outputUnknownReason ?? '', /`x.sum\(\) > 0`/);
    const pool = rows(m).find((r) => r.name === 'pool');
    assert.match(pool?.unknownReason ?? '', /runs only if `x.sum\(\) > 0` is true/);
    assert.deepStrictEqual(pool?.outputShape, [4, 5], 'the row itself shows what it computes when it runs');
  });

  it('a name assigned under an unknown condition, or in a loop not followed, is ? after it: the next layer\'s shape is not taken from one path', () => {
    // With the flag, conv sees pool's 16×16 and gives [1, 8, 14, 14]; without it 32×32 and [1, 8, 30, 30].
    const branch = one(`/** @inputShape [1, 3, 32, 32] */
      class B extends nn.Module {
        pool = new nn.MaxPool2d(2);
        conv = new nn.Conv2d(3, 8, 3);
        flag = Math.random() > 0.5;
        forward(x) { if (this.flag) { x = this.pool.forward(x); } return this.conv.forward(x); } }`);
    const conv = rows(branch).find((r) => r.name === 'conv')!;
    assert.strictEqual(conv.outputShape, null, 'conv\'s output depends on the branch');
    assert.match(conv.unknownReason ?? '', /`this.flag`, which has no static value/);
    assert.strictEqual(conv.params, 224, 'its parameters do not');
    assert.deepStrictEqual(rows(branch).find((r) => r.name === 'pool')?.outputShape, [1, 3, 16, 16], 'the branch\'s own row still shows what it computes');
    for (const loop of [
      'let n = 0; while (Math.random() > 0.5) { x = this.pool.forward(x); n++; }',
      'for (let i = 0; i < this.depth; i++) x = this.pool.forward(x);',
      'for (const b of this.blocks) x = this.pool.forward(x);',
      'switch (this.mode) { case "a": x = this.pool.forward(x); break; default: break; }',
    ]) {
      const m = one(`/** @inputShape [1, 3, 32, 32] */
        class L extends nn.Module {
          pool = new nn.MaxPool2d(2);
          conv = new nn.Conv2d(3, 8, 3);
          depth = Math.random();
          blocks = globalThis.blocks;
          mode = String(Math.random());
          forward(x) { ${loop} return this.conv.forward(x); } }`);
      assert.strictEqual(rows(m).find((r) => r.name === 'conv')?.outputShape, null, loop);
      assert.strictEqual(m.outputShape, null, loop);
    }
  });

  it('tfjs: a builder that adds a layer under an unknown condition has unknown totals and output', () => {
    const m = one(`import * as tf from '@tensorflow/tfjs';
      export function build(withHead: boolean) {
        const model = tf.sequential();
        model.add(tf.layers.dense({ inputShape: [8], units: 4 }));
        if (withHead) model.add(tf.layers.dense({ units: 2 }));
        return model;
      }`);
    assert.strictEqual(m.totalParams, null);
    assert.strictEqual(m.outputShape, null);
    assert.match(m.totalsUnknownReason ?? '', /`withHead`/);
    const dense = rows(m);
    assert.strictEqual(dense[0].params, 8 * 4 + 4);
    assert.match(dense[1].unknownReason ?? '', /exists only if `withHead` is true/);
  });

  it('tfjs: a custom layer whose build() branches on an unknown value has ? weights, and the other layers keep theirs', () => {
    const m = one(`class Gate extends tf.layers.Layer {
        static className = 'Gate';
        constructor(config) { super(config); this.gated = config.gated; }
        build(inputShape) { this.w = this.addWeight('w', [inputShape[1], 3], 'float32'); if (this.gated) this.g = this.addWeight('g', [3], 'float32'); }
        computeOutputShape(s) { return [s[0], 3]; }
      }
      export function build(opts) { return tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [2] }), new Gate({ gated: opts.gated })] }); }`);
    const gate = m.layers.find((r) => r.type === 'Gate');
    assert.strictEqual(gate?.params, null, 'build() adds 15 or 18 weights: not known');
    assert.match(gate?.unknownReason ?? '', /what build\(\) adds is not known statically/);
    assert.strictEqual(m.layers.find((r) => r.type === 'Dense')?.params, 2 * 5 + 5);
    assert.strictEqual(m.totalParams, null);
  });

  it('a model whose analysis runs out of steps while constructing has ? totals, not the part it reached', () => {
    const text = `/** @inputShape [2, 8] */
      class Big extends nn.Module {
        constructor() { super(); this.a = new nn.Linear(8, 8); this.b = new nn.Linear(8, 8); this.c = new nn.Linear(8, 8); }
        forward(x) { return this.c.forward(this.b.forward(this.a.forward(x))); } }`;
    const full = analyzeSource('/virtual/big.ts', text + ML_EVIDENCE).models[0];
    assert.strictEqual(full.totalParams, 3 * 72, 'with enough steps: exact');
    const cut = analyzeSource('/virtual/big.ts', text + ML_EVIDENCE, { budget: 8 }).models[0];
    assert.ok(cut.diagnostics.some((d) => d.code === 'budget'));
    assert.strictEqual(cut.totalParams, null);
    assert.strictEqual(cut.totalsUnknownReason, 'the analysis stopped after 8 steps');
    assert.strictEqual(cut.outputShape, null);
  });

  it('the printed summaries say why the totals are ?', () => {
    const text = `/** @inputShape [4, 10] */
      class P extends nn.Module {
        constructor(useNorm: boolean) { super(); this.fc = new nn.Linear(10, 20); if (useNorm) this.norm = new nn.LayerNorm(20); }
        forward(x) { return this.fc.forward(x); } }`;
    const m = one(text);
    const seed = formatSeed(m);
    assert.match(seed, /^Total params: \?$/m);
    assert.match(seed, /^ {2}totals: it depends on `useNorm`, which has no static value$/m);
    assert.match(modelLensTitle(m), /^\? params — it depends on `useNorm`/);
    const json = modelJson(m);
    assert.strictEqual(json.totalParams, null);
    assert.match(String(json.totalsUnknownReason), /`useNorm`/);
    assert.strictEqual(json.outputUnknownReason, null);
  });
});

describe('An input shape that is unknown', () => {
  // A layer kind ModelLens does not know: what follows it has no input shape it can know.
  const SRC = `import * as tf from '@tensorflow/tfjs';
export function buildAfterUnknown() {
  const x = tf.input({ shape: [11, 1] });
  const c = tf.layers.conv1d({ filters: 2, kernelSize: 3 }).apply(x);
  const u = tf.layers.somethingCustom({}).apply(c);
  const p = tf.layers.averagePooling1d({ poolSize: 2 }).apply(u);
  const g = tf.layers.globalMaxPooling1d({}).apply(p);
  const e = tf.layers.embedding({ inputDim: 20, outputDim: 3 }).apply(g);
  const d = tf.layers.dense({ units: 4 }).apply(e);
  return tf.model({ inputs: x, outputs: d });
}`;

  it('is null in the rows and the JSON, never [] (the shape of a scalar)', () => {
    const m = one(SRC);
    const pool = m.layers.find((r) => r.type === 'AveragePooling1D')!;
    assert.deepStrictEqual(pool.inputShapes, [null]);
    assert.strictEqual(pool.outputShape, null);
    assert.deepStrictEqual(m.outputShapes, [null]);
    const json = modelJson(m) as { outputShapes: unknown; layers: { type: string; inputShapes: unknown }[] };
    assert.deepStrictEqual(json.layers.find((l) => l.type === 'AveragePooling1D')!.inputShapes, [null]);
    assert.deepStrictEqual(json.outputShapes, [null]);
  });

  it('still counts weights that do not depend on it, as tfjs builds them', () => {
    const m = one(SRC);
    const byType = (t: string) => m.layers.find((r) => r.type === t)!;
    // The same layers in real tfjs, each built for a concrete input: their counts cannot depend on it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require('@tensorflow/tfjs');
    tf.enableProdMode();
    const real = (layer: { apply(x: unknown): unknown; countParams(): number }, shape: number[]) => (layer.apply(tf.input({ shape })), layer.countParams());
    assert.strictEqual(byType('AveragePooling1D').params, real(tf.layers.averagePooling1d({ poolSize: 2 }), [9, 2]));
    assert.strictEqual(byType('GlobalMaxPooling1D').params, real(tf.layers.globalMaxPooling1d({}), [4, 2]));
    assert.strictEqual(byType('Embedding').params, real(tf.layers.embedding({ inputDim: 20, outputDim: 3 }), [2]));
    // dense's kernel needs the input's last dimension: unknown, and so are the totals.
    assert.strictEqual(byType('Dense').params, null);
    assert.strictEqual(m.totalParams, null);
  });
});

describe('Layers tfjs builds but cannot run', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs');
  tf.enableProdMode();
  const analyzed = (layer: string, shape: string) =>
    one(`import * as tf from '@tensorflow/tfjs';
export function build() {
  const x = tf.input({ shape: ${shape} });
  return tf.model({ inputs: x, outputs: ${layer}.apply(x) });
}`);
  for (const [layer, make, shape, message] of [
    ["tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2 })", () => tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2 }), [11, 1], /padding 'causal'.*predict\(\) throws/],
    ['tf.layers.softmax({})', () => tf.layers.softmax({}), [4, 6], /softmax runs only along the last axis, not axis 1 of a 3-d input/],
  ] as const) {
    it(`${layer}: the shape and weights tfjs's summary shows, and a warning that predict() fails`, () => {
      const m = analyzed(layer, JSON.stringify(shape));
      const row = m.layers.find((r) => r.family !== 'input')!;
      const l = make();
      const y = l.apply(tf.input({ shape }));
      assert.deepStrictEqual(row.outputShape, y.shape);
      assert.strictEqual(row.params, l.countParams());
      const warning = m.diagnostics.find((d) => d.code === 'cannot-run');
      assert.ok(warning && warning.severity === 'warning' && message.test(warning.message), JSON.stringify(m.diagnostics));
      // And tfjs does fail when it runs.
      assert.throws(() => l.apply(tf.zeros([1, ...shape])));
    });
  }
  it('no warning where tfjs runs it (softmax along the last axis)', () => {
    assert.deepStrictEqual(analyzed('tf.layers.softmax({ axis: -1 })', '[4, 6]').diagnostics, []);
    assert.deepStrictEqual(analyzed('tf.layers.softmax({})', '[6]').diagnostics, []);
  });
});

describe('Composite PyTorch layers (TransformerEncoder[Layer]) run as PyTorch’s own modules', () => {
  const model = (encoder: string, input = '[2, 5, 16]') => `import { nn, Tensor } from 'js-pytorch';
/** @inputShape ${input} */
export class Enc extends nn.Module {
  encoder: nn.TransformerEncoder;
  constructor() {
    super();
    const layer = new nn.TransformerEncoderLayer(16, 4, { dim_feedforward: 32, batch_first: true });
    this.encoder = ${encoder};
  }
  forward(x: Tensor): Tensor {
    return this.encoder.forward(x);
  }
}`;

  it('a shape problem inside a copy is reported at the user’s layer, naming the submodule', () => {
    const m = one(model('new nn.TransformerEncoder(layer, 2)', '[2, 5, 12]'));
    const errors = m.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.length > 0);
    for (const d of errors) {
      assert.strictEqual(d.line, 7, d.message); // the `new nn.TransformerEncoderLayer(…)` line
      assert.match(d.message, /^encoder\.layers\.0\.(self_attn|norm)/);
    }
    assert.match(errors[0].message, /expects 16 .*but receives 12/);
  });

  it('an encoder deeper than a summary can show stays one row, with the catalog’s count', () => {
    const deep = one(model('new nn.TransformerEncoder(layer, 65)'));
    const shallow = one(model('new nn.TransformerEncoder(layer, 64)'));
    const row = deep.layers.find((r) => r.name === 'encoder')!;
    assert.strictEqual(row.container, false);
    assert.strictEqual(deep.layers.length, 1);
    assert.ok(shallow.layers.find((r) => r.name === 'encoder')!.container);
    // 65 copies hold 65/64 of what 64 expanded copies hold, row by row.
    assert.strictEqual(deep.totalParams, (shallow.totalParams! / 64) * 65);
    assert.deepStrictEqual(deep.outputShape, [2, 5, 16]);
  });

  it('MultiheadAttention’s call options shape its outputs; an unknown one leaves them unknown', () => {
    const attend = (options: string) =>
      one(`import { nn, Tensor } from 'js-pytorch';
/** @inputShape [2, 5, 16] */
export class Attend extends nn.Module {
  mha = new nn.MultiheadAttention(16, 4, { batch_first: true });
  forward(x: Tensor, flag: boolean): Tensor {
    const [y] = this.mha.forward(x, x, x, ${options});
    return y;
  }
}`).layers[0];
    // PyTorch: (attn_output, weights averaged over heads) by default; per head with
    // average_attn_weights=False; (attn_output, None) with need_weights=False.
    assert.deepStrictEqual(attend('{}').outputShapes, [[2, 5, 16], [2, 5, 5]]);
    assert.deepStrictEqual(attend('{ averageAttnWeights: false }').outputShapes, [[2, 5, 16], [2, 4, 5, 5]]);
    assert.deepStrictEqual(attend('{ need_weights: false }').outputShapes, [[2, 5, 16]]);
    const unknown = attend('{ need_weights: flag }');
    assert.strictEqual(unknown.outputShape, null);
    assert.match(unknown.unknownReason ?? '', /need_weights/);
  });

  it('an encoder first in the model still fixes the input it implies when none is declared', () => {
    const m = one(model('new nn.TransformerEncoder(layer, 2)').replace(/\/\*\* @inputShape [^*]*\*\/\n/, ''));
    assert.strictEqual(m.inputShapeSource, 'inferred from encoder');
    assert.deepStrictEqual(m.inputShape, [null, null, 16]);
    assert.deepStrictEqual(m.outputShape, [null, null, 16]);
    assert.ok(m.layers.find((r) => r.name === 'encoder')!.container);
  });

  it('copies of the encoder layer get copies of a module activation, as copy.deepcopy makes them', () => {
    const m = one(model('new nn.TransformerEncoder(new nn.TransformerEncoderLayer(16, 4, { batch_first: true, activation: new nn.PReLU() }), 2)'));
    const acts = m.layers.filter((r) => r.type === 'PReLU');
    assert.deepStrictEqual(acts.map((r) => [r.name, !!r.reused, r.params]), [
      ['encoder.layers.0.activation', false, 1],
      ['encoder.layers.1.activation', false, 1],
    ]);
  });

  it('the same layer called twice is one set of submodules, counted once', () => {
    const m = one(`import { nn, Tensor } from 'js-pytorch';
/** @inputShape [2, 5, 16] */
export class Twice extends nn.Module {
  block = new nn.TransformerEncoderLayer(16, 4, { dim_feedforward: 32, batch_first: true });
  forward(x: Tensor): Tensor {
    return this.block.forward(this.block.forward(x));
  }
}`);
    const blocks = m.layers.filter((r) => r.name === 'block');
    assert.strictEqual(blocks.length, 2);
    assert.deepStrictEqual(blocks.map((r) => !!r.reused), [false, true]);
    assert.strictEqual(m.totalParams, blocks[0].totalParams);
  });
});

describe('Unknown outputs of a multi-output layer', () => {
  it('destructured parts carry the root cause, not "not a list"', () => {
    const m = one(`import { nn, Tensor } from 'js-pytorch';
/** @inputShape [2, 5, 18] */
export class BadRnn extends nn.Module {
  rnn = new nn.GRU(3, 7, { batch_first: true });
  head = new nn.Linear(7, 2);
  forward(x: Tensor): Tensor {
    const [out, h] = this.rnn.forward(x);
    return this.head.forward(out);
  }
}`);
    const head = m.layers.find((r) => r.name === 'head')!;
    assert.strictEqual(head.outputShape, null);
    assert.match(head.unknownReason ?? '', /rnn expects 3 input features but receives 18/);
  });
});

describe('A tf.sequential applied as a layer of another model', () => {
  const SRC = (encoder: string) => `import * as tf from '@tensorflow/tfjs';
export function build() {
  const encoder = tf.sequential({ layers: [${encoder}] });
  const a = tf.input({ shape: [8] });
  const b = tf.input({ shape: [8] });
  const ea = encoder.apply(a) as tf.SymbolicTensor;
  const eb = encoder.apply(b) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2 }).apply(tf.layers.concatenate().apply([ea, eb])) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: out });
}`;

  // The same model in real tfjs: its countParams() and the nested model's row.
  function real(encoderLayers: () => unknown[]): { total: number; nested: number; shape: (number | null)[] } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require('@tensorflow/tfjs');
    tf.enableProdMode();
    const encoder = tf.sequential({ layers: encoderLayers() });
    const a = tf.input({ shape: [8] });
    const b = tf.input({ shape: [8] });
    const ea = encoder.apply(a);
    const eb = encoder.apply(b);
    const out = tf.layers.dense({ units: 2 }).apply(tf.layers.concatenate().apply([ea, eb]));
    const m = tf.model({ inputs: [a, b], outputs: out });
    return { total: m.countParams(), nested: encoder.countParams(), shape: ea.shape };
  }

  it('one row with all its weights, counted once for two applications', () => {
    const t = real(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const tf = require('@tensorflow/tfjs');
      return [tf.layers.dense({ inputShape: [8], units: 4 }), tf.layers.batchNormalization({})];
    });
    const m = models(SRC('tf.layers.dense({ inputShape: [8], units: 4 }), tf.layers.batchNormalization({})')).find((x) => x.kind === 'tfjs-functional')!;
    const rows = m.layers.filter((r) => r.type === 'Sequential');
    assert.strictEqual(rows.length, 2);
    assert.deepStrictEqual(rows.map((r) => !!r.reused), [false, true]);
    assert.strictEqual(rows[0].params, t.nested);
    assert.deepStrictEqual(rows[0].outputShape, t.shape);
    assert.strictEqual(m.totalParams, t.total);
    // The forward pass does not rebuild nested models: it says so instead of calling it custom code.
    assert.throws(() => planFromSummary(m), (e: unknown) => e instanceof ForwardPassError && /a model applied as a layer of another is not rebuilt/.test(e.message));
  });

  it('without a declared input shape tfjs refuses to apply it, and so does ModelLens, saying why', () => {
    assert.throws(() =>
      real(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const tf = require('@tensorflow/tfjs');
        return [tf.layers.dense({ units: 4 })];
      }),
      /must get an `inputShape`/,
    );
    const m = models(SRC('tf.layers.dense({ units: 4 })')).find((x) => x.kind === 'tfjs-functional')!;
    const row = m.layers.find((r) => r.type === 'Sequential')!;
    assert.strictEqual(row.params, null);
    assert.match(row.unknownReason ?? '', /needs an inputShape/);
    assert.ok(m.diagnostics.some((d) => d.severity === 'error' && /cannot apply sequential_1 as a layer/.test(d.message)));
    assert.strictEqual(m.totalParams, null);
  });

  it('the sequential’s own summary still sees its layers first-called', () => {
    const enc = models(SRC("tf.layers.dense({ inputShape: [8], units: 4 })")).find((x) => x.kind === 'tfjs-sequential')!;
    assert.deepStrictEqual(enc.layers.map((r) => !!r.reused), [false]);
    assert.strictEqual(enc.totalParams, 36);
  });

  it('an input that does not fit its declared shape is a diagnostic', () => {
    const m = models(SRC("tf.layers.dense({ inputShape: [5], units: 4 })")).find((x) => x.kind === 'tfjs-functional')!;
    assert.match(m.diagnostics.map((d) => d.message).join('\n'), /sequential_1 expects input \[null, 5\] but receives \[null, 8\]/);
    assert.strictEqual(m.layers.find((r) => r.type === 'Sequential')!.outputShape, null);
  });
});

describe('Calling what a field or variable holds', () => {
  it('this.act(x) with a layer, F.gelu or an arrow in the field; const act = F.relu; act(x)', () => {
    const m = one(`import { nn, Tensor } from 'js-pytorch';
import * as F from 'js-pytorch/functional';
/** @inputShape [3, 8] */
export class Holders extends nn.Module {
  fc = new nn.Linear(8, 4);
  act1 = new nn.Tanh();
  act2 = F.gelu;
  act3 = (t: Tensor) => F.relu(t);
  forward(x: Tensor): Tensor {
    const act = F.relu;
    return act(this.act3(this.act2(this.act1(this.fc.forward(x)))));
  }
}`);
    assert.deepStrictEqual(m.diagnostics.filter((d) => d.severity !== 'info'), []);
    assert.deepStrictEqual(m.layers.map((r) => r.type), ['Linear', 'Tanh', 'gelu', 'relu', 'relu']);
    assert.deepStrictEqual(m.outputShape, [3, 4]);
  });
});

describe('Broadcasting with unknown dimensions', () => {
  it('an unknown dim stays unknown (it was read as 1), a known one wins, a missing leading one is 1', () => {
    assert.deepStrictEqual(broadcast([null, 64], [null, 64]), [null, 64]);
    assert.deepStrictEqual(broadcast([null, 3], [1, 3]), [null, 3]);
    assert.deepStrictEqual(broadcast([1, null], [5, 1]), [5, null]);
    assert.deepStrictEqual(broadcast([null], [2, 4]), [2, 4]);
    assert.deepStrictEqual(broadcast([7, 1, 3], [4, 3]), [7, 4, 3]);
    assert.throws(() => broadcast([2, 3], [4, 3]), /cannot broadcast/);
  });

  it('a residual add in a model whose batch is unknown keeps the batch unknown', () => {
    const m = one(`import { nn, Tensor } from 'js-pytorch';
export class Res extends nn.Module {
  fc1 = new nn.Linear(32, 64);
  fc2 = new nn.Linear(64, 64);
  forward(x: Tensor): Tensor {
    const h = this.fc1.forward(x);
    return h.add(this.fc2.forward(h));
  }
}`);
    assert.strictEqual(m.inputShapeSource, 'inferred from fc1');
    assert.deepStrictEqual(m.outputShape, [null, 64]);
  });
});

describe('matmul batch dimensions broadcast like PyTorch', () => {
  const mm = (shape: string) =>
    one(`import { nn, torch, Tensor } from 'js-pytorch';
/** @inputShape ${shape} */
export class Mm extends nn.Module {
  proj = new nn.Linear(8, 4);
  forward(x: Tensor): Tensor {
    return torch.matmul(x.transpose(1, 2), this.proj.forward(x));
  }
}`);
  it('an unknown batch stays unknown', () => {
    // torch.matmul(x.transpose(1, 2), proj(x)) for x: (N, 5, 8) → (N, 8, 4).
    assert.deepStrictEqual(mm('[null, 5, 8]').outputShape, [null, 8, 4]);
    assert.deepStrictEqual(mm('[3, 5, 8]').outputShape, [3, 8, 4]);
  });
});

describe('More PyTorch forms: container indexing, named Sequential children, super calls', () => {
  const SRC = `import { nn, Tensor } from 'js-pytorch';
import * as F from 'js-pytorch/functional';
class Base extends nn.Module {
  forward(x: Tensor): Tensor {
    return F.relu(x);
  }
}
/** @inputShape [4, 16] */
export class Net extends Base {
  blocks = new nn.ModuleList([new nn.Linear(16, 32), new nn.Linear(32, 8)]);
  head = new nn.Sequential({ proj: new nn.Linear(8, 3), act: new nn.Tanh() });
  forward(x: Tensor): Tensor {
    for (let i = 0; i < this.blocks.length; i++) x = super.forward(this.blocks[i].forward(x));
    const width = this.blocks[-1].out_features;
    return this.head.forward(x.reshape(-1, width));
  }
}`;

  it('len(self.blocks) and self.blocks[i] (negative too) reach the children; super.forward runs the base forward', () => {
    const m = one(SRC, 'Net');
    assert.deepStrictEqual(m.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message), []);
    const calls = m.layers.filter((r) => !r.op && !r.container).map((r) => r.name);
    assert.deepStrictEqual(calls, ['blocks.0', 'blocks.1', 'head.proj', 'head.act']);
    // super.forward is F.relu: an op row after each block of the loop.
    assert.deepStrictEqual(m.layers.filter((r) => r.op).map((r) => r.type).slice(0, 2), ['relu', 'relu']);
  });

  it('an object of named children is nn.Sequential(OrderedDict(…)): rows named by their keys', () => {
    const m = one(SRC, 'Net');
    assert.deepStrictEqual(m.layers.filter((r) => r.name.startsWith('head.')).map((r) => [r.name, r.type]), [['head.proj', 'Linear'], ['head.act', 'Tanh']]);
    assert.deepStrictEqual(m.outputShape, [4, 3]);
    // 16·32+32 + 32·8+8 + 8·3+3
    assert.strictEqual(m.totalParams, 16 * 32 + 32 + 32 * 8 + 8 + 8 * 3 + 3);
  });
});

describe('Layers forward() never calls', () => {
  const m = () =>
    one(`import { nn, Tensor } from 'js-pytorch';
/** @inputShape [4, 16] */
export class Idle extends nn.Module {
  seq = new nn.Sequential(new nn.Linear(16, 8), new nn.ReLU());
  spare = new nn.ModuleList([new nn.Linear(8, 8), new nn.Linear(8, 2)]);
  unused = new nn.Linear(3, 3);
  forward(x: Tensor): Tensor {
    return this.seq.forward(x);
  }
}`);

  it('are listed under their own container (torchinfo’s tree), counted in the totals as parameters() counts them', () => {
    const rows = m().layers.filter((r) => r.notCalled);
    assert.deepStrictEqual(rows.map((r) => [r.name, r.type, r.depth, r.container]), [
      ['spare', 'ModuleList', 1, true],
      ['spare.0', 'Linear', 2, false],
      ['spare.1', 'Linear', 2, false],
      ['unused', 'Linear', 1, false],
    ]);
    const spare = rows[0];
    assert.deepStrictEqual([rows[1].parent, rows[2].parent], [spare.id, spare.id]);
    assert.strictEqual(spare.totalParams, 8 * 8 + 8 + 8 * 2 + 2);
    assert.strictEqual(m().totalParams, 16 * 8 + 8 + spare.totalParams! + 3 * 3 + 3);
  });

  it('make no activations and cost no mult-adds: the totals stay known', () => {
    const s = m();
    assert.strictEqual(s.multAdds, s.layers.find((r) => r.name === 'seq.0')!.multAdds); // only the layer that runs
    assert.notStrictEqual(s.activationBytes, null);
    assert.match(formatSummary(s, 'torchinfo'), /├─ModuleList: 1-2 +-- +-- +-- +--/);
  });
});

describe('Custom tf.layers.Layer subclasses take every constructor argument', () => {
  it('new Gated(3, false) builds without its bias, as tfjs does', () => {
    const body = `
  constructor(units, useBias = true) {
    super({});
    this.units = units;
    this.useBias = useBias;
  }
  build(inputShape) {
    const d = inputShape[inputShape.length - 1];
    this.addWeight('kernel', [d, this.units * 2], 'float32', tf.initializers.zeros());
    if (this.useBias) this.addWeight('bias', [this.units * 2], 'float32', tf.initializers.zeros());
    this.addWeight('scale', [1], 'float32', tf.initializers.ones(), undefined, false);
  }
  computeOutputShape(s) {
    return [...s.slice(0, -1), this.units];
  }`;
    const m = one(`import * as tf from '@tensorflow/tfjs';
class Gated extends tf.layers.Layer {
  static className = 'Gated';${body}
}
export function build() {
  const x = tf.input({ shape: [10, 6] });
  const h = new Gated(3, false).apply(new Gated(4).apply(x));
  return tf.model({ inputs: x, outputs: h });
}`);
    // The same class in real tfjs.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require('@tensorflow/tfjs');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const Gated = new Function('tf', `return class Gated extends tf.layers.Layer {${body}\n  static get className() { return 'Gated'; }\n}`)(tf);
    const x = tf.input({ shape: [10, 6] });
    const a = new Gated(4);
    const b = new Gated(3, false);
    const y = b.apply(a.apply(x));
    const rows = m.layers.filter((r) => r.type === 'Gated');
    const size = (ws: { shape: number[] }[]) => ws.reduce((n, w) => n + w.shape.reduce((p, d) => p * d, 1), 0);
    assert.deepStrictEqual(rows.map((r) => [r.trainableParams, r.nonTrainableParams]), [a, b].map((l) => [size(l.trainableWeights), size(l.nonTrainableWeights)]));
    assert.deepStrictEqual(rows[1].outputShape, y.shape);
  });
});

describe('What tfjs’s addWeight rejects when build() runs', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs');
  const cases: [string, string, RegExp][] = [
    ['no initializer', "this.addWeight('w', [d, 4], 'float32');", /addWeight\('w'\) has no initializer/],
    ['a repeated name', "this.addWeight('w', [d, 4], 'float32', tf.initializers.zeros()); this.addWeight('w', [4], 'float32', tf.initializers.zeros());", /addWeight\('w'\) repeats a weight name/],
  ];
  for (const [what, build, message] of cases) {
    it(`${what}: an error, and real tfjs does throw`, () => {
      const body = `
  build(inputShape) {
    const d = inputShape[inputShape.length - 1];
    ${build}
  }
  computeOutputShape(s) {
    return [s[0], 4];
  }`;
      const m = one(`import * as tf from '@tensorflow/tfjs';
class Bad extends tf.layers.Layer {
  static className = 'Bad';${body}
}
export function build() {
  const x = tf.input({ shape: [6] });
  return tf.model({ inputs: x, outputs: new Bad({}).apply(x) });
}`);
      assert.ok(m.diagnostics.some((d) => d.severity === 'error' && message.test(d.message)), JSON.stringify(m.diagnostics));
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      const Bad = new Function('tf', `return class Bad extends tf.layers.Layer {${body}\n  static get className() { return 'Bad'; }\n}`)(tf);
      assert.throws(() => new Bad({}).apply(tf.input({ shape: [6] })));
    });
  }
});
