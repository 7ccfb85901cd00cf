// `ModelLens: Run Sample Forward Pass` inside the real extension host: the command returns the
// runtime's JSON result (the worker thread on tfjs-backend-wasm, files located from the
// extension's own dist/), opens the summary panel, respects the forwardPass settings and
// publishes findings in the "modellens-forward" collection (empty when the pass agrees).
// Expected values come from the libraries: PyTorch 1.13 for simple-mlp.ts (333,853 parameters;
// fc1..fc3 shapes), tfjs 4.22's countParams() on the same tf.sequential for cnn.tfjs.ts (153,834).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, example, openExample, waitFor } from './helpers';

interface LayerJson { id: number; name: string; type: string; outputShape: number[]; mean: number; std: number; min: number; max: number; zeroFraction: number; ms: number; histogram?: number[] }
interface ResultJson {
  model: string;
  backend: string;
  backendNote?: string;
  inputShape: number[];
  outputShape: number[];
  outputPreview: number[][];
  totalParams: number;
  ms: number;
  seed: number;
  layers: LayerJson[];
  findings: { layer: string; id?: number; message: string }[];
}
type Outcome = ResultJson | { error: { code: string; message: string; layer?: string } };

/** The source the extension gives forward-pass findings (its "modellens-forward" collection). */
const FORWARD_SOURCE = 'ModelLens forward pass';

const forwardDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === FORWARD_SOURCE);

async function run(file: string, model?: string): Promise<Outcome> {
  const t0 = Date.now();
  const out = model === undefined ? await vscode.commands.executeCommand<Outcome>('modellens.runForwardPass') : await vscode.commands.executeCommand<Outcome>('modellens.runForwardPass', example(file), model);
  assert.ok(out, 'the command returned nothing');
  console.log(`forward pass of ${file}#${model ?? '(cursor)'} took ${Date.now() - t0} ms in the extension host`);
  return out;
}

function ok(o: Outcome): ResultJson {
  assert.ok(!('error' in o), `the pass failed: ${JSON.stringify((o as { error: unknown }).error)}`);
  return o;
}

function summaryTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('modellens.summary'));
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('modellens').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('Run Sample Forward Pass', function () {
  this.timeout(120_000);
  before(activate);

  it('simple-mlp.ts: wasm, PyTorch\'s count and shapes, no findings, panel open', async () => {
    const r = ok(await run('simple-mlp.ts', 'SimpleMLP'));
    assert.strictEqual(r.model, 'SimpleMLP');
    assert.strictEqual(r.backend, 'wasm', r.backendNote);
    assert.strictEqual(r.totalParams, 333853);
    assert.deepStrictEqual(r.inputShape, [64, 128]);
    assert.deepStrictEqual(r.outputShape, [64, 1]);
    assert.deepStrictEqual(
      r.layers.map((l) => [l.name, l.type, l.outputShape]),
      [['fc1', 'Linear', [64, 516]], ['relu1', 'ReLU', [64, 516]], ['fc2', 'Linear', [64, 516]], ['relu2', 'ReLU', [64, 516]], ['fc3', 'Linear', [64, 1]]],
    );
    assert.deepStrictEqual(r.findings, []);
    for (const l of r.layers) {
      assert.ok(Number.isFinite(l.mean) && l.std > 0 && l.min <= l.max && l.ms >= 0, JSON.stringify(l));
      assert.strictEqual(l.histogram?.reduce((a, b) => a + b, 0), l.outputShape.reduce((a, b) => a * b, 1), `${l.name} histogram`);
    }
    // ReLU zeroes the negative half of a zero-mean pre-activation.
    assert.ok(r.layers[1].zeroFraction > 0.3 && r.layers[1].zeroFraction < 0.7, String(r.layers[1].zeroFraction));
    assert.deepStrictEqual(forwardDiagnostics(example('simple-mlp.ts')), []);
    const tabs = await waitFor('the summary panel', () => (summaryTabs().length > 0 ? summaryTabs() : undefined));
    assert.strictEqual(tabs[0].label, 'Summary: SimpleMLP');
  });

  it('cnn.tfjs.ts: wasm, tfjs\'s countParams, batch from modellens.defaultBatchSize, no findings', async () => {
    const r = ok(await run('cnn.tfjs.ts', 'buildCnn'));
    assert.strictEqual(r.backend, 'wasm', r.backendNote);
    assert.strictEqual(r.totalParams, 153834);
    assert.deepStrictEqual(r.inputShape, [1, 28, 28, 1]);
    assert.deepStrictEqual(r.outputShape, [1, 10]);
    assert.strictEqual(r.layers.length, 10);
    assert.deepStrictEqual(r.layers.map((l) => l.type), ['Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense', 'Dense']);
    assert.deepStrictEqual(r.layers[6].outputShape, [1, 1152]);
    assert.deepStrictEqual(r.findings, []);
    // Softmax output: ten probabilities summing to 1.
    assert.ok(Math.abs(r.outputPreview[0].reduce((a, b) => a + b, 0) - 1) < 1e-4, String(r.outputPreview[0]));
    assert.deepStrictEqual(forwardDiagnostics(example('cnn.tfjs.ts')), []);
  });

  it('a model that can\'t be built returns an error naming the custom layer', async () => {
    const o = await run('custom-layer.tfjs.ts', 'buildWithCustomLayer');
    assert.ok('error' in o, `expected an error, got ${JSON.stringify(o).slice(0, 300)}`);
    assert.strictEqual(o.error.code, 'custom-layer');
    assert.match(o.error.message, /custom layer Scale/);
    assert.match(o.error.message, /line 37/);
    assert.ok(o.error.layer, 'the error names no layer');
  });

  it('without arguments runs the model under the cursor', async () => {
    const doc = await openExample('simple-mlp.ts');
    const pos = doc.positionAt(doc.getText().indexOf('this.fc2 = '));
    vscode.window.activeTextEditor!.selection = new vscode.Selection(pos, pos);
    const r = ok(await run('simple-mlp.ts'));
    assert.strictEqual(r.model, 'SimpleMLP');
    assert.strictEqual(r.totalParams, 333853);
  });

  it('respects the backend, seed, batch and timeout settings', async () => {
    try {
      const first = ok(await run('cnn.tfjs.ts', 'buildCnn'));
      const again = ok(await run('cnn.tfjs.ts', 'buildCnn'));
      assert.deepStrictEqual(again.outputPreview, first.outputPreview, 'the same seed must give the same outputs');

      await setting('forwardPass.backend', 'cpu');
      await setting('forwardPass.seed', 7);
      await setting('defaultBatchSize', 3);
      const cpu = ok(await run('cnn.tfjs.ts', 'buildCnn'));
      assert.strictEqual(cpu.backend, 'cpu');
      assert.strictEqual(cpu.seed, 7);
      assert.deepStrictEqual(cpu.outputShape, [3, 10]);
      assert.notDeepStrictEqual(cpu.outputPreview[0], first.outputPreview[0]);
      assert.deepStrictEqual(cpu.findings, []);

      // A timeout shorter than the worker's start-up stops the pass.
      await setting('forwardPass.timeoutSeconds', 0.001);
      const late = await run('simple-mlp.ts', 'SimpleMLP');
      assert.ok('error' in late, 'expected a timeout');
      assert.strictEqual(late.error.code, 'timeout');
    } finally {
      for (const k of ['forwardPass.backend', 'forwardPass.seed', 'defaultBatchSize', 'forwardPass.timeoutSeconds']) await setting(k, undefined);
    }
  });

  // No example disagrees with its real pass (the runtime implements the analyzer's semantics), so
  // an honest mismatch can't be built here: the mapping of a finding to its line and red cell is
  // covered by test/unit/forwardView.test.ts.
  it('findings live in their own collection, empty for agreeing models', async () => {
    const doc = await openExample('simple-mlp.ts');
    ok(await run('simple-mlp.ts', 'SimpleMLP'));
    assert.deepStrictEqual(forwardDiagnostics(doc.uri), []);
    // The static diagnostics (source "ModelLens") are another collection, untouched by the pass.
    assert.deepStrictEqual(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'ModelLens'), []);
  });

  it('the Run forward pass CodeLens calls the command with the model', async () => {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', example('simple-mlp.ts'), 100)) ?? [];
    const lens = lenses.find((l) => l.command?.title === 'Run forward pass');
    assert.ok(lens?.command, 'no Run forward pass lens');
    assert.strictEqual(lens.command.command, 'modellens.runForwardPass');
    const r = ok((await vscode.commands.executeCommand<Outcome>(lens.command.command, ...(lens.command.arguments ?? [])))!);
    assert.strictEqual(r.model, 'SimpleMLP');
    assert.strictEqual(r.backend, 'wasm');
  });
});
