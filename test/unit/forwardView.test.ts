/**
 * The forward pass as the summary panel and the Problems panel show it (src/extension/forwardView.ts
 * through panelModel): a real pass of simple-mlp.ts joined to the static rows, its shapes checked
 * against PyTorch's (test/fixtures/examples/torch-expected.json, PyTorch 1.13); a disagreement
 * turns the actual-shape cell red and lands on the layer's line; a model that can't be built
 * names its layer.
 */
import { shapeOf, torchTruth } from '../fixtures/examples/torchTruth';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import { findingLocations, forwardPanel } from '../../src/extension/forwardView';
import { panelModel } from '../../src/extension/panelModel';
import { ForwardPassError, ForwardResult, runForwardPass } from '../../src/runtime';

const ROOT = path.resolve(__dirname, '../../..');
const analyze = (name: string) => {
  const file = path.join(ROOT, 'examples', name);
  return analyzeSource(file, fs.readFileSync(file, 'utf8'));
};
const torch = torchTruth()['simple-mlp.ts#SimpleMLP'];

describe('forward pass in the panel and the Problems panel', function () {
  this.timeout(60_000);
  const file = analyze('simple-mlp.ts');
  const model = file.models[0];
  let result: ForwardResult;

  before(async () => {
    result = await runForwardPass(model, { backend: 'wasm', seed: 0 });
  });

  it('joins the real pass to the static rows: actual shapes (PyTorch\'s), statistics, times, histograms', () => {
    const view = panelModel(file, model, 'simple-mlp.ts', 'commas', { state: 'done', outcome: result });
    assert.deepStrictEqual(
      view.rows.map((r) => [r.name, r.forward?.shape, r.forward?.mismatch]),
      torch.rows.map((r) => [r.name, `[${shapeOf(r).join(', ')}]`, false]),
    );
    for (const r of view.rows) {
      assert.match(r.forward!.meanStd, /^-?[\d.e+-]+ ± [\d.e+-]+$/);
      assert.match(r.forward!.ms, /^\d+(\.\d+)? ms$/);
      assert.strictEqual(r.forward!.histogram.length, 12);
      assert.strictEqual(Math.max(...r.forward!.histogram), 1);
    }
    assert.ok(view.forward && view.forward.state === 'done');
    assert.deepStrictEqual(view.forward.findings, []);
    const totals = Object.fromEntries(view.forward.totals.map((t) => [t.label, t.value]));
    assert.strictEqual(totals['Total params (tfjs countParams)'], torch.totalParams.toLocaleString('en-US'));
    assert.strictEqual(totals.Backend, 'wasm');
    assert.strictEqual(totals.Output, '[64, 1]');
    assert.match(view.forward.outputPreview, /^\[-?\d/);
  });

  it('before a run and while it runs there are no forward cells', () => {
    assert.strictEqual(panelModel(file, model, 'x').forward, undefined);
    const running = panelModel(file, model, 'x', 'commas', { state: 'running' });
    assert.strictEqual(running.forward?.state, 'running');
    assert.ok(running.rows.every((r) => r.forward === undefined));
  });

  it('a disagreement is red in its row and anchored on the layer\'s construction', () => {
    // What the runtime reports when a shape disagrees (compare.ts's wording), on fc2's row.
    const fc2 = model.layers.find((r) => r.name === 'fc2')!;
    const altered: ForwardResult = {
      ...result,
      layers: result.layers.map((l) => (l.name === 'fc2' ? { ...l, outputShape: [64, 256] } : l)),
      findings: [{ layer: 'fc2', id: fc2.id, message: 'output shape: static analysis says [64, 516], the real pass gives [64, 256]' }, { layer: 'SimpleMLP', message: 'total parameters differ' }],
    };
    const { rows, forward } = forwardPanel(model, altered);
    assert.strictEqual(rows.get(fc2.id)!.mismatch, true);
    assert.strictEqual(rows.get(fc2.id)!.shape, '[64, 256]');
    assert.match(rows.get(fc2.id)!.detail, /the real pass gives \[64, 256\]/);
    assert.strictEqual([...rows.values()].filter((r) => r.mismatch).length, 1);
    const text = fs.readFileSync(path.join(ROOT, 'examples', 'simple-mlp.ts'), 'utf8');
    const [onRow, onModel] = findingLocations(model, altered.findings);
    assert.strictEqual(onRow.line, 19);
    assert.strictEqual(text.slice(onRow.start, onRow.end), 'new nn.Linear(hiddenSize, hiddenSize)');
    assert.deepStrictEqual(onModel, { layer: 'SimpleMLP', message: 'total parameters differ', line: model.line });
    assert.ok(forward.state === 'done' && forward.findings.length === 2);
  });

  it('a model that can\'t be built shows the error naming the layer, linked to its line', async () => {
    const custom = analyze('custom-layer.tfjs.ts').models[0];
    let err: ForwardPassError | undefined;
    try {
      await runForwardPass(custom, { backend: 'wasm' });
    } catch (e) {
      err = e as ForwardPassError;
    }
    assert.ok(err instanceof ForwardPassError, String(err));
    const { forward, rows } = forwardPanel(custom, { error: { code: err.code, message: err.message, layer: err.layer } });
    assert.strictEqual(rows.size, 0);
    assert.ok(forward.state === 'error');
    assert.match(forward.message, /custom layer Scale/);
    assert.strictEqual(forward.line, 37);
  });
});
