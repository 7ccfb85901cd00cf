/**
 * The forward-pass runtime against real PyTorch, layer kind by layer kind: every case of
 * test/fixtures/torch/layers.json that PyTorch 1.13 ran successfully (see generate.py there) is
 * written as a one-layer model, analyzed, rebuilt in TensorFlow.js and run. tfjs's own
 * countParams() and the actual output shapes must equal PyTorch's, and the runtime's comparison
 * with the static analysis must find nothing. The tfjs half builds one model per catalog factory
 * (tfjs is its own truth there: the symbolic model's shape inference and countParams()).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { analyzeSource } from '../../src/core/analyze';
import { catalog } from '../../src/core/catalog';
import type { ModelSummary } from '../../src/core/summary';
import { executePlan } from '../../src/runtime/execute';
import { planFromSummary } from '../../src/runtime/plan';
import { ForwardPassError } from '../../src/runtime/types';
import { Json, LayerJson, TorchLayerCase, loadTorchLayerCases } from '../fixtures/torch/layers';

type Case = TorchLayerCase;

const ROOT = path.resolve(__dirname, '../../..');
const fixture = loadTorchLayerCases();

/**
 * Cases the runtime deliberately does not run, each with the reason. Everything else in the
 * fixture must run and agree.
 */
const NOT_RUN: Record<string, string> = {
  ModuleList: 'a ModuleList is not callable; its layers are run where forward uses them',
  'Sequential:0': 'an empty Sequential has no layer to run',
};
// Kinds the static catalog knows (checked against PyTorch in torchCatalog.test.ts) that the
// forward-pass runtime has no TensorFlow.js equivalent for yet: refused with a clear message.
for (const t of ['ReLU6', 'Hardswish', 'Hardsigmoid', 'SELU', 'CELU', 'Softsign', 'Tanhshrink', 'LogSigmoid', 'Hardshrink', 'Softshrink', 'RReLU',
  'Threshold', 'Softmin', 'GLU', 'PixelShuffle', 'PixelUnshuffle', 'ChannelShuffle', 'UpsamplingNearest2d', 'UpsamplingBilinear2d', 'LocalResponseNorm',
  'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d', 'Bilinear', 'RNNCell', 'LSTMCell', 'GRUCell',
  'SyncBatchNorm', 'CrossMapLRN2d', 'LazyInstanceNorm1d', 'LazyInstanceNorm2d', 'LazyInstanceNorm3d', 'LPPool1d', 'LPPool2d', 'FractionalMaxPool2d', 'FractionalMaxPool3d',
  'MaxUnpool1d', 'MaxUnpool2d', 'MaxUnpool3d', 'CosineSimilarity', 'PairwiseDistance', 'AdaptiveLogSoftmaxWithLoss', 'L1Loss', 'MSELoss', 'CrossEntropyLoss', 'NLLLoss',
  'PoissonNLLLoss', 'GaussianNLLLoss', 'KLDivLoss', 'BCELoss', 'BCEWithLogitsLoss', 'MarginRankingLoss', 'HingeEmbeddingLoss', 'MultiLabelMarginLoss', 'HuberLoss',
  'SmoothL1Loss', 'SoftMarginLoss', 'MultiLabelSoftMarginLoss', 'CosineEmbeddingLoss', 'MultiMarginLoss', 'TripletMarginLoss', 'TripletMarginWithDistanceLoss', 'CTCLoss', 'EmbeddingBag', 'Fold', 'Unfold', 'ConvTranspose3d',
  'LazyLinear', 'LazyConv1d', 'LazyConv2d', 'LazyConv3d', 'LazyConvTranspose1d', 'LazyConvTranspose2d', 'LazyConvTranspose3d', 'LazyBatchNorm1d', 'LazyBatchNorm2d', 'LazyBatchNorm3d'].concat(['Constant', 'Reflection', 'Replication'].flatMap((k) => [1, 2, 3].map((n) => `${k}Pad${n}d`)))) {
  NOT_RUN[t] = 'no TensorFlow.js equivalent in the runtime yet';
}

function literal(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    if ('layer' in v) return construct(v.layer as unknown as LayerJson);
    return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${literal(x)}`).join(', ')} }`;
  }
  return JSON.stringify(v);
}

function construct(l: LayerJson): string {
  const parts = l.args.map(literal);
  if (Object.keys(l.kwargs).length) parts.push(literal(l.kwargs as Json));
  return `new nn.${l.type}(${parts.join(', ')})`;
}

/** One-layer PyTorch-shaped model source for a fixture case. */
function source(c: Case): string {
  const n = c.note === 'called as (x, x, x)' ? 3 : c.input.length;
  const params = c.input.map((_, i) => `x${i}: Tensor`).join(', ');
  const call = Array.from({ length: n }, (_, i) => `x${Math.min(i, c.input.length - 1)}`).join(', ');
  return `import { nn, Tensor } from 'js-pytorch';
/** @inputShape ${c.input.map((s) => `[${s.join(', ')}]`).join(' ')} */
export class Case extends nn.Module {
  layer = ${construct(c)};
  forward(${params}) {
    return this.layer.forward(${call});
  }
}
`;
}

function flatShapes(o: Json): number[][] {
  if (Array.isArray(o)) return [o as number[]];
  if (o && typeof o === 'object' && 'tuple' in o) return (o.tuple as Json[]).flatMap(flatShapes);
  return [];
}

function analyzeOne(file: string, text: string): ModelSummary {
  const r = analyzeSource(file, text);
  assert.strictEqual(r.models.length, 1, `expected one model: ${JSON.stringify(r.diagnostics)}`);
  return r.models[0];
}

// These cases run in this process on the wasm backend; put back whatever backend other test files use.
let previousBackend = '';
before(() => {
  previousBackend = tf.getBackend() ?? '';
});
after(async () => {
  if (previousBackend) await tf.setBackend(previousBackend);
});

describe('runtime vs real PyTorch: every fixture layer case', function () {
  this.timeout(120_000);
  const ok = fixture.cases.filter((c) => !c.error);
  const counts = new Map<string, number>();
  for (const c of ok) {
    const k = (counts.get(c.type) ?? 0) + 1;
    counts.set(c.type, k);
    const title = `${c.type}(${c.args.map((a) => JSON.stringify(a)).join(', ')}${Object.keys(c.kwargs).length ? `, ${JSON.stringify(c.kwargs)}` : ''}) on ${JSON.stringify(c.input)}`;
    const skip = NOT_RUN[c.type] ?? NOT_RUN[`${c.type}:${c.args.length}`];
    if (skip) {
      it(`${title} is refused with a clear message (${skip})`, () => {
        const m = analyzeOne(`/virtual/case-${c.type}-${k}.ts`, source(c));
        assert.throws(() => planFromSummary(m), (e: unknown) => e instanceof ForwardPassError && /no layers to run|can't build/.test(e.message));
      });
      continue;
    }
    it(title, async () => {
      const m = analyzeOne(`/virtual/case-${c.type}-${k}.ts`, source(c));
      const r = await executePlan(planFromSummary(m), { backend: 'wasm' });
      const layer = r.layers.find((l) => l.type === c.type || (c.type === 'Sequential' && l.params !== undefined));
      // Real PyTorch's parameter count and output shapes:
      const torchParams = (c.params?.trainable ?? 0) + (c.params?.nonTrainable ?? 0);
      assert.strictEqual(r.totalParams, torchParams, 'tfjs countParams() vs PyTorch parameters()');
      // A composite layer (a Transformer encoder) runs as its submodules, as in PyTorch: the model's output is its output.
      const expanded = catalog.torch.get(c.type)?.expand !== undefined && m.layers.some((row) => row.type === c.type && row.container);
      if (expanded) assert.ok(r.layers.some((l) => l.type === 'MultiheadAttention'), 'its submodules ran');
      if (c.type !== 'Sequential' && !expanded) {
        assert.ok(layer, 'the layer ran');
        assert.deepStrictEqual(layer.outputShapes ?? [layer.outputShape], flatShapes(c.output as Json), 'actual outputs vs PyTorch');
      } else assert.deepStrictEqual(r.outputShape, flatShapes(c.output as Json)[0]);
      assert.deepStrictEqual(r.findings, [], 'runtime vs static analysis');
    });
  }
});

/** A tfjs config for each catalog factory, with the input it takes (batch excluded). */
const TFJS_CASES: Record<string, { config: string; input: number[]; int?: boolean }> = {
  dense: { config: '{ units: 7 }', input: [5] },
  activation: { config: "{ activation: 'tanh' }", input: [6] },
  reLU: { config: '{}', input: [6] },
  leakyReLU: { config: '{ alpha: 0.2 }', input: [6] },
  elu: { config: '{}', input: [6] },
  softmax: { config: '{}', input: [6] },
  thresholdedReLU: { config: '{ theta: 0.5 }', input: [6] },
  prelu: { config: '{}', input: [4, 6] },
  dropout: { config: '{ rate: 0.3 }', input: [6] },
  spatialDropout1d: { config: '{ rate: 0.3 }', input: [5, 6] },
  gaussianDropout: { config: '{ rate: 0.3 }', input: [6] },
  gaussianNoise: { config: '{ stddev: 0.1 }', input: [6] },
  alphaDropout: { config: '{ rate: 0.3 }', input: [6] },
  flatten: { config: '{}', input: [3, 4, 5] },
  reshape: { config: '{ targetShape: [12, 5] }', input: [3, 4, 5] },
  permute: { config: '{ dims: [2, 1] }', input: [3, 4] },
  repeatVector: { config: '{ n: 3 }', input: [4] },
  zeroPadding2d: { config: '{ padding: [[1, 2], [0, 3]] }', input: [5, 6, 2] },
  cropping2D: { config: '{ cropping: [[1, 1], [2, 0]] }', input: [6, 7, 2] },
  upSampling2d: { config: '{ size: [2, 3] }', input: [4, 5, 2] },
  masking: { config: '{ maskValue: 0 }', input: [5, 3] },
  rescaling: { config: '{ scale: 0.5, offset: 1 }', input: [6] },
  conv1d: { config: "{ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }", input: [11, 3] },
  conv2d: { config: '{ filters: 4, kernelSize: [3, 2], dilationRate: 2 }', input: [10, 9, 3] },
  conv3d: { config: '{ filters: 2, kernelSize: 2 }', input: [4, 5, 6, 3] },
  conv2dTranspose: { config: "{ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }", input: [5, 6, 3] },
  conv3dTranspose: { config: '{ filters: 2, kernelSize: 2, strides: 2 }', input: [3, 3, 3, 2] },
  separableConv2d: { config: '{ filters: 5, kernelSize: 3, depthMultiplier: 2 }', input: [8, 8, 3] },
  depthwiseConv2d: { config: '{ kernelSize: 3, depthMultiplier: 2 }', input: [8, 8, 3] },
  maxPooling1d: { config: '{ poolSize: 3 }', input: [10, 2] },
  maxPooling2d: { config: "{ poolSize: 2, padding: 'same' }", input: [7, 7, 2] },
  maxPooling3d: { config: '{ poolSize: 2 }', input: [4, 4, 4, 2] },
  averagePooling1d: { config: '{ poolSize: 2 }', input: [10, 2] },
  averagePooling2d: { config: '{ poolSize: [2, 3] }', input: [8, 9, 2] },
  averagePooling3d: { config: '{ poolSize: 2 }', input: [4, 4, 4, 2] },
  globalMaxPooling1d: { config: '{}', input: [10, 3] },
  globalMaxPooling2d: { config: '{}', input: [5, 6, 3] },
  globalAveragePooling1d: { config: '{}', input: [10, 3] },
  globalAveragePooling2d: { config: '{}', input: [5, 6, 3] },
  batchNormalization: { config: '{}', input: [5, 4] },
  layerNormalization: { config: '{}', input: [5, 4] },
  embedding: { config: '{ inputDim: 30, outputDim: 4 }', input: [6], int: true },
  simpleRNN: { config: '{ units: 5, returnSequences: true }', input: [7, 3] },
  lstm: { config: '{ units: 5 }', input: [7, 3] },
  gru: { config: '{ units: 5 }', input: [7, 3] },
  bidirectional: { config: "{ layer: tf.layers.lstm({ units: 4, returnSequences: true }), mergeMode: 'ave' }", input: [7, 3] },
  timeDistributed: { config: '{ layer: tf.layers.dense({ units: 3 }) }', input: [7, 4] },
  rnn: { config: '{ cell: [tf.layers.lstmCell({ units: 4 }), tf.layers.gruCell({ units: 3 })], returnSequences: true }', input: [7, 3] },
  convLstm2d: { config: "{ filters: 2, kernelSize: 3, padding: 'same' }", input: [3, 6, 6, 2] },
  categoryEncoding: { config: "{ numTokens: 6, outputMode: 'count' }", input: [3], int: true },
};
/** Factories that merge several inputs: two inputs of the given shape. */
const TFJS_MERGE: Record<string, { config: string; input: number[] }> = {
  add: { config: '{}', input: [6] },
  multiply: { config: '{}', input: [6] },
  average: { config: '{}', input: [6] },
  maximum: { config: '{}', input: [6] },
  minimum: { config: '{}', input: [6] },
  concatenate: { config: '{}', input: [6] },
  dot: { config: '{ axes: 1 }', input: [6] },
};
/** Factories not run, with the reason. */
const TFJS_NOT_RUN: Record<string, string> = {
  inputLayer: 'the model input itself, present in every functional case',
  centerCrop: 'an image preprocessing layer, refused with a message',
  simpleRNNCell: 'a cell applied on its own does not run in tfjs (it takes [inputs, ...states]); run through rnn',
  lstmCell: 'a cell applied on its own does not run in tfjs; run through rnn',
  gruCell: 'a cell applied on its own does not run in tfjs; run through rnn',
  stackedRNNCells: 'cells applied on their own do not run in tfjs; run through rnn',
  convLstm2dCell: 'a cell applied on its own does not run in tfjs; run through convLstm2d',
  resizing: "tfjs 4.22 reports a batched Resizing's output without its batch: refused",
  randomWidth: 'a random width: refused',
};

describe('runtime: a TransformerEncoder too deep to expand runs as one layer', function () {
  this.timeout(120_000);
  it('65 encoder layers: one row, one tfjs layer, the static count and shape', async () => {
    const m = analyzeOne(
      '/virtual/deep-encoder.ts',
      `import { nn, Tensor } from 'js-pytorch';
/** @inputShape [2, 5, 8] */
export class Deep extends nn.Module {
  encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dim_feedforward: 16, batch_first: true }), 65);
  forward(x: Tensor): Tensor {
    return this.encoder.forward(x);
  }
}`,
    );
    assert.deepStrictEqual(m.layers.map((r) => [r.type, r.container]), [['TransformerEncoder', false]]);
    const r = await executePlan(planFromSummary(m), { backend: 'wasm' });
    assert.strictEqual(r.totalParams, m.totalParams, 'tfjs countParams() vs the catalog rule');
    assert.deepStrictEqual(r.outputShape, [2, 5, 8]);
    assert.deepStrictEqual(r.findings, [], 'runtime vs static analysis');
  });
});

describe('runtime vs tfjs: every catalog factory', function () {
  this.timeout(120_000);
  const seen = new Set<string>();
  for (const [factory, entry] of catalog.tfjsByFactory) {
    if (seen.has(entry.type)) continue; // aliases (maxPool2d → MaxPooling2D) are one layer kind
    seen.add(entry.type);
    if (TFJS_NOT_RUN[factory]) continue;
    const single = TFJS_CASES[factory];
    const merge = TFJS_MERGE[factory];
    it(`${factory} (${entry.type})`, async () => {
      assert.ok(single || merge, `no runtime case for tf.layers.${factory}: add one`);
      const shape = `[${(single ?? merge).input.join(', ')}]`;
      const text = merge
        ? `import * as tf from '@tensorflow/tfjs';
export function build() {
  const a = tf.input({ shape: ${shape} });
  const b = tf.input({ shape: ${shape} });
  const y = tf.layers.${factory}(${merge.config}).apply([a, b]) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: y });
}
`
        : `import * as tf from '@tensorflow/tfjs';
export function build() {
  const x = tf.input({ shape: ${shape}${single.int ? ", dtype: 'int32'" : ''} });
  const y = tf.layers.${factory}(${single.config}).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}
`;
      const m = analyzeOne(`/virtual/tfjs-${factory}.ts`, text);
      const r = await executePlan(planFromSummary(m, { batch: 2 }), { backend: 'wasm' });
      assert.deepStrictEqual(r.findings, [], 'runtime (tfjs shape inference, countParams, actual shapes) vs static analysis');
      assert.strictEqual(r.layers.length, 1);
    });
  }
  it('covers every catalog factory that is not explicitly excluded', () => {
    for (const f of catalog.tfjsByFactory.keys()) {
      const type = catalog.tfjsByFactory.get(f)?.type;
      const covered = TFJS_CASES[f] || TFJS_MERGE[f] || TFJS_NOT_RUN[f] || [...catalog.tfjsByFactory].some(([g, e]) => e.type === type && (TFJS_CASES[g] || TFJS_MERGE[g]));
      assert.ok(covered, `tf.layers.${f} has no runtime case`);
    }
  });
});
