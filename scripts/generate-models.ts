/**
 * Generates large, realistic model files for the benchmark and the robustness tests: a mix of
 * PyTorch-shaped `nn.Module` classes (js-pytorch idiom) and TensorFlow.js models (sequential
 * and functional), padded with the ordinary code a real project has around its models (helpers,
 * interfaces, enums, comments) up to an exact line count.
 *
 * Every generated model is shape-consistent (the generator does the size arithmetic itself), so
 * the analyzer does its full work on each one instead of stopping at the first mismatch.
 * Output is a pure function of the options: the same seed gives the same text.
 */

export interface GenerateOptions {
  /** Exact number of lines of the file (at least what the models themselves need). */
  lines: number;
  /** Number of models: PyTorch classes and tfjs builders, roughly half each. */
  models: number;
  seed: number;
}

export interface GeneratedModel {
  /** The class name (PyTorch) or the builder function's name (tfjs). */
  name: string;
  framework: 'torch' | 'tfjs';
  /** 1-based line of the `class`/`function` keyword. */
  line: number;
}

export interface GeneratedFile {
  text: string;
  models: GeneratedModel[];
}

/** mulberry32: a tiny, well-distributed 32-bit PRNG; enough for test data. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Gen {
  rnd: () => number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
}

function gen(seed: number): Gen {
  const rnd = makeRng(seed);
  return {
    rnd,
    int: (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(rnd() * xs.length)],
  };
}

/** A chunk of code; `model` is set when the chunk defines one (its line is the chunk's `modelLine`). */
interface Chunk {
  lines: string[];
  model?: { name: string; framework: 'torch' | 'tfjs'; offset: number };
}

const WIDTHS = [16, 32, 48, 64, 96, 128, 256, 512] as const;
const ACTS = ['relu', 'tanh', 'sigmoid', 'elu', 'selu'] as const;

// ------------------------------------------------------------------ PyTorch-shaped classes

function torchMlp(g: Gen, id: number): Chunk {
  const name = `Mlp${id}`;
  const [i, h, o] = [g.pick(WIDTHS), g.pick(WIDTHS), g.int(1, 20)];
  const batch = g.pick([8, 16, 32, 64]);
  const p = g.rnd() < 0.5 ? 0.1 : 0.25;
  return {
    model: { name, framework: 'torch', offset: 4 },
    lines: [
      '/**',
      ` * A ${i} → ${h} → ${h} → ${o} perceptron.`,
      ` * @inputShape [${batch}, ${i}]`,
      ' */',
      `export class ${name} extends nn.Module {`,
      '  fc1: nn.Linear;',
      '  act: nn.ReLU;',
      '  drop: nn.Dropout;',
      '  fc2: nn.Linear;',
      '  head: nn.Linear;',
      '',
      `  constructor(inputSize = ${i}, hiddenSize = ${h}, outputSize = ${o}) {`,
      '    super();',
      '    this.fc1 = new nn.Linear(inputSize, hiddenSize);',
      '    this.act = new nn.ReLU();',
      `    this.drop = new nn.Dropout(${p});`,
      '    this.fc2 = new nn.Linear(hiddenSize, hiddenSize);',
      '    this.head = new nn.Linear(hiddenSize, outputSize);',
      '  }',
      '',
      '  forward(x: Tensor): Tensor {',
      '    x = this.act.forward(this.fc1.forward(x));',
      '    x = this.drop.forward(x);',
      '    x = this.act.forward(this.fc2.forward(x));',
      '    return this.head.forward(x);',
      '  }',
      '}',
    ],
  };
}

function torchCnn(g: Gen, id: number): Chunk {
  const name = `ConvNet${id}`;
  const size = g.pick([16, 28, 32]);
  const cin = g.pick([1, 3]);
  const c1 = g.pick([8, 16, 32]);
  const c2 = c1 * 2;
  const hidden = g.pick(WIDTHS);
  const classes = g.int(2, 100);
  // padding 1 keeps the size; each MaxPool2d(2) floors it to half.
  const s = Math.floor(Math.floor(size / 2) / 2);
  const konst = `FEAT_${id}`;
  return {
    model: { name, framework: 'torch', offset: 6 },
    lines: [
      `const ${konst} = ${c2} * ${s} * ${s};`,
      '',
      '/**',
      ` * Two conv blocks on ${size}×${size} images, then a classifier.`,
      ` * @inputShape [4, ${cin}, ${size}, ${size}]`,
      ' */',
      `export class ${name} extends nn.Module {`,
      `  conv1 = new nn.Conv2d(${cin}, ${c1}, 3, { padding: 1 });`,
      `  bn1 = new nn.BatchNorm2d(${c1});`,
      `  conv2 = new nn.Conv2d(${c1}, ${c2}, 3, { padding: 1, bias: false });`,
      `  bn2 = new nn.BatchNorm2d(${c2});`,
      '  relu = new nn.ReLU();',
      '  pool = new nn.MaxPool2d(2);',
      `  fc1 = new nn.Linear(${konst}, ${hidden});`,
      `  fc2 = new nn.Linear(${hidden}, ${classes});`,
      '',
      '  forward(x: Tensor): Tensor {',
      '    x = this.pool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(x))));',
      '    x = this.pool.forward(this.relu.forward(this.bn2.forward(this.conv2.forward(x))));',
      '    x = x.view(x.size(0), -1);',
      '    x = this.relu.forward(this.fc1.forward(x));',
      '    return this.fc2.forward(x);',
      '  }',
      '}',
    ],
  };
}

function torchResidual(g: Gen, id: number): Chunk {
  const name = `ResidualMlp${id}`;
  const d = g.pick(WIDTHS);
  const out = g.int(1, 50);
  const blocks = g.int(1, 3);
  return {
    model: { name, framework: 'torch', offset: 4 },
    lines: [
      '/**',
      ` * ${blocks} residual block(s) of width ${d}: x + fc(relu(norm(x))).`,
      ` * @inputShape [32, ${d}]`,
      ' */',
      `export class ${name} extends nn.Module {`,
      '  norm: nn.LayerNorm;',
      '  blocks: nn.ModuleList<nn.Linear>;',
      '  relu: nn.ReLU;',
      '  out: nn.Linear;',
      '',
      `  constructor(width = ${d}, depth = ${blocks}) {`,
      '    super();',
      '    this.norm = new nn.LayerNorm(width);',
      '    const layers: nn.Linear[] = [];',
      '    for (let i = 0; i < depth; i++) layers.push(new nn.Linear(width, width));',
      '    this.blocks = new nn.ModuleList(layers);',
      '    this.relu = new nn.ReLU();',
      `    this.out = new nn.Linear(width, ${out});`,
      '  }',
      '',
      '  forward(x: Tensor): Tensor {',
      '    for (const block of this.blocks) {',
      '      const y = block.forward(this.relu.forward(this.norm.forward(x)));',
      '      x = x.add(y);',
      '    }',
      '    return this.out.forward(x);',
      '  }',
      '}',
    ],
  };
}

function torchTwoBranch(g: Gen, id: number): Chunk {
  const name = `TwoBranch${id}`;
  const i = g.pick(WIDTHS);
  const a = g.pick(WIDTHS);
  const b = g.pick(WIDTHS);
  const o = g.int(1, 10);
  return {
    model: { name, framework: 'torch', offset: 4 },
    lines: [
      '/**',
      ` * Two projections of the same input, concatenated (${a} + ${b} features) for the head.`,
      ` * @inputShape [16, ${i}]`,
      ' */',
      `export class ${name} extends nn.Module {`,
      `  left = new nn.Sequential(new nn.Linear(${i}, ${a}), new nn.GELU());`,
      `  right = new nn.Sequential(new nn.Linear(${i}, ${b}), new nn.Tanh());`,
      `  head = new nn.Linear(${a + b}, ${o});`,
      '',
      '  forward(x: Tensor): Tensor {',
      '    const l = this.left.forward(x);',
      '    const r = this.right.forward(x);',
      '    return this.head.forward(torch.cat([l, r], 1));',
      '  }',
      '}',
    ],
  };
}

function torchSequence(g: Gen, id: number): Chunk {
  const name = `SeqClassifier${id}`;
  const vocab = g.int(100, 20000);
  const emb = g.pick([16, 32, 64]);
  const hidden = g.pick([32, 64, 128]);
  const classes = g.int(2, 8);
  const len = g.int(10, 80);
  return {
    model: { name, framework: 'torch', offset: 4 },
    lines: [
      '/**',
      ` * Embeddings through an LSTM; the last step classifies (${classes} classes).`,
      ` * @inputShape [8, ${len}]`,
      ' */',
      `export class ${name} extends nn.Module {`,
      `  embedding = new nn.Embedding(${vocab}, ${emb});`,
      `  lstm = new nn.LSTM(${emb}, ${hidden}, { batch_first: true });`,
      `  classifier = new nn.Linear(${hidden}, ${classes});`,
      '',
      '  forward(tokens: Tensor): Tensor {',
      '    const [out, [h, c]] = this.lstm.forward(this.embedding.forward(tokens));',
      '    return this.classifier.forward(out.select(1, -1));',
      '  }',
      '}',
    ],
  };
}

// ------------------------------------------------------------------ TensorFlow.js models

function tfjsSequentialAdd(g: Gen, id: number): Chunk {
  const name = `buildDense${id}`;
  const i = g.pick(WIDTHS);
  const depth = g.int(2, 5);
  const body: string[] = [];
  for (let k = 0; k < depth; k++) {
    const first = k === 0 ? `inputShape: [${i}], ` : '';
    body.push(`  model.add(tf.layers.dense({ ${first}units: ${g.pick(WIDTHS)}, activation: '${g.pick(ACTS)}' }));`);
    if (g.rnd() < 0.3) body.push(`  model.add(tf.layers.dropout({ rate: ${g.pick([0.1, 0.2, 0.5])} }));`);
  }
  body.push(`  model.add(tf.layers.dense({ units: ${g.int(1, 10)}, activation: 'softmax' }));`);
  return {
    model: { name, framework: 'tfjs', offset: 1 },
    lines: [
      `/** A ${depth}-layer dense classifier built with model.add. */`,
      `export function ${name}(): tf.Sequential {`,
      '  const model = tf.sequential();',
      ...body,
      '  return model;',
      '}',
    ],
  };
}

function tfjsSequentialConfig(g: Gen, id: number): Chunk {
  const name = `buildConv${id}`;
  const size = g.pick([28, 32, 64]);
  const f1 = g.pick([8, 16, 32]);
  return {
    model: { name, framework: 'tfjs', offset: 1 },
    lines: [
      `/** A small channels-last CNN for ${size}×${size} images, from a layers list. */`,
      `export function ${name}(): tf.Sequential {`,
      '  return tf.sequential({',
      '    layers: [',
      `      tf.layers.conv2d({ inputShape: [${size}, ${size}, 3], filters: ${f1}, kernelSize: 3, activation: 'relu' }),`,
      '      tf.layers.maxPooling2d({ poolSize: 2 }),',
      `      tf.layers.conv2d({ filters: ${f1 * 2}, kernelSize: 3, padding: 'same', activation: 'relu' }),`,
      '      tf.layers.batchNormalization(),',
      '      tf.layers.flatten(),',
      `      tf.layers.dense({ units: ${g.int(2, 20)}, activation: 'softmax' }),`,
      '    ],',
      '  });',
      '}',
    ],
  };
}

function tfjsFunctional(g: Gen, id: number): Chunk {
  const name = `buildTwoInput${id}`;
  const a = g.pick(WIDTHS);
  const b = g.pick(WIDTHS);
  const h = g.pick(WIDTHS);
  return {
    model: { name, framework: 'tfjs', offset: 1 },
    lines: [
      `/** Two inputs (${a} and ${b} features), encoded separately and concatenated. */`,
      `export function ${name}(): tf.LayersModel {`,
      `  const left = tf.input({ shape: [${a}] });`,
      `  const right = tf.input({ shape: [${b}] });`,
      `  const l = tf.layers.dense({ units: ${h}, activation: 'relu' }).apply(left) as tf.SymbolicTensor;`,
      `  const r = tf.layers.dense({ units: ${h}, activation: 'relu' }).apply(right) as tf.SymbolicTensor;`,
      '  const joined = tf.layers.concatenate().apply([l, r]) as tf.SymbolicTensor;',
      `  const summed = tf.layers.add().apply([l, r]) as tf.SymbolicTensor;`,
      `  const out1 = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(joined) as tf.SymbolicTensor;`,
      `  const out2 = tf.layers.dense({ units: ${g.int(2, 9)} }).apply(summed) as tf.SymbolicTensor;`,
      `  return tf.model({ inputs: [left, right], outputs: [out1, out2] });`,
      '}',
    ],
  };
}

const TORCH = [torchMlp, torchCnn, torchResidual, torchTwoBranch, torchSequence];
const TFJS = [tfjsSequentialAdd, tfjsSequentialConfig, tfjsFunctional];

// ------------------------------------------------------------------ ordinary code

function padding(g: Gen, id: number): string[] {
  switch (g.int(0, 5)) {
    case 0:
      return [
        `/** Clamps a value into [lo, hi] (helper ${id}). */`,
        `export function clamp${id}(x: number, lo: number, hi: number): number {`,
        '  if (x < lo) return lo;',
        '  if (x > hi) return hi;',
        '  return x;',
        '}',
      ];
    case 1:
      return [
        `export interface TrainConfig${id} {`,
        '  /** Learning rate of the optimizer. */',
        '  learningRate: number;',
        '  batchSize: number;',
        '  epochs: number;',
        '  shuffle?: boolean;',
        '}',
      ];
    case 2:
      return [
        `// ${g.pick(['Data loading', 'Metrics', 'Schedules', 'Logging'])} helpers below.`,
        '// Nothing here builds a model; it is the code that usually surrounds one.',
      ];
    case 3:
      return [
        `export const DEFAULTS_${id} = {`,
        `  learningRate: ${g.pick([0.1, 0.01, 0.001])},`,
        `  batchSize: ${g.pick([16, 32, 64])},`,
        `  epochs: ${g.int(1, 100)},`,
        '};',
      ];
    case 4:
      return [
        `export function mean${id}(values: number[]): number {`,
        '  let sum = 0;',
        '  for (const v of values) sum += v;',
        '  return values.length ? sum / values.length : 0;',
        '}',
      ];
    default:
      return [`export enum Phase${id} {`, '  Train,', '  Eval,', '  Test,', '}'];
  }
}

const HEADER = [
  "import { nn, torch, Tensor } from 'js-pytorch';",
  "import * as tf from '@tensorflow/tfjs';",
  '',
  '/* Generated by scripts/generate-models.ts: models of both idioms among ordinary code. */',
  '',
];

/** A file of `models` models padded with ordinary code to exactly `lines` lines (or more, if the models need more). */
export function generateFileWithInfo(opts: GenerateOptions): GeneratedFile {
  const g = gen(opts.seed);
  const chunks: Chunk[] = [];
  for (let k = 0; k < opts.models; k++) {
    const family = k % 2 === 0 ? TORCH : TFJS;
    chunks.push(g.pick(family)(g, k));
  }
  const modelLines = chunks.reduce((n, c) => n + c.lines.length + 1, 0);
  let budget = opts.lines - HEADER.length - modelLines;
  // Interleave ordinary code between the models, one padding chunk at a time.
  const padded: Chunk[] = [];
  let p = 0;
  const slots = chunks.length + 1;
  const perSlot = Math.max(0, Math.floor(budget / slots));
  for (let k = 0; k <= chunks.length; k++) {
    let room = k === chunks.length ? budget : Math.min(budget, perSlot);
    while (room > 0) {
      if (room === 1) {
        padded.push({ lines: [] }); // a blank separator line
        room = 0;
        budget -= 1;
        break;
      }
      let lines = padding(g, p++);
      if (lines.length + 1 > room) lines = Array.from({ length: room - 1 }, (_, j) => `// (${j + 1}) notes for the next section`);
      padded.push({ lines });
      room -= lines.length + 1;
      budget -= lines.length + 1;
    }
    if (k < chunks.length) padded.push(chunks[k]);
  }
  const out: string[] = [...HEADER];
  const models: GeneratedModel[] = [];
  for (const c of padded) {
    if (c.model) models.push({ name: c.model.name, framework: c.model.framework, line: out.length + 1 + c.model.offset });
    out.push(...c.lines, '');
  }
  // Every chunk ends with a blank line; with the final newline the file has `lines` lines.
  return { text: out.join('\n') + '\n', models };
}

export function generateFile(opts: GenerateOptions): string {
  return generateFileWithInfo(opts).text;
}
