/**
 * Catalog kinds added for issue 12, used from both languages: one catalog entry serves the Python
 * and the TypeScript front ends alike. Each model below is written in Python and ported to
 * TypeScript (js-pytorch idiom); the truth is the Python model built and run by real PyTorch 1.13
 * (/usr/bin/python3) now, and both analyses must give its totals and output shape.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';

interface Truth {
  total: number;
  trainable: number;
  output: number[];
}

/** Builds `cls` from the Python source in real PyTorch and runs it on zeros of `input`. */
function pytorchTruth(source: string, cls: string, input: number[]): Truth {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-newkinds-'));
  try {
    const file = path.join(dir, 'model.py');
    fs.writeFileSync(file, source);
    const script = `
import json, runpy, torch
ns = runpy.run_path(${JSON.stringify(file)})
m = ns[${JSON.stringify(cls)}]()
with torch.no_grad():
    y = m(torch.zeros(*${JSON.stringify(input)}))
print(json.dumps({"total": sum(p.numel() for p in m.parameters()),
                  "trainable": sum(p.numel() for p in m.parameters() if p.requires_grad),
                  "output": list(y.shape)}))
`;
    const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, `real PyTorch failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as Truth;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function analyzeOne(file: string, text: string, name: string): ModelSummary {
  clearAnalysisCache();
  const models = analyzeSource(file, text).models;
  const m = models.find((x) => x.name === name);
  assert.ok(m, `${name} not found in ${file}: ${models.map((x) => x.name).join(', ')}`);
  return m;
}

function assertTruth(m: ModelSummary, t: Truth, what: string): void {
  assert.strictEqual(m.totalParams, t.total, `${what}: total (${m.totalsUnknownReason ?? ''})`);
  assert.strictEqual(m.trainableParams, t.trainable, `${what}: trainable`);
  assert.deepStrictEqual(m.outputShape, t.output, `${what}: output shape`);
}

const CELLS_PY = `import torch
from torch import nn


# @inputShape [4, 12]
class StepDecoder(nn.Module):
    """One step of a stacked decoder written with cells, as step-by-step decoders are."""

    def __init__(self, hidden=32):
        super().__init__()
        self.gru = nn.GRUCell(12, hidden)
        self.lstm = nn.LSTMCell(hidden, 24)
        self.rnn = nn.RNNCell(24, 16, nonlinearity="relu")
        self.head = nn.Linear(16, 5)

    def forward(self, x):
        h = self.gru(x)
        h2, c2 = self.lstm(h)
        h3 = self.rnn(h2)
        return self.head(h3)
`;

const CELLS_TS = `import { nn, Tensor } from 'js-pytorch';

/** @inputShape [4, 12] */
export class StepDecoder extends nn.Module {
  gru: nn.GRUCell;
  lstm: nn.LSTMCell;
  rnn: nn.RNNCell;
  head: nn.Linear;
  constructor(hidden = 32) {
    super();
    this.gru = new nn.GRUCell(12, hidden);
    this.lstm = new nn.LSTMCell(hidden, 24);
    this.rnn = new nn.RNNCell(24, 16, { nonlinearity: 'relu' });
    this.head = new nn.Linear(16, 5);
  }
  forward(x: Tensor): Tensor {
    const h = this.gru.forward(x);
    const [h2, c2] = this.lstm.forward(h);
    const h3 = this.rnn.forward(h2);
    return this.head.forward(h3);
  }
}
`;

const POOLS_PY = `import torch
from torch import nn


# @inputShape [2, 3, 32, 32]
class PoolNet(nn.Module):
    """A small image encoder through the pooling, norm and dropout kinds added to the catalog."""

    def __init__(self, width=8):
        super().__init__()
        self.conv = nn.Conv2d(3, width, 3, padding=1)
        self.norm = nn.LazyInstanceNorm2d()
        self.pool = nn.LPPool2d(2, 2)
        self.frac = nn.FractionalMaxPool2d(2, output_size=7)
        self.drop = nn.FeatureAlphaDropout(0.1)
        self.proj = nn.Linear(width * 7 * 7, 16)
        self.cos = nn.CosineSimilarity(dim=1)

    def forward(self, x):
        x = self.drop(self.frac(self.pool(self.norm(self.conv(x)))))
        z = self.proj(torch.flatten(x, 1))
        return self.cos(z, z)
`;

const POOLS_TS = `import { nn, Tensor, torch } from 'js-pytorch';

/** @inputShape [2, 3, 32, 32] */
export class PoolNet extends nn.Module {
  conv: nn.Conv2d;
  norm: nn.LazyInstanceNorm2d;
  pool: nn.LPPool2d;
  frac: nn.FractionalMaxPool2d;
  drop: nn.FeatureAlphaDropout;
  proj: nn.Linear;
  cos: nn.CosineSimilarity;
  constructor(width = 8) {
    super();
    this.conv = new nn.Conv2d(3, width, 3, { padding: 1 });
    this.norm = new nn.LazyInstanceNorm2d();
    this.pool = new nn.LPPool2d(2, 2);
    this.frac = new nn.FractionalMaxPool2d(2, { outputSize: 7 });
    this.drop = new nn.FeatureAlphaDropout(0.1);
    this.proj = new nn.Linear(width * 7 * 7, 16);
    this.cos = new nn.CosineSimilarity({ dim: 1 });
  }
  forward(x: Tensor): Tensor {
    x = this.drop.forward(this.frac.forward(this.pool.forward(this.norm.forward(this.conv.forward(x)))));
    const z = this.proj.forward(torch.flatten(x, 1));
    return this.cos.forward(z, z);
  }
}
`;

describe('new catalog kinds in both languages, against real PyTorch', function () {
  this.timeout(120_000);

  it('RNNCell, LSTMCell, GRUCell: Python and TypeScript give PyTorch\'s totals and output', () => {
    const t = pytorchTruth(CELLS_PY, 'StepDecoder', [4, 12]);
    assertTruth(analyzeOne('/virtual/step_decoder.py', CELLS_PY, 'StepDecoder'), t, 'Python');
    assertTruth(analyzeOne('/virtual/stepDecoder.ts', CELLS_TS, 'StepDecoder'), t, 'TypeScript');
  });

  it('LazyInstanceNorm2d, LPPool2d, FractionalMaxPool2d, FeatureAlphaDropout, CosineSimilarity: both languages equal PyTorch', () => {
    const t = pytorchTruth(POOLS_PY, 'PoolNet', [2, 3, 32, 32]);
    assertTruth(analyzeOne('/virtual/pool_net.py', POOLS_PY, 'PoolNet'), t, 'Python');
    assertTruth(analyzeOne('/virtual/poolNet.ts', POOLS_TS, 'PoolNet'), t, 'TypeScript');
  });
});

// ---- TensorFlow.js: the same model built by real tfjs 4.22 now ----

interface TfSym {
  shape: (number | null)[];
}
interface TfModel {
  countParams(): number;
  outputs: TfSym[];
  trainableWeights: { shape: number[] }[];
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const tf = require('@tensorflow/tfjs') as {
  enableProdMode(): void;
  layers: Record<string, (c: unknown) => { apply(x: unknown): unknown }> & { input(c: unknown): TfSym };
  input(c: unknown): TfSym;
  model(c: { inputs: unknown; outputs: unknown }): TfModel;
};
tf.enableProdMode();

function assertTfjs(m: ModelSummary, real: TfModel, what: string): void {
  const trainable = real.trainableWeights.reduce((n, w) => n + w.shape.reduce((p, d) => p * d, 1), 0);
  assert.strictEqual(m.totalParams, real.countParams(), `${what}: total (${m.totalsUnknownReason ?? ''})`);
  assert.strictEqual(m.trainableParams, trainable, `${what}: trainable`);
  assert.deepStrictEqual(m.outputShape, real.outputs[0].shape, `${what}: output shape`);
}

describe('tf.layers.input as a model input, against real TensorFlow.js', () => {
  it('tf.model({inputs: tf.layers.input({shape})}) and the destructured layers.input form', () => {
    // The same model in real tfjs.
    const x = tf.layers.input({ shape: [12] });
    const h = tf.layers.dense({ units: 8, activation: 'relu' }).apply(x);
    const y = tf.layers.dense({ units: 3 }).apply(h);
    const real = tf.model({ inputs: x, outputs: y });
    const viaLayers = `import * as tf from '@tensorflow/tfjs';
export function build() {
  const x = tf.layers.input({ shape: [12] });
  const h = tf.layers.dense({ units: 8, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 3 }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}
`;
    assertTfjs(analyzeOne('/virtual/layersInput.ts', viaLayers, 'build'), real, 'tf.layers.input');
    const destructured = `const { layers, model } = require('@tensorflow/tfjs');
function build() {
  const input = layers.input({ shape: [12] });
  const hidden = layers.dense({ units: 8, activation: 'relu' }).apply(input);
  return model({ inputs: [input], outputs: layers.dense({ units: 3 }).apply(hidden) });
}
module.exports = { build };
`;
    assertTfjs(analyzeOne('/virtual/layersInput.js', destructured, 'build'), real, 'layers.input (CommonJS)');
  });
});

describe('tfjs cells, rnn and convLstm2d in a model, against real TensorFlow.js', () => {
  it('rnn over stacked cells, then a dense head; convLstm2d over frames', () => {
    const seq = tf.input({ shape: [20, 6] });
    const r = tf.layers.rnn({ cell: [tf.layers.lstmCell({ units: 16 }), tf.layers.gruCell({ units: 8 })], returnSequences: false }).apply(seq);
    const frames = tf.input({ shape: [4, 10, 10, 3] });
    const c = tf.layers.convLstm2d({ filters: 5, kernelSize: 3, padding: 'same' }).apply(frames);
    const flat = tf.layers.flatten({}).apply(c);
    const merged = tf.layers.concatenate({}).apply([r, flat]);
    const y = tf.layers.dense({ units: 2 }).apply(merged);
    const real = tf.model({ inputs: [seq, frames], outputs: y });
    const text = `import * as tf from '@tensorflow/tfjs';
export function build() {
  const seq = tf.input({ shape: [20, 6] });
  const cells = [tf.layers.lstmCell({ units: 16 }), tf.layers.gruCell({ units: 8 })];
  const r = tf.layers.rnn({ cell: cells, returnSequences: false }).apply(seq) as tf.SymbolicTensor;
  const frames = tf.input({ shape: [4, 10, 10, 3] });
  const c = tf.layers.convLstm2d({ filters: 5, kernelSize: 3, padding: 'same' }).apply(frames) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(c) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate().apply([r, flat]) as tf.SymbolicTensor;
  return tf.model({ inputs: [seq, frames], outputs: tf.layers.dense({ units: 2 }).apply(merged) as tf.SymbolicTensor });
}
`;
    assertTfjs(analyzeOne('/virtual/cells.ts', text, 'build'), real, 'rnn + convLstm2d');
  });
});
