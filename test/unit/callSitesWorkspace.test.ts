import * as assert from 'assert';
import { formatSeed } from '../../src/core/format/seed';
import { modelLensTitle } from '../../src/extension/lensTitles';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as tf from '@tensorflow/tfjs';
import ts = require('typescript');
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';
import { planLenses } from '../../src/extension/lensPlan';

/**
 * Values from call sites in other workspace files, wrapper and dispatcher builders, and read-only
 * uses of a tf.model()'s layers. Each workspace is written to a temporary folder and analysed
 * with that folder as its root; the truth is the same code built by real tfjs here (the builder's
 * own source text run with the arguments its call sites pass), and real PyTorch for the
 * PyTorch-shaped class.
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

function analyze(dir: string, rel: string, roots = [dir]): ModelSummary[] {
  const file = path.join(dir, rel);
  return analyzeSource(file, fs.readFileSync(file, 'utf8'), { roots }).models;
}

function model(ms: ModelSummary[], name: string): ModelSummary {
  const m = ms.find((x) => x.name === name);
  assert.ok(m, `no model ${name} among ${ms.map((x) => x.name).join(', ')}`);
  return m;
}

/** Runs builder source (CommonJS, tfjs as `tf`) with real tfjs and returns what `expr` gives. */
function real(source: string, expr: string): tf.LayersModel {
  const body = source.replace(/^const tf = require\([^)]*\);$/m, '');
  // The builders print their layers: a silent console here.
  return new Function('tf', 'module', 'console', `${body}\nreturn ${expr};`)(tf, { exports: {} }, { log() {} }) as tf.LayersModel;
}

function trainableOf(m: tf.LayersModel): number {
  return m.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
}

function assertSame(ours: ModelSummary, truth: tf.LayersModel, what: string): void {
  assert.strictEqual(ours.totalParams, truth.countParams(), `${what}: countParams`);
  assert.strictEqual(ours.trainableParams, trainableOf(truth), `${what}: trainable`);
  const out = truth.outputs[0].shape;
  assert.deepStrictEqual(ours.outputShape, out, `${what}: output shape`);
}

const MODELS = `const tf = require('@tensorflow/tfjs');

function buildCnn(size, numClasses) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [size, size, 1], filters: 8, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}

module.exports = { buildCnn };
`;

describe('values from call sites in the workspace files that import a builder or class', function () {
  this.timeout(120_000);
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-callsites-')));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  beforeEach(() => clearAnalysisCache());

  it('sites in importing files agree: a renamed require, an ES import through ./x.js, a namespace import', () => {
    const dir = write({
      'package.json': '{}',
      'src/models.js': MODELS,
      'src/train.js': `const { buildCnn: makeCnn } = require('./models');\nconst NUM_CLASSES = 10;\nasync function main() { const model = makeCnn(28, NUM_CLASSES); await model.fit(); }\nmain();\n`,
      'scripts/eval.ts': `import { buildCnn } from '../src/models.js';\nconst model = buildCnn(28, 10);\n`,
      'scripts/export.ts': `import * as zoo from '../src/models';\nexport const exported = zoo.buildCnn(28, 10);\n`,
    });
    const m = model(analyze(dir, 'src/models.js'), 'buildCnn');
    assertSame(m, real(MODELS, 'buildCnn(28, 10)'), 'buildCnn');
    // The numbers hold for those values: the model says which, and where they come from.
    assert.match(m.builtWith ?? '', /^size = 28, numClasses = 10, from its 3 call sites \((train\.js:3|eval\.ts:2|export\.ts:2), /);
    assert.match(formatSeed(m), /\nBuilt with size = 28, numClasses = 10, from its 3 call sites/);
    assert.match(modelLensTitle(m), / · with size = 28, numClasses = 10$/);
  });

  it('sites that disagree across files leave the parameter ? with a reason naming each value and place; a same-named function elsewhere does not count', () => {
    const dir = write({
      'package.json': '{}',
      'models.js': MODELS,
      'train.js': `const { buildCnn } = require('./models');\nconst a = buildCnn(28, 10);\n`,
      'big.js': `const { buildCnn } = require('./models');\n\nconst b = buildCnn(64, 10);\n`,
      // Its own buildCnn, not the one in models.js: its call site is not one of ours.
      'unrelated.js': `const tf = require('@tensorflow/tfjs');\nfunction buildCnn(a, b) { return a + b; }\nbuildCnn(5, 5);\n`,
    });
    const m = model(analyze(dir, 'models.js'), 'buildCnn');
    assert.strictEqual(m.totalParams, null);
    const why = m.layers[0].unknownReason ?? '';
    assert.match(why, /size gets different values at the 2 call sites of buildCnn \((28 at train\.js:2, 64 at big\.js:3|64 at big\.js:3, 28 at train\.js:2)\)/);
    // numClasses agrees (10): the last layer's count is known.
    assert.strictEqual(m.layers.find((r) => r.type === 'Dense')!.params, null); // its input size depends on `size`
    assert.ok(!/unrelated/.test(JSON.stringify(m)), 'the unrelated file is not a call site');
    fs.rmSync(path.join(dir, 'big.js'));
    clearAnalysisCache();
    assertSame(model(analyze(dir, 'models.js'), 'buildCnn'), real(MODELS, 'buildCnn(28, 10)'), 'one agreeing importer left');
  });

  it('only regular files inside the roots are read: a call site outside the root, or behind a symlinked folder, does not count', () => {
    const dir = write({
      'ws/package.json': '{}',
      'ws/models.js': MODELS,
      'outside/train.js': `const { buildCnn } = require('../ws/models');\nbuildCnn(28, 10);\n`,
    });
    fs.symlinkSync(path.join(dir, 'outside'), path.join(dir, 'ws', 'linked'));
    const m = model(analyze(dir, 'ws/models.js', [path.join(dir, 'ws')]), 'buildCnn');
    assert.strictEqual(m.totalParams, null);
    assert.match(m.layers[0].unknownReason ?? '', /size has no value/);
  });

  it('a PyTorch-shaped class constructed in another file (new blocks.ResBlock(16, 32, 2)) has real PyTorch’s count', () => {
    const dir = write({
      'package.json': '{}',
      'blocks.ts': `import { nn, Tensor } from 'js-pytorch';
export class ResBlock extends nn.Module {
  constructor(inChannels: number, outChannels: number, stride: number) {
    super();
    this.conv1 = new nn.Conv2d(inChannels, outChannels, 3, { stride, padding: 1, bias: false });
    this.bn1 = new nn.BatchNorm2d(outChannels);
    this.conv2 = new nn.Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false });
    this.bn2 = new nn.BatchNorm2d(outChannels);
    this.shortcut = new nn.Sequential(new nn.Conv2d(inChannels, outChannels, 1, { stride, bias: false }), new nn.BatchNorm2d(outChannels));
  }
  forward(x: Tensor): Tensor {
    const y = this.bn2.forward(this.conv2.forward(this.bn1.forward(this.conv1.forward(x)).relu()));
    return y.add(this.shortcut.forward(x)).relu();
  }
}
`,
      'net.ts': `import { nn, Tensor } from 'js-pytorch';\nimport * as blocks from './blocks';\nexport class Net extends nn.Module {\n  stage = new blocks.ResBlock(16, 32, 2);\n  forward(x: Tensor): Tensor { return this.stage.forward(x); }\n}\n`,
    });
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `import torch.nn as nn
class ResBlock(nn.Module):
    def __init__(self, i, o, s):
        super().__init__()
        self.conv1 = nn.Conv2d(i, o, 3, stride=s, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(o)
        self.conv2 = nn.Conv2d(o, o, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(o)
        self.shortcut = nn.Sequential(nn.Conv2d(i, o, 1, stride=s, bias=False), nn.BatchNorm2d(o))
print(sum(p.numel() for p in ResBlock(16, 32, 2).parameters()))`,
      ],
      { encoding: 'utf8' },
    );
    assert.strictEqual(py.status, 0, `real PyTorch failed (is python3-torch installed?): ${py.stderr}`);
    const m = model(analyze(dir, 'blocks.ts'), 'ResBlock');
    assert.strictEqual(m.totalParams, Number(py.stdout.trim()));
  });

  it('a constructor that calls this.createModel(numActions), constructed with new Agent(4) in another file', () => {
    const agent = `const tf = require('@tensorflow/tfjs');
class Agent {
  constructor(numActions) {
    this.online = this.createModel(numActions);
  }
  createModel(numActions) {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 32, inputShape: [8], activation: 'relu' }));
    m.add(tf.layers.dense({ units: numActions }));
    return m;
  }
}
module.exports = { Agent };
`;
    const dir = write({ 'package.json': '{}', 'agent.js': agent, 'play.js': `const { Agent } = require('./agent');\nconst a = new Agent(4);\n` });
    assertSame(model(analyze(dir, 'agent.js'), 'Agent'), real(agent, 'new Agent(4).online'), 'Agent');
  });
});

const ZOO = `const tf = require('@tensorflow/tfjs');

function buildCnn(numClasses) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: numClasses }));
  return model;
}

function buildMlp(numClasses) {
  const input = tf.input({ shape: [784] });
  const hidden = tf.layers.dense({ units: 64, activation: 'relu' }).apply(input);
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: numClasses }).apply(hidden) });
  for (const layer of model.layers) console.log(layer.name, JSON.stringify(layer.outputShape));
  model.layers.forEach((l, i) => console.log(i, l.getConfig().name));
  console.log(model.layers.length, model.getLayer(null, 1).name);
  return model;
}

function build(kind, numClasses) {
  switch (kind) {
    case 'cnn':
      return buildCnn(numClasses);
    case 'mlp':
      return buildMlp(numClasses);
    default:
      throw new Error('unknown model ' + kind);
  }
}

function makeModel() {
  const model = build('mlp', 10);
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  return model;
}

module.exports = { buildCnn, buildMlp, build, makeModel };
`;

describe('wrapper and dispatcher builders are models, counted as tfjs counts them', function () {
  this.timeout(120_000);
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-wrappers-')));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  beforeEach(() => clearAnalysisCache());

  it('a dispatcher (switch on its kind) and a wrapper: exact when the kind is known from the call sites, with their own lenses', () => {
    const dir = write({ 'package.json': '{}', 'zoo.js': ZOO, 'train.js': `const zoo = require('./zoo');\nconst m = zoo.build('mlp', 10);\n` });
    const file = path.join(dir, 'zoo.js');
    const summary = analyzeSource(file, ZOO, { roots: [dir] });
    const ms = summary.models;
    assertSame(model(ms, 'build'), real(ZOO, "build('mlp', 10)"), 'build');
    assertSame(model(ms, 'makeModel'), real(ZOO, 'makeModel()'), 'makeModel');
    assertSame(model(ms, 'buildCnn'), real(ZOO, 'buildCnn(10)'), 'buildCnn');
    // Reading a tf.model()'s layers (loops that print them, getLayer) changes nothing: buildMlp stays exact.
    assertSame(model(ms, 'buildMlp'), real(ZOO, 'buildMlp(10)'), 'buildMlp');
    const lines = ZOO.split('\n');
    const lineOf = (decl: string) => lines.findIndex((l) => l.startsWith(decl)) + 1;
    assert.strictEqual(model(ms, 'build').line, lineOf('function build('));
    assert.strictEqual(model(ms, 'makeModel').line, lineOf('function makeModel('));
    const lenses = planLenses(summary, { numberFormat: 'commas', layerLenses: true, parameterFreeLayerLenses: false });
    for (const name of ['build', 'makeModel']) {
      const lens = lenses.find((l) => l.model === name && l.line === model(ms, name).line && /params/.test(l.title));
      assert.ok(lens, `${name} has its lens`);
      assert.match(lens.title, new RegExp(model(ms, name).totalParams!.toLocaleString('en-US')));
    }
  });

  it('a dispatcher whose call sites disagree on the kind is ? with the reason naming them, never one case’s number', () => {
    const dir = write({ 'package.json': '{}', 'zoo.js': ZOO, 'a.js': `const { build } = require('./zoo');\nbuild('cnn', 10);\n`, 'b.js': `const { build } = require('./zoo');\nbuild('mlp', 10);\n` });
    const ms = analyze(dir, 'zoo.js');
    const b = model(ms, 'build');
    assert.strictEqual(b.totalParams, null);
    assert.match(b.totalsUnknownReason ?? '', /kind gets different values at the \d call sites of build/);
    assert.match(b.totalsUnknownReason ?? '', /"cnn" at a\.js:2/);
    // makeModel still says 'mlp' itself: exact.
    assertSame(model(ms, 'makeModel'), real(ZOO, 'makeModel()'), 'makeModel');
  });

  it('a dispatcher through a registry of builders (BUILDERS[kind]()) is a model, exact when its call sites fix the kind', () => {
    const src = `const tf = require('@tensorflow/tfjs');
function dense(units) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [12], units, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 2 }));
  return m;
}
function conv() {
  const m = tf.sequential();
  m.add(tf.layers.conv1d({ inputShape: [12, 1], filters: 4, kernelSize: 3 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 2 }));
  return m;
}
const BUILDERS = { dense: () => dense(32), conv };
function create(kind) {
  const builder = BUILDERS[kind];
  if (!builder) throw new Error('no model ' + kind);
  return BUILDERS[kind]();
}
module.exports = { create };
`;
    const dir = write({ 'package.json': '{}', 'registry.js': src, 'main.js': `const { create } = require('./registry');\nconst model = create('conv');\n` });
    const ms = analyze(dir, 'registry.js');
    assertSame(model(ms, 'create'), real(src, "create('conv')"), 'create');
    fs.writeFileSync(path.join(dir, 'other.js'), `const { create } = require('./registry');\nconst model = create('dense');\n`);
    clearAnalysisCache();
    const both = model(analyze(dir, 'registry.js'), 'create');
    assert.strictEqual(both.totalParams, null);
    assert.match(both.totalsUnknownReason ?? '', /kind gets different values at the 2 call sites of create \("conv" at main\.js:2, "dense" at other\.js:2\)/);
  });

  it('a wrapper of a builder imported from another file is a model in its own file, its layers pointing into that file', () => {
    const dir = write({
      'package.json': '{}',
      'models.js': MODELS,
      'app.js': `const { buildCnn } = require('./models');\nconst tf = require('@tensorflow/tfjs');\nfunction createLeNet() {\n  const model = buildCnn(28, 10);\n  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\n  return model;\n}\nfunction loadData() {\n  return fetchRows('data.csv');\n}\nfunction normalize(x) {\n  return tf.tidy(() => x.div(255));\n}\nmodule.exports = { createLeNet, loadData, normalize };\n`,
    });
    const ms = analyze(dir, 'app.js');
    assert.deepStrictEqual(ms.map((m) => m.name), ['createLeNet'], 'a function returning something else is not a model');
    const m = ms[0];
    assertSame(m, real(MODELS, 'buildCnn(28, 10)'), 'createLeNet');
    assert.strictEqual(m.line, 3);
    const conv = m.layers.find((r) => r.type === 'Conv2D')!;
    assert.strictEqual(conv.file, path.join(dir, 'models.js'));
    assert.strictEqual(conv.line, MODELS.split('\n').findIndex((l) => l.includes('tf.layers.conv2d')) + 1);
  });

  it('a write through a tf.model()’s layers (or handing them to unknown code) makes the totals ? with the reason', () => {
    const code = (body: string) => `const tf = require('@tensorflow/tfjs');\nfunction build() {\n  const input = tf.input({ shape: [4] });\n  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3 }).apply(input) });\n  ${body}\n  return model;\n}\n`;
    for (const [body, reason] of [
      ['for (const l of model.layers) l.trainable = false;', /could not be followed|changes a layer/],
      ['model.layers.forEach((l) => { l.trainable = false; });', /could change a layer of a tf\.model\(\)/],
      ['model.getLayer(null, 1).trainable = false;', /changes a layer of a tf\.model\(\)/],
      ['freezeAll(model.layers);', /receives the layers of a model/],
    ] as const) {
      const dir = write({ 'package.json': '{}', 'a.js': code(body) });
      const m = model(analyze(dir, 'a.js'), 'build');
      assert.strictEqual(m.totalParams, null, body);
      assert.match(m.totalsUnknownReason ?? '', reason, body);
    }
  });

  it('config objects at call sites agree key by key: what the model takes from them is known even where an optimizer or activation differs', () => {
    const src = `const tf = require('@tensorflow/tfjs');
function createModel(config) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [config.inputSize], units: config.hidden[0], activation: config.activation }));
  model.add(tf.layers.dense({ units: config.hidden[1], activation: config.activation }));
  model.add(tf.layers.dense({ units: config.numClasses, activation: 'softmax' }));
  model.compile({ optimizer: config.optimizer, loss: 'categoricalCrossentropy' });
  return model;
}
`;
    const sites = `const a = createModel({ inputSize: 20, hidden: [64, 32], numClasses: 3, activation: 'relu', optimizer: tf.train.adam(0.001) });
const b = createModel({ inputSize: 20, hidden: [64, 32], numClasses: 3, activation: 'tanh', optimizer: tf.train.sgd(0.1) });
`;
    const dir = write({ 'package.json': '{}', 'a.js': src + sites, 'b.js': src + sites.replace('hidden: [64, 32], numClasses: 3, activation: \'tanh\'', 'hidden: [64, 16], numClasses: 3, activation: \'tanh\'') });
    assertSame(model(analyze(dir, 'a.js'), 'createModel'), real(src, "createModel({ inputSize: 20, hidden: [64, 32], numClasses: 3, activation: 'relu', optimizer: 'adam' })"), 'createModel');
    const b = model(analyze(dir, 'b.js'), 'createModel');
    assert.strictEqual(b.totalParams, null);
    assert.match(b.layers[1].unknownReason ?? '', /config\.hidden\[1\] gets different values at the 2 call sites of createModel \(32 at line 10, 16 at line 11\)/);
  });

  it('call sites that agree once defaults are applied: mlp(8) and mlp(8, 16) when units defaults to 16', () => {
    const src = `const tf = require('@tensorflow/tfjs');\nfunction mlp(inputSize, units = inputSize * 2) {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units, inputShape: [inputSize] }));\n  m.add(tf.layers.dense({ units: 2 }));\n  return m;\n}\nconst a = mlp(8);\nconst b = mlp(8, 16);\n`;
    const dir = write({ 'package.json': '{}', 'a.js': src });
    assertSame(model(analyze(dir, 'a.js'), 'mlp'), real(src.replace(/^const [ab] = .*$/gm, ''), 'mlp(8)'), 'mlp');
  });
});

/**
 * TypeScript builder source run by real tfjs: compiled to CommonJS by TypeScript (types erased,
 * nothing else changed), `@tensorflow/tfjs` being the tfjs this test imports, then `expr` evaluated
 * at the end of the module (its classes and functions in scope).
 */
function realTs(source: string, expr: string): tf.LayersModel {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const req = (spec: string) => {
    assert.strictEqual(spec, '@tensorflow/tfjs', `the builder imports only tfjs (not ${spec})`);
    return tf;
  };
  const exports = {};
  return new Function('require', 'module', 'exports', `${js}\nreturn ${expr};`)(req, { exports }, exports) as tf.LayersModel;
}

/** Real PyTorch's parameter count of `expr` after `code` (torch.nn as nn). */
function torchCount(code: string, expr: string): number {
  const py = spawnSync('/usr/bin/python3', ['-c', `import torch.nn as nn\n${code}\nprint(sum(p.numel() for p in (${expr}).parameters()))`], { encoding: 'utf8' });
  assert.strictEqual(py.status, 0, `real PyTorch failed (is python3-torch installed?): ${py.stderr}`);
  return Number(py.stdout.trim());
}

const TRAINER = `import * as tf from '@tensorflow/tfjs';

/** Builds and trains a classifier; the input size comes from whoever calls build(). */
export class Trainer {
  epochs = 5;

  build(inputSize: number, numClasses: number): tf.Sequential {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [inputSize], units: 128, activation: 'relu' }));
    model.add(tf.layers.dropout({ rate: 0.2 }));
    model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  }
}

export class Nets {
  static mlp(inputSize: number, hidden: number): tf.Sequential {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [inputSize], units: hidden, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 1 }));
    return model;
  }
}
`;

const AGENT = `import * as tf from '@tensorflow/tfjs';

/** A DQN agent: an online and a target network of the same shape. */
export default class Agent {
  online: tf.Sequential;
  target: tf.Sequential;

  constructor(stateSize: number, numActions: number) {
    this.online = this.createModel(stateSize, numActions);
    this.target = this.createModel(stateSize, numActions);
  }

  createModel(stateSize: number, numActions: number): tf.Sequential {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [stateSize], units: 64, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
    model.add(tf.layers.dense({ units: numActions }));
    return model;
  }
}
`;

describe('call sites of methods, static methods, subclasses and imports through barrels', function () {
  this.timeout(120_000);
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-callsites2-')));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  beforeEach(() => clearAnalysisCache());

  it('a method called on an instance in another file (const t = new Trainer(); t.build(784, 10)) and a static method (Nets.mlp(784, 64)), imported through a folder’s index.ts (export *): exact, as real tfjs builds them', () => {
    const dir = write({
      'package.json': '{}',
      'src/training/trainer.ts': TRAINER,
      'src/training/index.ts': `export * from './trainer';\n`,
      'src/main.ts': `import { Trainer, Nets } from './training';\n\nasync function main(): Promise<void> {\n  const trainer = new Trainer();\n  const model = trainer.build(784, 10);\n  await model.fit(xs, ys, { epochs: trainer.epochs });\n  const probe = Nets.mlp(784, 64);\n  probe.summary();\n}\nmain();\n`,
    });
    const ms = analyze(dir, 'src/training/trainer.ts');
    assertSame(model(ms, 'Trainer'), realTs(TRAINER, 'new Trainer().build(784, 10)'), 'Trainer.build');
    assertSame(model(ms, 'Nets'), realTs(TRAINER, 'Nets.mlp(784, 64)'), 'Nets.mlp');
  });

  it('a constructor running this.createModel(…), constructed through a default re-export renamed in a barrel (export { default as DqnAgent }), and through a barrel of that barrel', () => {
    const dir = write({
      'package.json': '{}',
      'src/agents/agent.ts': AGENT,
      'src/agents/index.ts': `export { default as DqnAgent } from './agent';\n`,
      'src/index.ts': `export * from './agents';\nexport const VERSION = '1.0';\n`,
      'app/play.ts': `import { DqnAgent } from '../src';\n\nconst STATE = 8;\nconst agent = new DqnAgent(STATE, 4);\nagent.online.summary();\n`,
    });
    assertSame(model(analyze(dir, 'src/agents/agent.ts'), 'Agent'), realTs(AGENT, 'new Agent(8, 4).online'), 'Agent');
    // A second construction through the other barrel that disagrees: ? naming both values and places.
    fs.writeFileSync(path.join(dir, 'app/eval.ts'), `import { DqnAgent as Agent } from '../src/agents';\nconst agent = new Agent(8, 6);\n`);
    clearAnalysisCache();
    const m = model(analyze(dir, 'src/agents/agent.ts'), 'Agent');
    assert.strictEqual(m.totalParams, null);
    assert.match(m.layers.find((r) => r.params === null)?.unknownReason ?? '', /numActions gets different values at the 2 call sites of Agent \((4 at play\.ts:4, 6 at eval\.ts:2|6 at eval\.ts:2, 4 at play\.ts:4)\)/);
  });

  it('a CommonJS barrel (module.exports = { Agent, RlAgent: Agent } after a require): a site using the renamed export counts', () => {
    const agent = `const tf = require('@tensorflow/tfjs');
class Agent {
  constructor(numActions) {
    this.model = this.createModel(numActions);
  }
  createModel(numActions) {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 32, inputShape: [8], activation: 'relu' }));
    m.add(tf.layers.dense({ units: numActions }));
    return m;
  }
}
module.exports = { Agent };
`;
    const dir = write({
      'package.json': '{}',
      'lib/agent.js': agent,
      'lib/index.js': `const { Agent } = require('./agent');\nmodule.exports = { Agent, RlAgent: Agent };\n`,
      'play.js': `const { RlAgent } = require('./lib');\nconst agent = new RlAgent(3);\n`,
    });
    assertSame(model(analyze(dir, 'lib/agent.js'), 'Agent'), real(agent, 'new Agent(3).model'), 'Agent');
  });

  it('a PyTorch-shaped base class whose size comes from a subclass’s super(…) in another file has real PyTorch’s count; a new of the base elsewhere that disagrees leaves it ?', () => {
    const encoder = `import { nn, Tensor } from 'js-pytorch';

export class Encoder extends nn.Module {
  conv: nn.Conv2d;
  bn: nn.BatchNorm2d;
  head: nn.Linear;

  constructor(width: number) {
    super();
    this.conv = new nn.Conv2d(3, width, 3, { padding: 1 });
    this.bn = new nn.BatchNorm2d(width);
    this.head = new nn.Linear(width, 10);
  }

  forward(x: Tensor): Tensor {
    return this.head.forward(this.bn.forward(this.conv.forward(x)).relu().mean([2, 3]));
  }
}
`;
    const dir = write({
      'package.json': '{}',
      'models/encoder.ts': encoder,
      'models/small.ts': `import { Encoder } from './encoder';\n\nexport class SmallEncoder extends Encoder {\n  constructor() {\n    super(32);\n  }\n}\n`,
    });
    const truth = torchCount(
      `class Encoder(nn.Module):\n    def __init__(self, width):\n        super().__init__()\n        self.conv = nn.Conv2d(3, width, 3, padding=1)\n        self.bn = nn.BatchNorm2d(width)\n        self.head = nn.Linear(width, 10)`,
      'Encoder(32)',
    );
    assert.strictEqual(model(analyze(dir, 'models/encoder.ts'), 'Encoder').totalParams, truth);
    fs.writeFileSync(path.join(dir, 'train.ts'), `import { Encoder } from './models/encoder';\nconst net = new Encoder(48);\n`);
    clearAnalysisCache();
    const m = model(analyze(dir, 'models/encoder.ts'), 'Encoder');
    assert.strictEqual(m.totalParams, null);
    assert.match(m.layers[0].unknownReason ?? '', /width gets different values at the 2 call sites of Encoder \((48 at train\.ts:2, 32 at small\.ts:5|32 at small\.ts:5, 48 at train\.ts:2)\)/);
  });

  it('a subclass with no constructor of its own passes its new’s arguments to the base: exact when they are the only ones, ? when they disagree with another, nothing when it is never constructed', () => {
    const base = `import { nn, Tensor } from 'js-pytorch';

export class Classifier extends nn.Module {
  fc1: nn.Linear;
  fc2: nn.Linear;

  constructor(inFeatures: number, numClasses: number) {
    super();
    this.fc1 = new nn.Linear(inFeatures, 64);
    this.fc2 = new nn.Linear(64, numClasses);
  }

  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}
`;
    const dir = write({
      'package.json': '{}',
      'classifier.ts': base,
      'variants.ts': `import { Classifier } from './classifier';

/** The same network, named for the data set it is trained on. */
export class MnistClassifier extends Classifier {}
export class UnusedClassifier extends Classifier {}
`,
      'train.ts': `import { MnistClassifier } from './variants';
const net = new MnistClassifier(784, 10);
`,
    });
    const py = `class Classifier(nn.Module):
    def __init__(self, i, c):
        super().__init__()
        self.fc1 = nn.Linear(i, 64)
        self.fc2 = nn.Linear(64, c)
class MnistClassifier(Classifier):
    pass`;
    assert.strictEqual(model(analyze(dir, 'classifier.ts'), 'Classifier').totalParams, torchCount(py, 'MnistClassifier(784, 10)'));
    fs.writeFileSync(path.join(dir, 'eval.ts'), `import { Classifier } from './classifier';
const net = new Classifier(3072, 10);
`);
    clearAnalysisCache();
    const m = model(analyze(dir, 'classifier.ts'), 'Classifier');
    assert.strictEqual(m.totalParams, null);
    assert.match(m.layers[0].unknownReason ?? '', /inFeatures gets different values at the 2 call sites of Classifier \((3072 at eval\.ts:2, 784 at variants\.ts:4 \(through MnistClassifier\)|784 at variants\.ts:4 \(through MnistClassifier\), 3072 at eval\.ts:2)\)/);
  });

  it('soundness: past the bound on call sites read (32), the ones not read may pass anything: ?, never the count of the ones read', () => {
    const layer = `import { nn, Tensor } from 'js-pytorch';\n\nexport class Projection extends nn.Module {\n  proj: nn.Linear;\n  constructor(width: number) {\n    super();\n    this.proj = new nn.Linear(width, 16);\n  }\n  forward(x: Tensor): Tensor {\n    return this.proj.forward(x);\n  }\n}\n`;
    const sites = (n: number, last: string) => `import { Projection } from './projection';\nexport const heads = [\n${'  new Projection(64),\n'.repeat(n)}${last}];\n`;
    const dir = write({ 'package.json': '{}', 'projection.ts': layer, 'heads.ts': sites(31, '  new Projection(64),\n') });
    const py = 'class Projection(nn.Module):\n    def __init__(self, w):\n        super().__init__()\n        self.proj = nn.Linear(w, 16)';
    assert.strictEqual(model(analyze(dir, 'projection.ts'), 'Projection').totalParams, torchCount(py, 'Projection(64)'), '32 sites, all read');
    // The 34th passes another width: it is not read, so nothing read may be taken for all of them.
    fs.writeFileSync(path.join(dir, 'heads.ts'), sites(33, '  new Projection(128),\n'));
    clearAnalysisCache();
    const m = model(analyze(dir, 'projection.ts'), 'Projection');
    assert.strictEqual(m.totalParams, null);
    assert.match(m.layers[0].unknownReason ?? '', /heads\.ts has more than 32 calls named Projection/);
  });

  it('soundness: a call of the method on an object ModelLens cannot follow makes its parameters ? (never another number); an override, another class’s or tfjs’s method of the same name and a barrel’s same-named other class do not count', () => {
    const dir = write({
      'package.json': '{}',
      'src/training/trainer.ts': TRAINER,
      'src/training/index.ts': `export * from './trainer';\n`,
      'src/main.ts': `import { Trainer } from './training';\nconst trainer = new Trainer();\ntrainer.build(784, 10);\n`,
      // Not calls of Trainer.build: a subclass's own build, another class's build, a tfjs model's.
      'src/custom.ts': `import * as tf from '@tensorflow/tfjs';\nimport { Trainer } from './training/trainer';\nconst net = tf.sequential();\nnet.build([null, 3]);\nclass Frozen extends Trainer {\n  build(inputSize: number, numClasses: number): never { throw new Error('load it instead'); }\n}\nclass Logger { build(a: number, b: number) { return a + b; } }\nnew Frozen().build(100, 3);\nconst log = new Logger();\nlog.build(1, 2);\n`,
      // A barrel exporting another class under the same name: its \`new\` is not ours.
      'src/legacy/trainer.ts': TRAINER,
      'src/legacy/index.ts': `export { Trainer } from './trainer';\n`,
      'src/old.ts': `import { Trainer } from './legacy';\nnew Trainer().build(20, 2);\n`,
    });
    const truth = realTs(TRAINER, 'new Trainer().build(784, 10)');
    assertSame(model(analyze(dir, 'src/training/trainer.ts'), 'Trainer'), truth, 'only the agreeing site counts');
    // An override that calls ours through super.build(…) is a call of it, with its own call site's values: 2 × 100.
    fs.writeFileSync(path.join(dir, 'src/wide.ts'), `import { Trainer } from './training';\nclass Wide extends Trainer {\n  build(inputSize: number, numClasses: number) {\n    return super.build(inputSize * 2, numClasses);\n  }\n}\nnew Wide().build(100, 10);\n`);
    clearAnalysisCache();
    const wide = model(analyze(dir, 'src/training/trainer.ts'), 'Trainer');
    assert.strictEqual(wide.totalParams, null);
    assert.match(wide.layers[0].unknownReason ?? '', /inputSize gets different values at the 2 call sites of build \((784 at main\.ts:3, 200 at wide\.ts:4|200 at wide\.ts:4, 784 at main\.ts:3)\)/);
    fs.rmSync(path.join(dir, 'src/wide.ts'));
    fs.writeFileSync(path.join(dir, 'src/run.ts'), `import { Trainer } from './training';\nexport function fit(t: Trainer, n: number) {\n  return t.build(n, 10);\n}\n`);
    clearAnalysisCache();
    const m = model(analyze(dir, 'src/training/trainer.ts'), 'Trainer');
    assert.strictEqual(m.totalParams, null, 'an unfollowed call may pass any input size');
    assert.match(m.layers[0].unknownReason ?? '', /inputSize has no static value at the call site of build: `t\.build\(n, 10\)` in run\.ts:3 may call Trainer\.build on an object ModelLens cannot follow/);
  });

  it('soundness: a builder or class used as a value (a registry, an argument, a rename, a bound method) makes its parameters ? — calls through it are unseen; exports, imports, types and static reads do not', () => {
    const exact = write({
      'package.json': '{}',
      'models.js': MODELS,
      'train.js': `const { buildCnn: make } = require('./models');\nconst models = require('./models');\nmodule.exports.cnn = models.buildCnn;\nmodule.exports = { buildCnn: models.buildCnn };\nconst m = make(28, 10);\n`,
      'types.ts': `import { buildCnn } from './models';\nexport type Builder = typeof buildCnn;\nexport const b = buildCnn(28, 10);\nexport default { buildCnn };\n`,
    });
    assertSame(model(analyze(exact, 'models.js'), 'buildCnn'), real(MODELS, 'buildCnn(28, 10)'), 'exports (CommonJS and an ES default object), a destructured require, typeof');
    const cases: [string, string, RegExp][] = [
      ['a registry in its own file', MODELS + `const BUILDERS = { cnn: buildCnn };\nbuildCnn(28, 10);\n`, /buildCnn is used as a value at line 13/],
      ['passed as an argument in an importing file', MODELS, /buildCnn is used as a value at run\.js:2/],
    ];
    for (const [what, models, why] of cases) {
      const dir = write({
        'package.json': '{}',
        'models.js': models,
        'train.js': `const { buildCnn } = require('./models');\nbuildCnn(28, 10);\n`,
        ...(what.includes('argument') ? { 'run.js': `const { buildCnn } = require('./models');\nregister('cnn', buildCnn);\n` } : {}),
      });
      const m = model(analyze(dir, 'models.js'), 'buildCnn');
      assert.strictEqual(m.totalParams, null, `${what}: ?, not the count of the one visible call`);
      assert.match(JSON.stringify(m.layers.map((r) => r.unknownReason)), why, what);
    }
    // A class renamed, and a method taken off its object.
    const CLS = `import { nn } from 'js-pytorch';\nexport class Head extends nn.Module {\n  fc: nn.Linear;\n  constructor(width: number) {\n    super();\n    this.fc = new nn.Linear(width, 2);\n  }\n  forward(x) {\n    return this.fc.forward(x);\n  }\n}\n`;
    const renamed = write({ 'package.json': '{}', 'head.ts': CLS, 'use.ts': `import { Head } from './head';\nconst a = new Head(8);\nconst Make = Head;\nconst b = new Make(16);\n` });
    const head = model(analyze(renamed, 'head.ts'), 'Head');
    assert.strictEqual(head.totalParams, null, 'a renamed class: ?');
    assert.match(JSON.stringify(head.layers.map((r) => r.unknownReason)), /Head is used as a value at use\.ts:3/);
    const bound = write({ 'package.json': '{}', 'trainer.ts': TRAINER, 'main.ts': `import { Trainer } from './trainer';\nconst t = new Trainer();\nt.build(784, 10);\nconst again = t.build.bind(t);\nagain(20, 2);\n` });
    const trainer = model(analyze(bound, 'trainer.ts'), 'Trainer');
    assert.strictEqual(trainer.totalParams, null, 'a bound method: ?');
    assert.match(JSON.stringify(trainer.layers.map((r) => r.unknownReason)), /build is used as a value at main\.ts:4/);
  });
});
