import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { LayerRow, ModelSummary } from '../../src/core/summary';
import type { Shape } from '../../src/core/shape';
import { formatFileJson, formatSummary } from '../../src/core/format';
import { formatTorchinfo } from '../../src/core/format/torchinfo';
import { analyzeSource } from '../../src/core/analyze';

/*
 * Expected texts come from the real libraries, not from the printers:
 * - seed: the brief's SimpleMLP table, and for the nested Net the rows produced by real PyTorch
 *   1.13 forward hooks (registered on every module except Sequential/ModuleList, exactly as
 *   torchsummary does) printed with torchsummary's column widths.
 * - torchinfo: real PyTorch pre-hook order, shapes, params and torchinfo's mult-add formula,
 *   laid out with torchinfo 1.8's widths (name 40, columns 25) by a throwaway script.
 * - keras: tfjs 4.22's own `model.summary()` output, captured at test time.
 */

// ---------------------------------------------------------------------------------------------
// Builders for hand-made summaries

type RowSpec = Partial<LayerRow> & Pick<LayerRow, 'name' | 'type'>;

function rows(specs: RowSpec[]): LayerRow[] {
  return specs.map((s, id) => {
    const params = s.params === undefined ? 0 : s.params;
    return {
      id,
      family: 'linear',
      line: id + 2,
      depth: 1,
      container: false,
      inputs: [id - 1],
      inputShapes: [],
      outputShape: null,
      trainableParams: params,
      nonTrainableParams: params === null ? null : 0,
      totalParams: params,
      multAdds: 0,
      ...s,
      params,
    };
  });
}

function summary(m: Partial<ModelSummary> & Pick<ModelSummary, 'name' | 'layers'>): ModelSummary {
  return {
    framework: 'torch',
    kind: 'torch-module',
    file: 'model.ts',
    line: 1,
    inputShape: null,
    inputShapes: [],
    inputShapeSource: '@inputShape',
    outputShape: null,
    outputShapes: [],
    totalParams: 0,
    trainableParams: 0,
    nonTrainableParams: 0,
    multAdds: 0,
    paramBytes: 0,
    activationBytes: 0,
    inputBytes: 0,
    diagnostics: [],
    ...m,
  };
}

const simpleMlp = summary({
  name: 'SimpleMLP',
  inputShape: [64, 128],
  inputShapes: [[64, 128]],
  outputShape: [64, 1],
  outputShapes: [[64, 1]],
  totalParams: 333853,
  trainableParams: 333853,
  nonTrainableParams: 0,
  layers: rows([
    { name: 'fc1', type: 'Linear', inputShapes: [[64, 128]], outputShape: [64, 516], params: 66564 },
    { name: 'relu', type: 'ReLU', family: 'activation', outputShape: [64, 516] },
    { name: 'fc2', type: 'Linear', inputShapes: [[64, 516]], outputShape: [64, 516], params: 266772 },
    { name: 'relu', type: 'ReLU', family: 'activation', outputShape: [64, 516], reused: true },
    { name: 'fc3', type: 'Linear', inputShapes: [[64, 516]], outputShape: [64, 1], params: 517 },
  ]),
});

/** Block(conv, act) → Sequential(conv, bn, relu) → F.dropout (an op) → Flatten → Linear, input [2, 3, 32, 32]. */
const net = summary({
  name: 'Net',
  inputShape: [2, 3, 32, 32],
  inputShapes: [[2, 3, 32, 32]],
  outputShape: [2, 10],
  outputShapes: [[2, 10]],
  totalParams: 145434,
  trainableParams: 145434,
  nonTrainableParams: 0,
  multAdds: 2849236,
  paramBytes: 145434 * 4,
  activationBytes: 591952,
  inputBytes: 2 * 3 * 32 * 32 * 4,
  layers: rows([
    { name: 'block', type: 'Block', family: 'module', container: true, totalParams: 224, inputShapes: [[2, 3, 32, 32]], outputShape: [2, 8, 32, 32] },
    { name: 'block.conv', type: 'Conv2d', depth: 2, parent: 0, params: 224, multAdds: 458752, inputShapes: [[2, 3, 32, 32]], outputShape: [2, 8, 32, 32] },
    { name: 'block.act', type: 'ReLU', depth: 2, parent: 0, inputShapes: [[2, 8, 32, 32]], outputShape: [2, 8, 32, 32] },
    { name: 'features', type: 'Sequential', family: 'container', container: true, totalParams: 1200, inputShapes: [[2, 8, 32, 32]], outputShape: [2, 16, 30, 30] },
    { name: 'features.0', type: 'Conv2d', depth: 2, parent: 3, params: 1168, multAdds: 2102400, inputShapes: [[2, 8, 32, 32]], outputShape: [2, 16, 30, 30] },
    { name: 'features.1', type: 'BatchNorm2d', depth: 2, parent: 3, params: 32, multAdds: 64, inputShapes: [[2, 16, 30, 30]], outputShape: [2, 16, 30, 30] },
    { name: 'features.2', type: 'ReLU', depth: 2, parent: 3, inputShapes: [[2, 16, 30, 30]], outputShape: [2, 16, 30, 30] },
    { name: 'F.dropout', type: 'dropout', family: 'op', op: true, inputShapes: [[2, 16, 30, 30]], outputShape: [2, 16, 30, 30] },
    { name: 'flatten', type: 'Flatten', inputShapes: [[2, 16, 30, 30]], outputShape: [2, 14400] },
    { name: 'fc', type: 'Linear', params: 144010, multAdds: 288020, inputShapes: [[2, 14400]], outputShape: [2, 10] },
  ]),
});

// ---------------------------------------------------------------------------------------------
// Reading a real tfjs model into a ModelSummary, as the analyzer would report it

interface TfNode {
  id: number;
  inboundLayers: tf.layers.Layer[];
  nodeIndices: number[];
  inputShapes: tf.Shape | tf.Shape[];
  outputShapes: tf.Shape | tf.Shape[];
}

function asShapes(s: tf.Shape | tf.Shape[]): Shape[] {
  return (Array.isArray(s[0]) ? s : [s]) as Shape[];
}

function weightCount(ws: tf.LayerVariable[]): number {
  // Weights always have fully known shapes.
  return ws.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
}

/**
 * One row per call of a layer (tfjs node), in creation order, i.e. the order of the source code,
 * which is what the analyzer reports (tfjs itself lists layers by graph depth).
 */
function fromTfjs(model: tf.LayersModel, name: string, kind: ModelSummary['kind']): ModelSummary {
  const calls: { layer: tf.layers.Layer; nodeIndex: number; node: TfNode }[] = [];
  for (const layer of model.layers) {
    const nodes = (layer as unknown as { inboundNodes: TfNode[] }).inboundNodes;
    nodes.forEach((node, nodeIndex) => calls.push({ layer, nodeIndex, node }));
  }
  calls.sort((a, b) => a.node.id - b.node.id);
  const rowOf = (layer: tf.layers.Layer, nodeIndex: number): number =>
    calls.findIndex((c) => c.layer === layer && c.nodeIndex === nodeIndex);

  const layers: LayerRow[] = calls.map((c, id) => {
    const isInput = c.layer.getClassName() === 'InputLayer';
    const first = rowOf(c.layer, 0) === id;
    const outs = asShapes(c.node.outputShapes);
    const total = first ? c.layer.countParams() : 0;
    const trainable = first ? weightCount(c.layer.trainableWeights) : 0;
    return {
      id,
      name: c.layer.name,
      type: c.layer.getClassName(),
      family: isInput ? 'input' : 'linear',
      line: id + 1,
      depth: 1,
      container: false,
      // Inputs from outside the model's layer list (a Sequential's hidden InputLayer) are the model input.
      inputs: isInput ? [] : c.node.inboundLayers.map((l, i) => {
        const j = rowOf(l, c.node.nodeIndices[i]);
        return j >= 0 ? j : -1;
      }),
      inputShapes: isInput ? [] : asShapes(c.node.inputShapes),
      outputShape: outs[0],
      outputShapes: outs.length > 1 ? outs : undefined,
      params: total,
      trainableParams: trainable,
      nonTrainableParams: total - trainable,
      totalParams: total,
      multAdds: null,
      reused: !first,
    };
  });
  const total = model.countParams();
  const trainable = weightCount(model.trainableWeights);
  return summary({
    name,
    framework: 'tfjs',
    kind,
    inputShape: model.inputs[0].shape,
    inputShapes: model.inputs.map((t) => t.shape),
    outputShape: model.outputs[0].shape,
    outputShapes: model.outputs.map((t) => t.shape),
    totalParams: total,
    trainableParams: trainable,
    nonTrainableParams: total - trainable,
    layers,
  });
}

function tfjsLines(model: tf.LayersModel): string[] {
  const lines: string[] = [];
  model.summary(undefined, undefined, (line: string) => lines.push(line));
  return lines;
}

function linesOf(text: string): string[] {
  assert.ok(text.endsWith('\n'), 'printer output ends with a newline');
  return text.slice(0, -1).split('\n');
}

function assertKerasMatches(model: tf.LayersModel, kind: ModelSummary['kind']): void {
  const expected = tfjsLines(model);
  assert.ok(expected.length > 5, 'tfjs printed a summary');
  assert.deepStrictEqual(linesOf(formatSummary(fromTfjs(model, 'model', kind), 'keras')), expected);
}

// ---------------------------------------------------------------------------------------------

describe('format: seed (torchsummary layout)', () => {
  it('prints the SimpleMLP table byte for byte', () => {
    const expected =
      '======================================================================\n' +
      '        Layer (type)              Output Shape         Param #\n' +
      '======================================================================\n' +
      '            Linear-1                 [64, 516]          66,564\n' +
      '              ReLU-2                 [64, 516]               0\n' +
      '            Linear-3                 [64, 516]         266,772\n' +
      '              ReLU-4                 [64, 516]               0\n' +
      '            Linear-5                   [64, 1]             517\n' +
      '         SimpleMLP-6                   [64, 1]               0\n' +
      '======================================================================\n' +
      'Total params: 333,853\n' +
      'Trainable params: 333,853\n' +
      'Non-trainable params: 0\n' +
      '======================================================================\n';
    assert.strictEqual(formatSummary(simpleMlp, 'seed'), expected);
  });

  it('numbers nested modules in hook (post-order), omits Sequential and ops', () => {
    const expected = [
      '======================================================================',
      '        Layer (type)              Output Shape         Param #',
      '======================================================================',
      '            Conv2d-1            [2, 8, 32, 32]             224',
      '              ReLU-2            [2, 8, 32, 32]               0',
      '             Block-3            [2, 8, 32, 32]               0',
      '            Conv2d-4           [2, 16, 30, 30]           1,168',
      '       BatchNorm2d-5           [2, 16, 30, 30]              32',
      '              ReLU-6           [2, 16, 30, 30]               0',
      '           Flatten-7                [2, 14400]               0',
      '            Linear-8                   [2, 10]         144,010',
      '               Net-9                   [2, 10]               0',
      '======================================================================',
      'Total params: 145,434',
      'Trainable params: 145,434',
      'Non-trainable params: 0',
      '======================================================================',
    ];
    assert.deepStrictEqual(linesOf(formatSummary(net, 'seed')), expected);
  });

  it('prints unknown tfjs dims as None', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 516, inputShape: [128], activation: 'relu' }),
        tf.layers.dense({ units: 516 }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const text = formatSummary(fromTfjs(model, 'model', 'tfjs-sequential'), 'seed');
    assert.deepStrictEqual(linesOf(text).slice(3, 7), [
      '             Dense-1               [None, 516]          66,564',
      '             Dense-2               [None, 516]         266,772',
      '             Dense-3                 [None, 1]             517',
      '             model-4                 [None, 1]               0',
    ]);
    assert.ok(text.includes('Total params: 333,853\n'));
  });

  it('prints unknown params as ? with the reasons in a footer', () => {
    const m = summary({
      name: 'Rnn',
      inputShape: [8, 20, 32],
      outputShape: [8, 20, null],
      totalParams: null,
      trainableParams: null,
      nonTrainableParams: 0,
      layers: rows([
        { name: 'rnn', type: 'LSTM', params: null, outputShape: [8, 20, null], unknownReason: 'hiddenSize has no value' },
        { name: 'fc', type: 'Linear', params: null, outputShape: null, unknownReason: 'in_features is unknown' },
      ]),
    });
    const lines = linesOf(formatSummary(m, 'seed'));
    assert.strictEqual(lines[3], '              LSTM-1                [8, 20, ?]               ?');
    assert.strictEqual(lines[4], '            Linear-2                         ?               ?');
    assert.ok(lines.includes('Total params: ?'));
    assert.ok(lines.includes('Trainable params: ?'));
    const footer = lines.slice(lines.lastIndexOf('='.repeat(70)) + 1).join('\n');
    assert.match(footer, /rnn \(LSTM\): hiddenSize has no value/);
    assert.match(footer, /fc \(Linear\): in_features is unknown/);
    // The clean case has no footer at all.
    assert.ok(formatSummary(simpleMlp, 'seed').endsWith('=\n'));
  });
});

describe('format: torchinfo', () => {
  it('matches torchinfo 1.8 layout for a nested module', () => {
    const expected = [
      '============================================================================================================================================',
      'Layer (type:depth-idx)                   Input Shape               Output Shape              Param #                   Mult-Adds',
      '============================================================================================================================================',
      'Net                                      [2, 3, 32, 32]            [2, 10]                   --                        --',
      '├─Block: 1-1                             [2, 3, 32, 32]            [2, 8, 32, 32]            --                        --',
      '│    └─Conv2d: 2-1                       [2, 3, 32, 32]            [2, 8, 32, 32]            224                       458,752',
      '│    └─ReLU: 2-2                         [2, 8, 32, 32]            [2, 8, 32, 32]            --                        --',
      '├─Sequential: 1-2                        [2, 8, 32, 32]            [2, 16, 30, 30]           --                        --',
      '│    └─Conv2d: 2-3                       [2, 8, 32, 32]            [2, 16, 30, 30]           1,168                     2,102,400',
      '│    └─BatchNorm2d: 2-4                  [2, 16, 30, 30]           [2, 16, 30, 30]           32                        64',
      '│    └─ReLU: 2-5                         [2, 16, 30, 30]           [2, 16, 30, 30]           --                        --',
      '├─Flatten: 1-3                           [2, 16, 30, 30]           [2, 14400]                --                        --',
      '├─Linear: 1-4                            [2, 14400]                [2, 10]                   144,010                   288,020',
      '============================================================================================================================================',
      'Total params: 145,434',
      'Trainable params: 145,434',
      'Non-trainable params: 0',
      'Total mult-adds (M): 2.85',
      '============================================================================================================================================',
      'Input size (MB): 0.02',
      'Forward/backward pass size (MB): 1.18',
      'Params size (MB): 0.58',
      'Estimated Total Size (MB): 1.79',
      '============================================================================================================================================',
    ];
    assert.deepStrictEqual(linesOf(formatSummary(net, 'torchinfo')), expected);
  });

  it('torchinfo\'s `--` on a Python model: the module rows, the parameter-free layers, an Embedding lookup\'s mult-adds', () => {
    // examples/python/embedding.py; each leaf's Param # is real PyTorch's (python-truth.json leafParams).
    const root = path.resolve(__dirname, '../../..');
    const truth = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/python/python-truth.json'), 'utf8')).files['embedding.py'].TwoTower;
    const file = path.join(root, 'examples/python/embedding.py');
    const [m] = analyzeSource(file, fs.readFileSync(file, 'utf8')).models;
    const cells = (prefix: string) => {
      const line = linesOf(formatTorchinfo(m)).find((l) => l.startsWith(prefix));
      assert.ok(line, prefix);
      return line.slice(40).trim().split(/ {2,}/);
    };
    const n = (k: string) => (truth.leafParams[k] as number).toLocaleString('en-US');
    // [input, output, Param #, Mult-Adds]
    assert.deepStrictEqual(cells('TwoTower'), ['[32, 2]', '[32, 1]', '--', '--']);
    assert.deepStrictEqual(cells('├─Embedding: 1-1'), ['[32]', '[32, 32]', n('users'), '--']);
    assert.deepStrictEqual(cells('├─Embedding: 1-2'), ['[32]', '[32, 32]', n('items'), '--']);
    assert.deepStrictEqual(cells('├─Sequential: 1-3'), ['[32, 64]', '[32, 32]', '--', '--']);
    // Linear(64, 64) on [32, 64]: 32 × (64 × 64 + 64) = 133,120 multiply-accumulates.
    assert.deepStrictEqual(cells('│    └─Linear: 2-1'), ['[32, 64]', '[32, 64]', n('mlp.fc0'), '133,120']);
    assert.deepStrictEqual(cells('│    └─ReLU: 2-2'), ['[32, 64]', '[32, 64]', '--', '--']);
    assert.deepStrictEqual(cells('├─Linear: 1-4'), ['[32, 32]', '[32, 1]', n('out'), '1,056']);
    // At depth 1 the Sequential stands for its subtree: its count and its layers' mult-adds.
    const atDepth1 = linesOf(formatTorchinfo(m, { depth: 1 })).find((l) => l.startsWith('├─Sequential: 1-3'))!.slice(40).trim().split(/ {2,}/);
    assert.deepStrictEqual(atDepth1, ['[32, 64]', '[32, 32]', (truth.leafParams['mlp.fc0'] + truth.leafParams['mlp.fc1']).toLocaleString('en-US'), (133_120 + 66_560).toLocaleString('en-US')]);
  });

  it('marks reused layers (recursive), shows non-trainable counts in parentheses, widens long names', () => {
    const m = summary({
      name: 'Tied',
      totalParams: 1000,
      trainableParams: 500,
      nonTrainableParams: 500,
      layers: rows([
        { name: 'enc', type: 'Linear', params: 500, outputShape: [1, 20] },
        { name: 'frozen', type: 'AVeryLongCustomLayerClassNameIndeed', params: 500, trainableParams: 0, nonTrainableParams: 500, outputShape: [1, 20] },
        { name: 'enc', type: 'Linear', params: 500, outputShape: [1, 20], reused: true },
      ]),
    });
    const lines = linesOf(formatSummary(m, 'torchinfo'));
    // "AVeryLongCustomLayerClassNameIndeed: 1-2" is 40 chars; +1·5+1 = 46 → rounded up to 50.
    assert.strictEqual(lines[0].length, 50 + 4 * 25);
    const frozen = lines.find((l) => l.startsWith('├─AVeryLong')) as string;
    assert.match(frozen, /\(500\)/);
    assert.strictEqual(frozen.indexOf('--'), 51, 'the input column starts after the widened name column');
    assert.match(lines.find((l) => l.startsWith('├─Linear: 1-3')) as string, /\(recursive\)/);
  });

  it('reports mult-adds in G when large and ? when unknown', () => {
    const big = summary({ name: 'Big', multAdds: 11_630_000_000, layers: [] });
    assert.ok(linesOf(formatSummary(big, 'torchinfo')).includes('Total mult-adds (G): 11.63'));
    const unknown = summary({ name: 'U', multAdds: null, activationBytes: null, layers: [] });
    const lines = linesOf(formatSummary(unknown, 'torchinfo'));
    assert.ok(lines.includes('Total mult-adds (M): ?'));
    assert.ok(lines.includes('Forward/backward pass size (MB): ?'));
    assert.ok(lines.includes('Estimated Total Size (MB): ?'));
  });
});

describe('format: keras (tfjs model.summary)', () => {
  it('sequential MLP', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 516, inputShape: [128], activation: 'relu' }),
        tf.layers.dense({ units: 516, activation: 'relu' }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    assertKerasMatches(model, 'tfjs-sequential');
  });

  it('CNN with non-trainable batch-norm weights', () => {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dropout({ rate: 0.5 }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    assertKerasMatches(model, 'tfjs-sequential');
  });

  it('functional model with two inputs and a concatenate', () => {
    const a = tf.input({ shape: [8], name: 'left' });
    const b = tf.input({ shape: [4] });
    const merged = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
    const hidden = tf.layers.dense({ units: 16, activation: 'relu' }).apply(merged) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 3 }).apply(hidden) as tf.SymbolicTensor;
    assertKerasMatches(tf.model({ inputs: [a, b], outputs: out }), 'tfjs-functional');
  });

  it('functional branches listed in tfjs depth order, not source order', () => {
    const x = tf.input({ shape: [6], name: 'x' });
    const short = tf.layers.dense({ units: 5, name: 'short' }).apply(x) as tf.SymbolicTensor;
    const long1 = tf.layers.dense({ units: 7, name: 'long1' }).apply(x) as tf.SymbolicTensor;
    const long2 = tf.layers.dense({ units: 5, name: 'long2' }).apply(long1) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'sum' }).apply([long2, short]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: sum });
    // Guard the premise: tfjs's order differs from creation order.
    assert.deepStrictEqual(model.layers.map((l) => l.name), ['x', 'long1', 'long2', 'short', 'sum']);
    assertKerasMatches(model, 'tfjs-functional');
  });

  it('functional model with a shared layer (two inbound nodes)', () => {
    const a = tf.input({ shape: [4], name: 'qa' });
    const b = tf.input({ shape: [4], name: 'qb' });
    const shared = tf.layers.dense({ units: 3, name: 'shared' });
    const ea = shared.apply(a) as tf.SymbolicTensor;
    const eb = shared.apply(b) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate({ name: 'joined' }).apply([ea, eb]) as tf.SymbolicTensor;
    assertKerasMatches(tf.model({ inputs: [a, b], outputs: joined }), 'tfjs-functional');
  });

  it('functional chain prints like a sequential model, with its InputLayer', () => {
    const x = tf.input({ shape: [10, 3], name: 'seq' });
    const [out] = tf.layers.lstm({ units: 8, returnState: true, name: 'lstm' }).apply(x) as tf.SymbolicTensor[];
    const y = tf.layers.dense({ units: 2, name: 'head' }).apply(out) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    assert.strictEqual(tfjsLines(model)[1].includes('Receives inputs'), false, 'tfjs treats a chain as sequential');
    assertKerasMatches(model, 'tfjs-functional');
  });

  it('prints ? for unknown counts and a reasons footer', () => {
    const m = summary({
      name: 'model',
      framework: 'tfjs',
      kind: 'tfjs-sequential',
      totalParams: null,
      trainableParams: null,
      nonTrainableParams: null,
      layers: rows([{ name: 'lstm1', type: 'LSTM', params: null, inputShapes: [[null, 10, 3]], outputShape: [null, 8], unknownReason: 'units has no value' }]),
    });
    const lines = linesOf(formatSummary(m, 'keras'));
    assert.strictEqual(lines[3].trimEnd(), 'lstm1 (LSTM)                [[null,10,3]]             [null,8]                  ?');
    assert.ok(lines.includes('Total params: ?'));
    assert.ok(lines.some((l) => l.includes('lstm1 (LSTM): units has no value')));
  });
});

describe('format: keras from the analyzer, against tfjs on the same source', () => {
  // An encoder-decoder whose decoder starts from the encoder's states (`initialState`): tfjs
  // counts the states as inputs of the decoder's call, which shows in "Receives inputs" and in
  // the order of the layers. Every layer is named, so tfjs's process-wide counters do not matter.
  const body = (t: string) => `
  const enc = ${t}.input({ shape: [12, 8], name: 'enc_in' });
  const [encOut, h, c] = ${t}.layers.lstm({ units: 16, returnState: true, returnSequences: true, name: 'encoder' }).apply(enc);
  const dec = ${t}.input({ shape: [7, 5], name: 'dec_in' });
  const decOut = ${t}.layers.lstm({ units: 16, returnSequences: true, name: 'decoder' }).apply(dec, { initialState: [h, c] });
  const att = ${t}.layers.dot({ axes: [2, 2], name: 'scores' }).apply([decOut, encOut]);
  const w = ${t}.layers.softmax({ name: 'weights' }).apply(att);
  const ctx = ${t}.layers.dot({ axes: [2, 1], name: 'context' }).apply([w, encOut]);
  const both = ${t}.layers.concatenate({ name: 'both' }).apply([ctx, decOut]);
  const out = ${t}.layers.timeDistributed({ layer: ${t}.layers.dense({ units: 9, name: 'vocab' }), name: 'per_step' }).apply(both);
  return ${t}.model({ inputs: [enc, dec], outputs: out });`;

  it('prints what tfjs prints, line for line', () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const real = new Function('tf', body('tf'))(tf) as tf.LayersModel;
    const source = `import * as tf from '@tensorflow/tfjs';\nexport function seq2seq() {${body('tf')}\n}\n`;
    const m = analyzeSource('/virtual/seq2seq.ts', source).models[0];
    assert.deepStrictEqual(linesOf(formatSummary(m, 'keras')), tfjsLines(real));
  });
});

describe('format: json', () => {
  it('keeps the contract key order and moves ops out of layers', () => {
    const parsed = JSON.parse(formatFileJson({ file: 'net.ts', models: [net], diagnostics: [] }));
    assert.deepStrictEqual(Object.keys(parsed).slice(0, 2), ['file', 'models']);
    const m = parsed.models[0];
    assert.deepStrictEqual(Object.keys(m).slice(0, 9), [
      'name', 'line', 'inputShape', 'totalParams', 'trainableParams', 'nonTrainableParams', 'outputShape', 'layers', 'diagnostics',
    ]);
    for (const key of ['framework', 'kind', 'inputShapes', 'outputShapes', 'inputShapeSource', 'multAdds', 'paramBytes', 'activationBytes']) {
      assert.ok(key in m, key);
    }
    assert.deepStrictEqual(Object.keys(m.layers[0]).slice(0, 7), ['name', 'type', 'line', 'depth', 'container', 'outputShape', 'params']);
    for (const key of ['inputShapes', 'totalParams', 'trainableParams', 'nonTrainableParams', 'multAdds', 'formula', 'unknownReason', 'parent', 'inputs']) {
      assert.ok(key in m.layers[0], key);
    }
    assert.strictEqual(m.layers.length, 9);
    assert.ok(!m.layers.some((l: { name: string }) => l.name === 'F.dropout'));
    assert.deepStrictEqual(m.ops.map((o: { name: string }) => o.name), ['F.dropout']);
    assert.strictEqual(m.layers[0].totalParams, 224);
    assert.strictEqual(m.layers[1].parent, 0);
  });

  it('writes unknowns as null, 2-space indented', () => {
    const m = summary({
      name: 'U',
      totalParams: null,
      layers: rows([{ name: 'x', type: 'LSTM', params: null, outputShape: [null, 4], unknownReason: 'units has no value' }]),
    });
    const text = formatSummary(m, 'json');
    assert.ok(text.startsWith('{\n  "file": "model.ts",\n  "models": [\n    {\n      "name": "U",'));
    const parsed = JSON.parse(text);
    assert.strictEqual(parsed.models[0].totalParams, null);
    assert.strictEqual(parsed.models[0].layers[0].params, null);
    assert.deepStrictEqual(parsed.models[0].layers[0].outputShape, [null, 4]);
    assert.strictEqual(parsed.models[0].layers[0].unknownReason, 'units has no value');
    assert.strictEqual(parsed.models[0].layers[0].formula, null);
  });
});

describe('format: markdown', () => {
  it('renders a table of the rows with totals', () => {
    const lines = linesOf(formatSummary(net, 'markdown'));
    assert.ok(lines.includes('| Layer | Type | Output Shape | Param # |'));
    assert.ok(lines.includes('| `fc` | Linear | `[2, 10]` | 144,010 |'));
    assert.ok(lines.includes('| `block` | Block | `[2, 8, 32, 32]` | -- |'));
    assert.ok(!lines.some((l) => l.includes('F.dropout')));
    assert.ok(lines.some((l) => l.includes('**Total params:** 145,434')));
  });

  it('marks unknowns with ? and lists the reasons', () => {
    const m = summary({
      name: 'U',
      totalParams: null,
      layers: rows([{ name: 'x', type: 'LSTM', params: null, outputShape: [8, null], unknownReason: 'units has no value' }]),
    });
    const text = formatSummary(m, 'markdown');
    assert.ok(text.includes('| `x` | LSTM | `[8, ?]` | ? |'));
    assert.ok(text.includes('**Total params:** ?'));
    assert.ok(text.includes('- x (LSTM): units has no value'));
  });
});

describe('format: long names and shapes widen their column for the whole table', () => {
  // PreNormEncoder's tail as real PyTorch 1.13 forward hooks see it: the encoder layers fire
  // after their children (hook numbers past 9), and MultiheadAttention returns the output and
  // the per-head weights ([4, 12, 32] and [4, 4, 12, 12] with average_attn_weights=False).
  const long = summary({
    name: 'PreNormEncoder',
    inputShape: [4, 12],
    outputShape: [4, 2],
    totalParams: 12386,
    trainableParams: 12386,
    layers: rows([
      ...Array.from({ length: 9 }, (_, k) => ({ name: `drop${k}`, type: 'Dropout', family: 'dropout' as const, outputShape: [4, 12, 32] })),
      { name: 'layer', type: 'TransformerEncoderLayer', outputShape: [4, 12, 32], params: 7504 },
      { name: 'attn', type: 'MultiheadAttention', outputShape: [4, 12, 32], outputShapes: [[4, 12, 32], [4, 4, 12, 12]], params: 4224 },
      { name: 'head', type: 'Linear', outputShape: [4, 2], params: 66 },
    ]),
  });

  it('seed: every row keeps its cells right-aligned on the same edges, at least one space apart', () => {
    const lines = linesOf(formatSummary(long, 'seed'));
    const table = lines.slice(3, lines.indexOf(lines[0], 3));
    assert.strictEqual(table.length, 13);
    assert.strictEqual(table[9], 'TransformerEncoderLayer-10                   [4, 12, 32]           7,504');
    assert.strictEqual(table[10], '     MultiheadAttention-11 [[4, 12, 32], [4, 4, 12, 12]]           4,224');
    const nameEnd = 'TransformerEncoderLayer-10'.length;
    for (const l of table) {
      assert.strictEqual(l.length, table[0].length, l);
      // The name ends at the widened name column; the shape and count cells end at their edges.
      assert.strictEqual(l[nameEnd], ' ', l);
      const shape = outputCell(l);
      assert.strictEqual(l.indexOf(shape) + shape.length, table[10].indexOf(']]') + 2, l);
    }
    assert.strictEqual(lines[0].length, table[0].length + 8, 'the rule keeps torchsummary\'s 8 extra characters');
    // The header's titles end on the same edges as the cells under them.
    assert.strictEqual(lines[1].indexOf('Output Shape') + 'Output Shape'.length, table[10].indexOf(']]') + 2);
    assert.strictEqual(lines[1].length, table[0].length);
  });

  function outputCell(line: string): string {
    const m = /(\[\[.*\]\]|\[[^\]]*\]|\?)\s+\S+$/.exec(line);
    assert.ok(m, line);
    return m[1];
  }

  it('seed: a table whose cells fit keeps torchsummary\'s widths exactly', () => {
    for (const l of linesOf(formatSummary(simpleMlp, 'seed'))) assert.ok(l.length === 70 || l.length <= 62, l);
  });

  it('torchinfo: a multi-output shape widens its column, and every later column starts at the same place in every row', () => {
    const lines = linesOf(formatSummary(long, 'torchinfo'));
    const header = lines[1];
    const paramsAt = header.indexOf('Param #');
    const macsAt = header.indexOf('Mult-Adds');
    assert.strictEqual(macsAt - paramsAt, 26, 'Param # keeps torchinfo\'s 25 + 1');
    assert.strictEqual(paramsAt - header.indexOf('Output Shape'), '[[4, 12, 32], [4, 4, 12, 12]]'.length + 1);
    const table = lines.slice(3, lines.indexOf(lines[0], 3));
    for (const l of table) {
      assert.strictEqual(l[paramsAt - 1], ' ', l);
      assert.notStrictEqual(l[paramsAt], ' ', l);
      assert.notStrictEqual(l[macsAt], ' ', l);
    }
    assert.match(table.find((l) => l.startsWith('├─MultiheadAttention')) as string, /\[\[4, 12, 32\], \[4, 4, 12, 12\]\] 4,224/);
    assert.strictEqual(lines[0].length, 140 + '[[4, 12, 32], [4, 4, 12, 12]]'.length - 25, 'the rule grows by what the column grew');
  });

  it('torchinfo: a container at the depth limit is in parentheses only when nothing under it trains', () => {
    const m = summary({
      name: 'Enc',
      totalParams: 7504,
      trainableParams: 7504,
      layers: rows([
        { name: 'layers', type: 'ModuleList', container: true, params: 0, trainableParams: 0, totalParams: 7504 },
        { name: 'layers.0', type: 'TransformerEncoderLayer', container: true, depth: 2, params: 0, trainableParams: 0, totalParams: 7504, outputShape: [4, 12, 32] },
        { name: 'layers.0.linear1', type: 'Linear', depth: 3, params: 7504, outputShape: [4, 12, 48] },
      ]),
    });
    const row = linesOf(formatTorchinfo(m, { depth: 2 })).find((l) => l.includes('TransformerEncoderLayer')) as string;
    assert.match(row, / 7,504 /);
    assert.doesNotMatch(row, /\(7,504\)/);
  });
});

describe('format: a reason shared by many layers is said once, with the count', () => {
  const reason = 'in_features: dModel has no value';
  const m = summary({
    name: 'Wide',
    totalParams: null,
    trainableParams: null,
    layers: rows([
      ...Array.from({ length: 7 }, (_, k) => ({ name: `fc${k}`, type: 'Linear', params: null, unknownReason: reason })),
      { name: 'norm', type: 'LayerNorm', params: null, unknownReason: 'the input shape is unknown' },
      { name: 'act', type: 'ReLU', unknownReason: 'the input shape is unknown' },
    ]),
  });

  it('groups rows by reason, lists up to five names and says how many more', () => {
    const lines = linesOf(formatSummary(m, 'seed'));
    const notes = lines.slice(lines.indexOf('? = unknown:') + 1);
    assert.deepStrictEqual(notes, [
      '  fc0, fc1, fc2, fc3, fc4 and 2 more (7 × Linear): in_features: dModel has no value',
      '  norm, act (2 layers): the input shape is unknown',
    ]);
  });

  it('keeps the one-layer line as before', () => {
    const one = summary({ name: 'One', totalParams: null, layers: rows([{ name: 'x', type: 'LSTM', params: null, unknownReason: 'units has no value' }]) });
    assert.ok(linesOf(formatSummary(one, 'torchinfo')).includes('  x (LSTM): units has no value'));
  });
});
