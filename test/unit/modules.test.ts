import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';

/**
 * Modules as real projects write them: CommonJS (`require`, destructured, `module.exports`,
 * `exports.x`, workspace files), tfjs under any name and package (tfjs-node, -node-gpu, -layers),
 * PyTorch-shaped packages as a whole module, TypeScript's module resolution with the workspace's
 * tsconfig/jsconfig (`paths`, `baseUrl`, `./x.js` → `./x.ts`, index files), re-exports and
 * namespace imports of workspace files, and an import that cannot be read. Each workspace is
 * written to a temporary folder; the truth is the same layers built with real tfjs here.
 */

let tmp: string;

function write(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'ws-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

function analyze(dir: string, rel: string): ModelSummary[] {
  const file = path.join(dir, rel);
  return analyzeSource(file, fs.readFileSync(file, 'utf8'), { roots: [dir] }).models;
}

function model(ms: ModelSummary[], name: string): ModelSummary {
  const m = ms.find((x) => x.name === name);
  assert.ok(m, `no model ${name} among ${ms.map((x) => x.name).join(', ')}`);
  return m;
}

/** countParams of a Sequential of dense layers built with real tfjs. */
function realDense(inputDim: number, units: number[]): number {
  const m = tf.sequential();
  units.forEach((u, i) => m.add(tf.layers.dense(i === 0 ? { units: u, inputShape: [inputDim] } : { units: u })));
  const n = m.countParams();
  m.dispose();
  return n;
}

describe('modules: CommonJS, namespaces, TypeScript resolution, re-exports', () => {
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-modules-')));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  beforeEach(() => clearAnalysisCache());

  it('CommonJS: const/let require of tfjs-node and -node-gpu, destructured require, module.exports and exports.x of workspace files', () => {
    const dir = write({
      'blocks.js': `const tf = require('@tensorflow/tfjs-node-gpu');\nfunction hidden(model, units) { model.add(tf.layers.dense({ units, activation: 'relu' })); }\nexports.hidden = hidden;\nexports.WIDTH = 24;\n`,
      'head.js': `const { layers } = require('@tensorflow/tfjs');\nmodule.exports = function head(model) { model.add(layers.dense({ units: 3 })); };\n`,
      'main.js': `let tf = require('@tensorflow/tfjs-node');\nconst blocks = require('./blocks');\nconst { hidden, WIDTH } = require('./blocks.js');\nconst head = require('./head');\nfunction build() {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: 8, inputShape: [5] }));\n  blocks.hidden(m, WIDTH);\n  hidden(m, 6);\n  head(m);\n  return m;\n}\nmodule.exports = { build };\n`,
    });
    const m = model(analyze(dir, 'main.js'), 'build');
    assert.strictEqual(m.totalParams, realDense(5, [8, 24, 6, 3]));
    assert.deepStrictEqual(m.outputShape, [null, 3]);
  });

  it('tfjs under any name: import * as tfl from tfjs-layers, import { sequential as seq, layers as L }, import tf = require()', () => {
    const dir = write({
      'a.ts': `import * as tfl from '@tensorflow/tfjs-layers';\nimport { sequential as seq, layers as L } from '@tensorflow/tfjs';\nimport tfn = require('@tensorflow/tfjs-node');\nexport function one() { const m = tfl.sequential(); m.add(tfl.layers.dense({ units: 4, inputShape: [2] })); return m; }\nexport function two() { const m = seq(); m.add(L.dense({ units: 4, inputShape: [2] })); m.add(tfn.layers.dense({ units: 1 })); return m; }\n`,
    });
    const ms = analyze(dir, 'a.ts');
    assert.strictEqual(model(ms, 'one').totalParams, realDense(2, [4]));
    assert.strictEqual(model(ms, 'two').totalParams, realDense(2, [4, 1]));
  });

  it("TypeScript's resolver: tsconfig paths and baseUrl, ./x.js meaning ./x.ts, index files, export *, export { default as X }, namespace imports", () => {
    const dir = write({
      'tsconfig.json': `{ // comments are allowed\n "compilerOptions": { "baseUrl": ".", "paths": { "@nets/*": ["src/nets/*"] }, "module": "nodenext", "moduleResolution": "nodenext" } }\n`,
      'src/nets/dense.ts': `import * as tf from '@tensorflow/tfjs';\nexport const UNITS = [16, 8];\nexport function stack(m: tf.Sequential, units: number[]) { for (const u of units) m.add(tf.layers.dense({ units: u })); }\n`,
      'src/nets/out.ts': `import * as tf from '@tensorflow/tfjs';\nexport default function out(m: tf.Sequential) { m.add(tf.layers.dense({ units: 2 })); }\n`,
      'src/nets/index.ts': `export * from './dense.js';\nexport { default as out } from './out.js';\n`,
      'src/app/model.ts': `import * as tf from '@tensorflow/tfjs';\nimport * as nets from '@nets/index';\nimport { out } from '../nets/index.js';\nimport { UNITS } from '../nets';\nexport function build() {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: 4, inputShape: [3] }));\n  nets.stack(m, UNITS);\n  out(m);\n  return m;\n}\n`,
    });
    const m = model(analyze(dir, 'src/app/model.ts'), 'build');
    assert.strictEqual(m.totalParams, realDense(3, [4, 16, 8, 2]));
  });

  it('jsconfig with baseUrl: a bare specifier that names a workspace file', () => {
    const dir = write({
      'jsconfig.json': `{ "compilerOptions": { "baseUrl": "lib" } }\n`,
      'lib/sizes.js': `module.exports = { hidden: 12 };\n`,
      'app.js': `const tf = require('@tensorflow/tfjs');\nconst { hidden } = require('sizes');\nfunction build() { const m = tf.sequential(); m.add(tf.layers.dense({ units: hidden, inputShape: [7] })); return m; }\n`,
    });
    assert.strictEqual(model(analyze(dir, 'app.js'), 'build').totalParams, realDense(7, [12]));
  });

  it('PyTorch-shaped packages: require as a whole module under any name, export { nn } from a shim', () => {
    const dir = write({
      'shim.ts': `export { nn, torch } from 'js-pytorch';\n`,
      'net.ts': `import { nn } from './shim';\nconst T = require('js-pytorch');\n/** @inputShape [2, 8] */\nexport class Net extends nn.Module {\n  fc1 = new nn.Linear(8, 16);\n  fc2 = new T.nn.Linear(16, 4);\n  forward(x) { return this.fc2(T.relu(this.fc1(x))); }\n}\n`,
    });
    const m = model(analyze(dir, 'net.ts'), 'Net');
    assert.strictEqual(m.totalParams, 8 * 16 + 16 + 16 * 4 + 4); // nn.Linear: in × out + out
    assert.deepStrictEqual(m.outputShape, [2, 4]);
  });

  it('an import that cannot be read keeps its layers by kind, with totals ? and the reason', () => {
    const dir = write({
      'net.ts': `import { nn } from './missing-shim';\n/** @inputShape [2, 8] */\nexport class Net extends nn.Module {\n  fc1 = new nn.Linear(8, 16);\n  fc2 = new nn.Linear(16, 4);\n  forward(x) { return this.fc2(this.fc1(x)); }\n}\n`,
      'tf.ts': `import * as tf from '@tensorflow/tfjs';\nimport { convBlock } from './missing-blocks';\nexport function build() { const m = tf.sequential(); m.add(tf.layers.dense({ units: 4, inputShape: [3] })); convBlock(m); return m; }\n`,
    });
    const net = model(analyze(dir, 'net.ts'), 'Net');
    assert.strictEqual(net.totalParams, null);
    assert.match(net.totalsUnknownReason ?? '', /missing-shim, which ModelLens could not read/);
    assert.deepStrictEqual(net.layers.map((r) => r.type), ['Linear', 'Linear'], 'the layers are still listed by kind');
    assert.ok(net.diagnostics.some((d) => /could not read/.test(d.message)), 'a diagnostic says so');
    const b = model(analyze(dir, 'tf.ts'), 'build');
    assert.strictEqual(b.totalParams, null);
    assert.match(b.totalsUnknownReason ?? '', /missing-blocks, which ModelLens could not read/);
    assert.deepStrictEqual(b.layers.map((r) => r.type), ['Dense']);
  });

  it('values from call sites: agreeing sites give the parameters; disagreeing ones leave them ? naming the parameter', () => {
    const dir = write({
      'a.js': `const tf = require('@tensorflow/tfjs');\nfunction mlp(inputSize, units) { const m = tf.sequential(); units.forEach((u, i) => m.add(tf.layers.dense(i === 0 ? { units: u, inputShape: [inputSize] } : { units: u }))); return m; }\nconst a = mlp(10, [6, 2]);\nconst b = mlp(10, [6, 2]);\n`,
      'b.js': `const tf = require('@tensorflow/tfjs');\nfunction mlp(inputSize) { const m = tf.sequential(); m.add(tf.layers.dense({ units: 3, inputShape: [inputSize] })); return m; }\nconst a = mlp(10);\nconst b = mlp(11);\n`,
      'c.js': `const tf = require('@tensorflow/tfjs');\nclass Agent {\n  constructor(numActions) { this.q = this.createModel(numActions); }\n  createModel(numActions) { const m = tf.sequential(); m.add(tf.layers.dense({ units: 16, inputShape: [4] })); m.add(tf.layers.dense({ units: numActions })); return m; }\n}\nconst agent = new Agent(3);\n`,
    });
    assert.strictEqual(model(analyze(dir, 'a.js'), 'mlp').totalParams, realDense(10, [6, 2]));
    const b = model(analyze(dir, 'b.js'), 'mlp');
    assert.strictEqual(b.totalParams, null);
    assert.match(b.layers[0].unknownReason ?? '', /inputSize gets different values at the 2 call sites of mlp/);
    assert.strictEqual(model(analyze(dir, 'c.js'), 'Agent').totalParams, realDense(4, [16, 3]));
  });

  it('trainable flags as tfjs counts them: a layer config, layer.trainable before build, model.trainable = false, m.layers[i]', () => {
    const code = `function build() {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 4, inputShape: [3], trainable: false }));
      const d = tf.layers.dense({ units: 5 });
      d.trainable = false;
      m.add(d);
      m.add(tf.layers.dense({ units: 2 }));
      m.layers[2].trainable = false;
      m.layers[2].trainable = true;
      return m;
    }
    function frozen() {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
      m.trainable = false;
      return m;
    }`;
    const dir = write({ 'a.js': `const tf = require('@tensorflow/tfjs');\n${code}\n` });
    const real = new Function('tf', `${code}\nreturn [build(), frozen()];`)(tf) as tf.LayersModel[];
    const ms = analyze(dir, 'a.js');
    for (const [i, name] of ['build', 'frozen'].entries()) {
      const m = model(ms, name);
      const trainable = real[i].trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
      assert.strictEqual(m.totalParams, real[i].countParams(), `${name} total`);
      assert.strictEqual(m.trainableParams, trainable, `${name} trainable`);
    }
  });

  it('a model assembled from models it cannot follow is ?, with the reason, never 0', () => {
    const dir = write({
      'a.js': `const tf = require('@tensorflow/tfjs');\nconst { loadEncoder } = require('./missing');\nfunction combine(encoder, decoder) { const input = tf.input({ shape: [4] }); return tf.model({ inputs: input, outputs: decoder.apply(encoder.apply(input)) }); }\nfunction stack(a, b) { const m = tf.sequential(); m.add(a); m.add(b); return m; }\nconst x = combine(loadEncoder(), loadEncoder());\nconst y = stack(loadEncoder(), loadEncoder());\n`,
    });
    const ms = analyze(dir, 'a.js');
    for (const name of ['combine', 'stack']) {
      const m = model(ms, name);
      assert.strictEqual(m.totalParams, null, name);
      assert.match(m.totalsUnknownReason ?? '', /no static value/, name);
    }
  });
});
