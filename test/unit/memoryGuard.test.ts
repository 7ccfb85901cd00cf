/**
 * The memory guard tells the truth: the estimate made before a forward pass (src/runtime/memory.ts)
 * is compared with what the pass really took, measured in a fresh child process
 * (test/unit/memory/peakChild.ts: the kernel's peak resident set minus the resident set before the
 * pass, and the wasm heap's size) on models whose memory is dominated by different things:
 * attention over 1,024 tokens, a VGG-style CNN on 224×224 images, a bidirectional LSTM over 512
 * steps, a wide MLP whose weights dominate. The estimate is never below the peak and within 2× of
 * it. Memory, not time, is asserted: a loaded machine changes how long, not how much.
 *
 * Then the arithmetic: counts past 2^53 and sizes past any memory are refused before a worker
 * starts, never wrapped or counted as 0.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';
import { ForwardPassError, planFromSummary, runForwardPass } from '../../src/runtime';
import { BASELINE_BYTES, estimateMemory } from '../../src/runtime/memory';

const CHILD = path.join(__dirname, 'memory', 'peakChild.js');
const MB = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;

function only(file: string, source: string): ModelSummary {
  const models = analyzeSource(`/virtual/${file}`, source).models;
  assert.strictEqual(models.length, 1, `${file}: ${models.map((m) => m.name).join(', ')}`);
  return models[0];
}

interface Measured {
  estimate: number;
  parts: Record<string, number | string>;
  rssBefore: number;
  peakRss: number;
  peakDelta: number;
  wasm: number | null;
  backend: string;
  findings: number;
  error?: string;
}

function measure(summary: ModelSummary): Measured {
  const r = spawnSync(process.execPath, [CHILD], { input: JSON.stringify(summary), encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  let out: Measured;
  try {
    out = JSON.parse(line) as Measured;
  } catch {
    throw new Error(`the measuring child printed no result (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  if (out.error) throw new Error(`the pass failed in the measuring child: ${out.error}`);
  return out;
}

const MODELS: Record<string, string> = {
  'long-encoder.ts': `import { nn, Tensor } from 'js-pytorch';

/**
 * A long-context encoder: self-attention over 1,024 tokens (8 heads, so 8 × 1,024 × 1,024 scores
 * per layer), mean-pooled into a classifier.
 *
 * @inputShape [1, 1024]
 */
export class LongEncoder extends nn.Module {
  embedding: nn.Embedding;
  encoder: nn.TransformerEncoder;
  head: nn.Linear;

  constructor(vocab = 5000, dModel = 128, heads = 8, depth = 2) {
    super();
    this.embedding = new nn.Embedding(vocab, dModel);
    const layer = new nn.TransformerEncoderLayer(dModel, heads, { dim_feedforward: 4 * dModel, batch_first: true });
    this.encoder = new nn.TransformerEncoder(layer, { num_layers: depth });
    this.head = new nn.Linear(dModel, 10);
  }

  forward(tokens: Tensor): Tensor {
    const x = this.encoder.forward(this.embedding.forward(tokens));
    return this.head.forward(x.mean(1));
  }
}
`,
  'vgg.ts': `import { nn, Tensor } from 'js-pytorch';

function stage(cin: number, cout: number, convs: number): nn.Sequential {
  const layers: nn.Module[] = [];
  for (let i = 0; i < convs; i++) {
    layers.push(new nn.Conv2d(i === 0 ? cin : cout, cout, 3, { padding: 1 }));
    layers.push(new nn.BatchNorm2d(cout));
    layers.push(new nn.ReLU());
  }
  layers.push(new nn.MaxPool2d(2));
  return new nn.Sequential(...layers);
}

/**
 * A VGG-style network on 224×224 images: four stages of two 3×3 convolutions each.
 *
 * @inputShape [2, 3, 224, 224]
 */
export class Vgg extends nn.Module {
  features: nn.Sequential;
  pool: nn.AdaptiveAvgPool2d;
  classifier: nn.Linear;

  constructor(widths = [32, 64, 128, 256], classes = 1000) {
    super();
    const stages: nn.Module[] = [];
    let cin = 3;
    for (const w of widths) {
      stages.push(stage(cin, w, 2));
      cin = w;
    }
    this.features = new nn.Sequential(...stages);
    this.pool = new nn.AdaptiveAvgPool2d(1);
    this.classifier = new nn.Linear(cin, classes);
  }

  forward(x: Tensor): Tensor {
    return this.classifier.forward(this.pool.forward(this.features.forward(x)).flatten(1));
  }
}
`,
  'tagger.ts': `import { nn, Tensor } from 'js-pytorch';

/**
 * A sequence tagger: a two-layer bidirectional LSTM over 512 steps, a label per step.
 *
 * @inputShape [4, 512, 64]
 */
export class Tagger extends nn.Module {
  rnn: nn.LSTM;
  out: nn.Linear;

  constructor(features = 64, hidden = 128, labels = 20) {
    super();
    this.rnn = new nn.LSTM(features, hidden, { num_layers: 2, batch_first: true, bidirectional: true });
    this.out = new nn.Linear(2 * hidden, labels);
  }

  forward(x: Tensor): Tensor {
    const [y] = this.rnn.forward(x);
    return this.out.forward(y);
  }
}
`,
  'wide-mlp.ts': `import { nn, Tensor } from 'js-pytorch';

/**
 * A wide MLP: four 4,096 × 4,096 layers, so its 67M weights dominate.
 *
 * @inputShape [64, 4096]
 */
export class Wide extends nn.Module {
  layers: nn.Sequential;

  constructor(width = 4096, depth = 4) {
    super();
    const layers: nn.Module[] = [];
    for (let i = 0; i < depth; i++) layers.push(new nn.Linear(width, width), new nn.GELU());
    this.layers = new nn.Sequential(...layers);
  }

  forward(x: Tensor): Tensor {
    return this.layers.forward(x);
  }
}
`,
};

describe('memory guard: the estimate against the measured peak (fresh process each)', function () {
  this.timeout(600_000);
  for (const [file, source] of Object.entries(MODELS)) {
    it(`${file}: never below the peak, within 2× of it`, () => {
      const m = measure(only(file, source));
      const detail = `estimate ${MB(m.estimate)} (${JSON.stringify(m.parts)}), peak RSS delta ${MB(m.peakDelta)}, wasm heap ${m.wasm === null ? '-' : MB(m.wasm)}`;
      console.log(`      ${file}: ${detail}`);
      assert.strictEqual(m.backend, 'wasm');
      assert.strictEqual(m.findings, 0);
      assert.ok(m.wasm !== null && m.wasm > 0, 'the pass reports its wasm heap');
      const peak = Math.max(m.peakDelta, m.wasm ?? 0);
      assert.ok(m.estimate >= peak, `the estimate is below what the pass took: ${detail}`);
      assert.ok(m.estimate <= 2 * peak, `the estimate is more than twice what the pass took: ${detail}`);
    });
  }
});

describe('memory guard: arithmetic', () => {
  async function refused(summary: ModelSummary, message: RegExp): Promise<void> {
    // A worker started is a failure here: refusal must come from the estimate, before any build.
    const wt = require('worker_threads') as { Worker: typeof import('worker_threads').Worker };
    const Real = wt.Worker;
    let started = 0;
    wt.Worker = class extends Real {
      constructor(...args: ConstructorParameters<typeof Real>) {
        super(...args);
        started++;
      }
    };
    try {
      await runForwardPass(summary, { onLargeModel: () => true });
      assert.fail('the pass was not refused');
    } catch (e) {
      assert.ok(e instanceof ForwardPassError, String(e));
      assert.strictEqual(e.code, 'too-large', e.message);
      assert.match(e.message, message);
    } finally {
      wt.Worker = Real;
    }
    assert.strictEqual(started, 0, 'a worker was started');
  }

  it('a parameter count past 2^53 is refused as uncountable, not wrapped or counted as 0', async () => {
    // Linear(2^27, 2^27): 2^54 + 2^27 weights, more than a double counts exactly.
    const m = only('huge.ts', `import { nn, Tensor } from 'js-pytorch';
/** @inputShape [1, 134217728] */
export class Huge extends nn.Module {
  fc = new nn.Linear(134217728, 134217728);
  forward(x: Tensor) { return this.fc.forward(x); }
}
`);
    assert.ok(m.totalParams === null || m.totalParams > Number.MAX_SAFE_INTEGER, String(m.totalParams));
    await refused(m, /can't be run|more than/);
  });

  it('activations past any memory are refused with their size (exact BigInt arithmetic)', async () => {
    // 2^20 × 2^20 × 2^20 = 2^60 elements: 4 EiB of activations, exactly.
    const m = only('wide.ts', `import { nn, Tensor } from 'js-pytorch';
/** @inputShape [1048576, 1048576, 1048576] */
export class Wide extends nn.Module {
  act = new nn.ReLU();
  forward(x: Tensor) { return this.act.forward(x); }
}
`);
    const e = estimateMemory(planFromSummary(m), m.totalParams);
    // The input and the ReLU's output, 4 bytes each: 2 × 2^60 × 4 bytes, exactly.
    assert.strictEqual(e.parts.activations, 2n * 2n ** 60n * 4n);
    assert.ok(e.bytes > e.parts.activations);
    await refused(m, /needs about [\d.]+ GB .*more than the/);
  });

  it('the parts of a small model add up from first principles (PyTorch counts, float32)', () => {
    // Linear(128, 516) at batch 64: 128·516 + 516 = 66,564 weights (PyTorch), activations the
    // input [64, 128] and the output [64, 516].
    const m = only('one.ts', `import { nn, Tensor } from 'js-pytorch';
/** @inputShape [64, 128] */
export class One extends nn.Module {
  fc = new nn.Linear(128, 516);
  forward(x: Tensor) { return this.fc.forward(x); }
}
`);
    const e = estimateMemory(planFromSummary(m), m.totalParams);
    assert.strictEqual(e.parts.weights, 66_564n * 4n);
    assert.strictEqual(e.parts.activations, (64n * 128n + 64n * 516n) * 4n);
    assert.strictEqual(e.parts.baseline, BASELINE_BYTES);
    assert.strictEqual(e.bytes, e.parts.baseline + e.parts.weights + e.parts.activations + e.parts.transient + e.parts.copies);
  });
});
