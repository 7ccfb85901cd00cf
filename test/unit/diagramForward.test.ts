/**
 * Forward-pass badges for the diagram (src/extension/diagramForward.ts) from a real sample pass
 * of resnet.ts, checked against PyTorch 1.13's shapes (test/fixtures/examples/torch-expected.json);
 * a wrong static shape (as an analyzer bug would give) turns exactly that node red. Also the
 * webview's `rendered` report, validated like every message from the webview.
 */
import { torchTruth } from '../fixtures/examples/torchTruth';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import { buildDiagramGraph, parseDiagramMessage } from '../../src/core/graph';
import { diagramBadges } from '../../src/extension/diagramForward';
import { parseWebviewMessage } from '../../src/extension/webviewMessages';
import { ForwardResult, runForwardPass } from '../../src/runtime';

const ROOT = path.resolve(__dirname, '../../..');
const file = path.join(ROOT, 'examples', 'resnet.ts');
const model = analyzeSource(file, fs.readFileSync(file, 'utf8')).models[0];
const torch = torchTruth()['resnet.ts#ResNetTiny'];

describe('diagram badges from a forward pass', function () {
  this.timeout(60_000);
  let result: ForwardResult;

  before(async () => {
    result = await runForwardPass(model, { backend: 'cpu', seed: 0 });
  });

  it('one badge per layer that ran, on the node of its row, with PyTorch\'s shape and tfjs\'s mean', () => {
    const badges = diagramBadges(model, result)!;
    const graph = buildDiagramGraph(model);
    const nodeIds = new Set(graph.nodes.map((n) => n.id));
    assert.strictEqual(badges.length, result.layers.length);
    for (const b of badges) assert.ok(nodeIds.has(b.node), `${b.node} is a node of the diagram`);
    const byName = new Map(model.layers.map((r) => [r.name, r]));
    let checked = 0;
    for (const t of torch.rows) {
      const row = byName.get(t.name);
      const b = row && badges.find((x) => x.node === `n${row.id}`);
      if (!b || !t.outputShape) continue;
      assert.strictEqual(b.shape, `[${t.outputShape.join(', ')}]`, t.name);
      assert.strictEqual(b.mismatch, false, t.name);
      checked++;
    }
    assert.ok(checked >= 10, `checked ${checked} rows against PyTorch`);
    const stem = result.layers.find((l) => l.name === 'stem')!;
    const stemBadge = badges.find((b) => b.node === `n${stem.id}`)!;
    assert.ok(stemBadge.detail.includes('±') && stemBadge.detail.includes('zeros'), stemBadge.detail);
    assert.notStrictEqual(stemBadge.mean, '');
  });

  it('a wrong static shape makes that node, and only it, red with the finding in its hover', async () => {
    const wrong = structuredClone(model);
    const row = wrong.layers.find((r) => r.name === 'fc')!;
    row.outputShape = [4, 11];
    const r = await runForwardPass(wrong, { backend: 'cpu', seed: 0 });
    const badges = diagramBadges(wrong, r)!;
    const red = badges.filter((b) => b.mismatch);
    assert.deepStrictEqual(red.map((b) => b.node), [`n${row.id}`]);
    assert.strictEqual(red[0].shape, '[4, 10]');
    assert.ok(red[0].detail.includes('[4, 11]'), red[0].detail);
  });

  it('no badges for a pass that did not run', () => {
    assert.strictEqual(diagramBadges(model, { error: { code: 'cancelled', message: 'cancelled' } }), null);
  });

  it('nodes built in an imported file carry that file; reveal may name a node, never a file', () => {
    const graph = buildDiagramGraph(model);
    const conv1 = graph.nodes.find((n) => n.name === 'layer1.conv1')!;
    assert.strictEqual(conv1.file, path.join(ROOT, 'examples', 'res-block.ts'));
    assert.strictEqual(graph.nodes.find((n) => n.name === 'stem')!.file, undefined);
    assert.strictEqual(graph.groups.find((g) => g.name === 'layer1')!.file, undefined);
    assert.strictEqual(graph.groups.find((g) => g.name === 'layer2.downsample')!.file, conv1.file);
    assert.deepStrictEqual(parseDiagramMessage({ type: 'reveal', line: 18, id: conv1.id }), { type: 'reveal', line: 18, id: conv1.id });
    for (const bad of [{ type: 'reveal', line: 18, id: '../x.ts' }, { type: 'reveal', line: 18, file: conv1.file }, { type: 'reveal', line: 18, id: 7 }]) {
      assert.strictEqual(parseDiagramMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('the summary panel\'s Diagram button message carries nothing the extension would act on', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'showDiagram' }), { type: 'showDiagram' });
    assert.strictEqual(parseWebviewMessage({ type: 'showDiagram', model: 'Other' }), undefined);
  });

  it('the webview\'s rendered report is accepted only in its exact shape', () => {
    const ok = { type: 'rendered', view: 'graph', nodes: 24, edges: 25, badges: 0, mismatches: 0, highlighted: ['n3', 'g11'] };
    assert.deepStrictEqual(parseDiagramMessage(ok), ok);
    for (const bad of [
      { ...ok, nodes: -1 },
      { ...ok, nodes: 1.5 },
      { ...ok, view: 'table' },
      { ...ok, highlighted: ['<img>'] },
      { ...ok, highlighted: 'n3' },
      { ...ok, extra: 1 },
      { type: 'rendered' },
    ]) {
      assert.strictEqual(parseDiagramMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
