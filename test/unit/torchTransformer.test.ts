import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { analyzeSource } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';
import type { TorchModel } from '../fixtures/examples/torchTruth';

/**
 * nn.Transformer run as PyTorch's own module (its prelude transcription): a translation model
 * written the way the PyTorch tutorial writes it (test/fixtures/torch/transformer.ts) against the
 * same model in real PyTorch, described at test time by transformer_truth.py (forward hooks).
 * Totals, every call in PyTorch's order with its output shape, every registered module under its
 * real name, MultiheadAttention's out_proj (a module PyTorch registers but never calls) included.
 */

const ROOT = path.resolve(__dirname, '../../..');
const TS_FILE = path.join(ROOT, 'test/fixtures/torch/transformer.ts');
/** The truth script's own Python model, read by the Python front end (its input given as the TS port's tag gives it). */
const PY_FILE = path.join(ROOT, 'test/fixtures/torch/transformer_truth.py');

for (const [language, FILE] of [['TypeScript', TS_FILE], ['Python', PY_FILE]] as const) {
  describe(`nn.Transformer (${language}): rows in PyTorch’s call order, counts as real PyTorch`, function () {
    this.timeout(120_000);
    let t: TorchModel;
    let m: ModelSummary;

    before(() => {
      const r = spawnSync('/usr/bin/python3', [PY_FILE], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
      assert.strictEqual(r.status, 0, `transformer_truth.py failed (is python3-torch installed?):\n${r.stderr}`);
      t = JSON.parse(r.stdout) as TorchModel;
      const options = language === 'Python' ? { inputShapes: [t.inputShape] } : {};
      const found = analyzeSource(FILE, fs.readFileSync(FILE, 'utf8'), options).models.find((x) => x.name === 'TranslationTransformer');
      assert.ok(found, 'TranslationTransformer not found');
      m = found;
    });

    it('totals, trainable split and output shape are PyTorch’s', () => {
      assert.deepStrictEqual(m.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.strictEqual(m.totalParams, t.totalParams);
      assert.strictEqual(m.trainableParams, t.trainableParams);
      assert.deepStrictEqual(m.inputShape, t.inputShape);
      assert.deepStrictEqual(m.outputShape, t.outputShape);
    });

    it('every call in PyTorch’s order (encoder stack, its norm, then the decoder stack, its norm), each with its real output shape', () => {
      const called = m.layers.filter((r) => !r.op && !r.notCalled);
      assert.deepStrictEqual(
        called.map((r) => r.name),
        t.callOrder,
      );
      const seen = new Map<string, number>();
      for (const r of called) {
        const k = seen.get(r.name) ?? 0;
        seen.set(r.name, k + 1);
        const real = t.rows.filter((x) => x.name === r.name)[k];
        assert.deepStrictEqual(r.outputShape, real.outputShape, `${r.name} output shape (call ${k + 1})`);
      }
      // The structure the issue names: two encoder layers, three decoder layers, each stack's final LayerNorm.
      assert.ok(called.some((r) => r.name === 'transformer.encoder.norm' && r.type === 'LayerNorm'));
      assert.ok(called.some((r) => r.name === 'transformer.decoder.layers.2.multihead_attn'));
      assert.ok(called.some((r) => r.name === 'transformer.decoder.norm' && r.type === 'LayerNorm'));
    });

    it('every registered module is a row with its real type and parameters (MultiheadAttention’s out_proj too)', () => {
      const rows = m.layers.filter((r) => !r.op);
      const outProj = t.modules.filter((x) => x.className === 'NonDynamicallyQuantizableLinear');
      assert.ok(outProj.length > 0, 'the truth lists the attentions’ out_proj');
      for (const mod of t.modules) {
        const r = rows.find((x) => x.name === mod.name);
        assert.ok(r, `${mod.name}: no row`);
        assert.strictEqual(r.type, mod.className, `${mod.name} type`);
        // A leaf row holds its own parameters (a MultiheadAttention's in_proj; its out_proj is its
        // own row, never called: `--`); a container row holds its own and shows its total.
        if (!r.container) assert.strictEqual(r.params, mod.params, `${mod.name} params`);
        else assert.strictEqual(r.totalParams ?? r.params, mod.totalParams, `${mod.name} total params`);
      }
      for (const o of outProj) {
        const r = rows.find((x) => x.name === o.name)!;
        assert.ok(r.notCalled && r.outputShape === null, `${o.name} is listed as never called`);
        assert.strictEqual(rows.find((x) => x.id === r.parent)?.name, o.name.slice(0, o.name.lastIndexOf('.')), `${o.name} sits under its attention`);
      }
      for (const r of rows) assert.ok(t.modules.some((x) => x.name === r.name), `${r.name}: no such module in PyTorch`);
    });
  });
}
