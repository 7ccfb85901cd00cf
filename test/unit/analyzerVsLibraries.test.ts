import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import type { LayerRow, ModelSummary } from '../../src/core/summary';
import { repoRoot, tfjsTruth, TfjsModelTruth } from '../fixtures/examples/tfjs-truth';
import { torchTruth } from '../fixtures/examples/torchTruth';

/**
 * The strongest check of the analyzer: for every example model, what it reads statically must
 * equal what the real library reports when the equivalent model is built and run. PyTorch truth
 * comes from test/fixtures/examples/generate_torch.py (real PyTorch, forward hooks); tfjs truth
 * is built at test time by running the tfjs examples with real TensorFlow.js.
 */

const ROOT = repoRoot();
const EXAMPLES = path.join(ROOT, 'examples');

const torchModels = torchTruth();

function analyze(file: string): ModelSummary[] {
  const full = path.join(EXAMPLES, file);
  return analyzeSource(full, fs.readFileSync(full, 'utf8')).models;
}

function modelFor(file: string, name: string): ModelSummary {
  const models = analyze(file);
  const m = models.find((x) => x.name === name) ?? (models.length === 1 ? models[0] : undefined);
  assert.ok(m, `no model ${name} in ${file} (found ${models.map((x) => x.name).join(', ')})`);
  return m;
}

/** Our rows that correspond to real module calls (not ops, not modules that were never called). */
function calledRows(m: ModelSummary): LayerRow[] {
  return m.layers.filter((r) => !r.op && !r.notCalled);
}

describe('analyzer vs real PyTorch (examples)', () => {
  for (const [key, truth] of Object.entries(torchModels)) {
    const [file, cls] = key.split('#');
    describe(key, () => {
      const m = modelFor(file, cls);

      it('has no error diagnostics', () => {
        assert.deepStrictEqual(m.diagnostics.filter((d) => d.severity === 'error'), []);
      });

      it('totals equal model.parameters()', () => {
        assert.strictEqual(m.totalParams, truth.totalParams);
        assert.strictEqual(m.trainableParams, truth.trainableParams);
        assert.strictEqual(m.nonTrainableParams, truth.nonTrainableParams);
      });

      it('input and output shapes equal the real forward pass', () => {
        assert.deepStrictEqual(m.inputShape, truth.inputShape);
        assert.deepStrictEqual(m.outputShape, truth.outputShape);
      });

      it('the rows form PyTorch’s module tree: each one a real module, under its real parent', () => {
        for (const r of m.layers.filter((x) => !x.op)) {
          const real = truth.modules.find((x) => x.name === r.name);
          assert.ok(real, `${r.name}: no such module in PyTorch`);
          assert.strictEqual(r.type, real.className, `${r.name} type`);
          const parent = r.name.includes('.') ? r.name.slice(0, r.name.lastIndexOf('.')) : undefined;
          assert.strictEqual(r.parent === undefined ? undefined : m.layers[r.parent].name, parent, `${r.name} parent`);
        }
        // …and every module PyTorch registers has its row (a MultiheadAttention's out_proj too).
        for (const real of truth.modules) {
          if (real.name === '') continue;
          assert.ok(m.layers.some((r) => !r.op && r.name === real.name), `${real.name} (${real.className}): no row`);
        }
      });

      it('every called layer has the real type, own params and output shape, in call order', () => {
        const ours = calledRows(m);
        assert.deepStrictEqual(ours.map((r) => r.name), truth.callOrder, 'call order');
        // Hook rows are post-order; match each of ours to the same name's k-th occurrence.
        const seen = new Map<string, number>();
        for (const r of ours) {
          const k = seen.get(r.name) ?? 0;
          seen.set(r.name, k + 1);
          const t = truth.rows.filter((x) => x.name === r.name)[k];
          assert.ok(t, `${r.name}: no real row`);
          assert.strictEqual(r.type, t.className, `${r.name} type`);
          // A MultiheadAttention's row holds its own parameters; its out_proj, never called, is a row of its own.
          assert.strictEqual(r.params, t.params, `${r.name} own params`);
          if (r.outputShapes && t.outputShapes) assert.deepStrictEqual(r.outputShapes, t.outputShapes, `${r.name} outputs`);
          else assert.deepStrictEqual(r.outputShape, t.outputShape, `${r.name} output shape`);
        }
      });
    });
  }
});

describe('analyzer vs real TensorFlow.js (examples)', function () {
  this.timeout(180_000);
  let truth: Record<string, TfjsModelTruth>;
  before(async () => {
    truth = await tfjsTruth();
  });

  const keys = [
    'simple-mlp.tfjs.ts#SimpleMLP',
    'cnn.tfjs.ts#buildCnn',
    'text-lstm.tfjs.ts#buildTextLstm',
    'text-lstm.tfjs.ts#buildTextGru',
    'functional.tfjs.ts#buildTwoTower',
    'resnet.tfjs.ts#buildResNet',
    'embedding.tfjs.ts#sentimentModel',
    'custom-layer.tfjs.ts#buildWithCustomLayer',
  ];
  for (const key of keys) {
    it(key, () => {
      const t = truth[key];
      assert.ok(t, `no truth for ${key}`);
      const [file, name] = key.split('#');
      const m = modelFor(file, name);
      assert.deepStrictEqual(m.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.strictEqual(m.totalParams, t.totalParams, 'total params (countParams)');
      assert.strictEqual(m.trainableParams, t.trainableParams, 'trainable');
      assert.strictEqual(m.nonTrainableParams, t.nonTrainableParams, 'non-trainable');
      assert.deepStrictEqual(m.inputShapes, t.inputShapes, 'input shapes');
      assert.deepStrictEqual(m.outputShapes, t.outputShapes, 'output shapes');
      // Same layers with the same tfjs names, classes, counts and shapes (tfjs orders functional layers by depth).
      const ours = m.layers.filter((r) => !r.op && !r.reused);
      assert.deepStrictEqual(ours.map((r) => r.name).sort(), t.layers.map((l) => l.name).sort(), 'layer names');
      for (const l of t.layers) {
        const r = ours.find((x) => x.name === l.name)!;
        assert.strictEqual(r.type, l.className, `${l.name} class`);
        assert.strictEqual(r.trainableParams, l.trainable, `${l.name} trainable`);
        assert.strictEqual(r.nonTrainableParams, l.nonTrainable, `${l.name} non-trainable`);
        if (l.outputShape !== null) {
          const outs = r.outputShapes ?? r.outputShape;
          assert.deepStrictEqual(outs, l.outputShape, `${l.name} output shape`);
        }
      }
      if (t.modelClass === 'Sequential') assert.deepStrictEqual(ours.map((r) => r.name), t.layers.map((l) => l.name), 'sequential order');
    });
  }
});
