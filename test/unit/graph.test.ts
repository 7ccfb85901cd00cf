import { shapeOf, torchTruth } from '../fixtures/examples/torchTruth';
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import { buildDiagramGraph, parseDiagramMessage, visibleGraph, type DiagramGraph } from '../../src/core/graph';
import { formatShape } from '../../src/core/shape';
import type { ModelSummary } from '../../src/core/summary';

const ROOT = path.resolve(__dirname, '../../..');

function example(file: string, model?: string): ModelSummary {
  const full = path.join(ROOT, 'examples', file);
  const models = analyzeSource(full, fs.readFileSync(full, 'utf8')).models;
  const m = model ? models.find((x) => x.name === model) : models[0];
  if (!m) throw new Error(`no model in ${file}`);
  return m;
}

/** Forward-hook records from real PyTorch 1.13 (test/fixtures/examples/generate_torch.py). */
const torchModels = torchTruth();

interface TfjsTopology {
  inputs: string[];
  outputs: string[];
  /** `producer>consumer` for every call of every layer. */
  edges: string[];
}

/** The real tfjs model's wiring: the example bundled (tfjs external) and built in a child process. */
function tfjsTopology(file: string, builder: string): TfjsTopology {
  // Inside the repository (git-ignored) so the bundle resolves tfjs from node_modules.
  const dir = path.join(ROOT, 'test-artifacts', 'graph-unit');
  fs.mkdirSync(dir, { recursive: true });
  const bundle = path.join(dir, `${file}.js`);
  esbuild.buildSync({ entryPoints: [path.join(ROOT, 'examples', file)], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, external: ['@tensorflow/tfjs'], logLevel: 'silent' });
  const program = `
    const m = require(${JSON.stringify(bundle)}).${builder}();
    const edges = [];
    for (const layer of m.layers) for (const node of layer.inboundNodes) for (const src of node.inboundLayers) edges.push(src.name + '>' + layer.name);
    process.stdout.write(JSON.stringify({ inputs: m.inputLayers.map((l) => l.name), outputs: m.outputLayers.map((l) => l.name), edges }));`;
  const out = execFileSync(process.execPath, ['-e', program], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  return JSON.parse(out.slice(out.indexOf('{')));
}

const byId = (g: DiagramGraph) => new Map(g.nodes.map((n) => [n.id, n]));

describe('diagram graph', () => {
  it('resnet.ts: layer nodes, and the shapes on their incoming edges, are the ones PyTorch records', () => {
    const g = buildDiagramGraph(example('resnet.ts'));
    const truth = torchModels['resnet.ts#ResNetTiny'];
    const layers = g.nodes.filter((n) => n.kind === 'layer');
    const leaves = truth.rows.filter((r) => r.leaf);
    assert.deepStrictEqual(layers.map((n) => [n.name, n.type]), leaves.map((r) => [r.name, r.className]));
    layers.forEach((n, i) => {
      const incoming = g.edges.filter((e) => e.target === n.id).map((e) => e.label);
      assert.deepStrictEqual(incoming, leaves[i].inputShapes.map((s) => formatShape(s)), n.name);
      assert.strictEqual(n.shape, formatShape(shapeOf(leaves[i])), n.name);
    });
    const input = g.nodes.filter((n) => n.kind === 'input');
    const output = g.nodes.filter((n) => n.kind === 'output');
    assert.deepStrictEqual(input.map((n) => n.shape), [formatShape(truth.inputShape)]);
    assert.deepStrictEqual(output.map((n) => n.shape), [formatShape(truth.outputShape)]);
    assert.deepStrictEqual(g.edges.filter((e) => e.target === output[0].id).map((e) => byId(g).get(e.source)?.name), ['fc']);
  });

  it('resnet.ts: residual adds are nodes with two inputs (block body and shortcut); modules are nested groups', () => {
    const g = buildDiagramGraph(example('resnet.ts'));
    const nodes = byId(g);
    const adds = g.nodes.filter((n) => n.type === 'add');
    assert.strictEqual(adds.length, 2);
    const sources = adds.map((a) => g.edges.filter((e) => e.target === a.id).map((e) => nodes.get(e.source)!.name));
    // ResBlock.forward: out = bn2(conv2(relu(bn1(conv1(x))))); out + (downsample(x) or x).
    assert.deepStrictEqual(sources, [['layer1.bn2', 'relu'], ['layer2.bn2', 'layer2.downsample.1']]);
    assert.deepStrictEqual(g.groups.map((x) => [x.name, x.type, x.parent ? g.groups.find((p) => p.id === x.parent)!.name : null]), [
      ['layer1', 'ResBlock', null],
      ['layer2', 'ResBlock', null],
      ['layer2.downsample', 'Sequential', 'layer2'],
    ]);
    const layer2 = g.groups[1];
    assert.deepStrictEqual(layer2.children.map((c) => nodes.get(c)?.name ?? g.groups.find((x) => x.id === c)!.name), ['layer2.conv1', 'layer2.bn1', 'layer2.relu', 'layer2.conv2', 'layer2.bn2', 'layer2.downsample', 'add', 'layer2.relu']);
    assert.strictEqual(layer2.params, 14528);
  });

  it('functional.tfjs.ts: the same wiring as the real tfjs model: 2 inputs, 2 outputs, shared layer called twice', function () {
    this.timeout(120_000);
    const g = buildDiagramGraph(example('functional.tfjs.ts'));
    const real = tfjsTopology('functional.tfjs.ts', 'buildTwoTower');
    const nodes = byId(g);
    const inputs = g.nodes.filter((n) => n.kind === 'input');
    const outputs = g.nodes.filter((n) => n.kind === 'output');
    assert.deepStrictEqual(inputs.map((n) => n.name), real.inputs);
    assert.deepStrictEqual(outputs.map((o) => nodes.get(g.edges.find((e) => e.target === o.id)!.source)!.name), real.outputs);
    const ours = g.edges.filter((e) => !e.target.startsWith('out')).map((e) => `${nodes.get(e.source)!.name}>${nodes.get(e.target)!.name}`);
    assert.deepStrictEqual([...ours].sort(), [...real.edges].sort());
    assert.ok(g.edges.every((e) => e.label.startsWith('[None, ')), 'tfjs batch dim printed as None');
    assert.strictEqual(g.nodes.filter((n) => n.reused).map((n) => n.name).join(), 'shared_encoder');
  });

  it('resnet.tfjs.ts: the same wiring as the real tfjs model', function () {
    this.timeout(120_000);
    const g = buildDiagramGraph(example('resnet.tfjs.ts'));
    const real = tfjsTopology('resnet.tfjs.ts', 'buildResNet');
    const nodes = byId(g);
    const ours = g.edges.filter((e) => !e.target.startsWith('out')).map((e) => `${nodes.get(e.source)!.name}>${nodes.get(e.target)!.name}`);
    assert.deepStrictEqual([...ours].sort(), [...real.edges].sort());
    assert.strictEqual(g.nodes.filter((n) => n.type === 'Add').length, 2);
  });

  it('neuron view: simple-mlp.ts columns have the widths PyTorch reports; wide ones are elided with a count', () => {
    const g = buildDiagramGraph(example('simple-mlp.ts'));
    const truth = torchModels['simple-mlp.ts#SimpleMLP'];
    const widths = [truth.inputShape[1], ...truth.rows.filter((r) => r.className === 'Linear').map((r) => shapeOf(r)[1])];
    assert.ok(g.neurons);
    assert.deepStrictEqual(g.neurons.columns.map((c) => c.units), widths);
    assert.deepStrictEqual(g.neurons.columns.map((c) => c.ellipsis), widths.map((w) => w !== null && w > 10));
    for (const c of g.neurons.columns) assert.strictEqual(c.shown.length + c.hidden, c.units);
    assert.deepStrictEqual(g.neurons.columns.map((c) => c.activation ?? null), [null, 'ReLU', 'ReLU', null]);
    // tfjs folds activations into Dense.
    const t = buildDiagramGraph(example('cnn.tfjs.ts'));
    assert.strictEqual(t.neurons, null, 'a CNN has no neuron view');
    assert.strictEqual(buildDiagramGraph(example('resnet.ts')).neurons, null);
    assert.deepStrictEqual(buildDiagramGraph(example('simple-mlp.tfjs.ts')).neurons?.columns.map((c) => c.units), widths);
  });

  it('collapsing a module replaces its contents by one node and merges the edges crossing its border', () => {
    const g = buildDiagramGraph(example('resnet.ts'));
    const [layer1, layer2, downsample] = g.groups;
    const v = visibleGraph(g, new Set([layer1.id]));
    assert.strictEqual(v.nodes.length, g.nodes.length - layer1.children.length + 1);
    const into = v.edges.filter((e) => e.target === layer1.id);
    assert.deepStrictEqual(into.map((e) => [e.count, e.label]), [[2, '[4, 16, 32, 32]']], 'the block input and the shortcut are one tensor');
    assert.ok(!v.edges.some((e) => layer1.children.includes(e.source) || layer1.children.includes(e.target)));
    // Collapsing the outer group hides the nested one as well.
    const both = visibleGraph(g, new Set([layer2.id]));
    assert.deepStrictEqual(both.groups.map((x) => x.id), [layer1.id]);
    assert.ok(!both.nodes.some((n) => n.id === downsample.id));
    // Nothing collapsed: the graph itself.
    const all = visibleGraph(g, new Set());
    assert.strictEqual(all.nodes.length, g.nodes.length);
    assert.strictEqual(all.edges.length, g.edges.length);
  });

  it('validates messages from the webview field by field', () => {
    assert.deepStrictEqual(parseDiagramMessage({ type: 'reveal', line: 12 }), { type: 'reveal', line: 12 });
    assert.deepStrictEqual(parseDiagramMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseDiagramMessage({ type: 'export', format: 'svg', data: '<?xml version="1.0"?>\n<svg xmlns="x"></svg>' })?.type, 'export');
    assert.deepStrictEqual(parseDiagramMessage({ type: 'export', format: 'png', data: 'iVBORw0KGgoAAAA=' })?.type, 'export');
    for (const bad of [
      null, 'reveal', { type: 'reveal', line: 0 }, { type: 'reveal', line: 1.5 }, { type: 'reveal', line: '3' }, { type: 'reveal', line: 3, extra: 1 },
      { type: 'export', format: 'svg', data: '<script>alert(1)</script>' }, { type: 'export', format: 'png', data: 'not base64!' }, { type: 'export', format: 'pdf', data: '<svg>' },
      { type: 'export', format: 'png', data: '' }, { type: 'open', path: '/etc/passwd' }, { type: 'ready', x: 1 },
    ]) {
      assert.strictEqual(parseDiagramMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
