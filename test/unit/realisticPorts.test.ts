import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { analyzeSource } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';
import type { TorchModel } from '../fixtures/examples/torchTruth';

/**
 * Realistic PyTorch-shaped ports of torchvision architectures (test/fixtures/realistic), written
 * the way their authors write them, against the real torchvision models (generate.py there, run
 * by real PyTorch; truth.json checked current here). A port is either exact — totals, every
 * module's type and own parameters under its real name, every call's output shape in call order —
 * or its totals are unknown with a reason. Never a different definite number.
 */

const ROOT = path.resolve(__dirname, '../../..');
const DIR = path.join(ROOT, 'test/fixtures/realistic');
type PortTruth = TorchModel & { outputShapes: number[][] };
const truth = JSON.parse(fs.readFileSync(path.join(DIR, 'truth.json'), 'utf8')) as { torchVersion: string; models: Record<string, PortTruth> };

/** Ports that must be exact today (the rest may be unknown with a reason, never wrong). */
const EXACT = [
  'vgg.ts#VGG11BN',
  'resnet.ts#ResNet18',
  'resnet.ts#ResNet50',
  'mobilenet.ts#MobileNetV2',
  'mobilenetv3.ts#MobileNetV3Small',
  'shufflenet.ts#ShuffleNetV2x1',
  'densenet.ts#DenseNet121',
  'efficientnet.ts#EfficientNetB0',
  'gpt.ts#GPT',
  'bert.ts#BertForSequenceClassification',
  'seq2seq.ts#Seq2Seq',
  'unet.ts#UNetTransposed',
  'unet.ts#UNetBilinear',
  'vae.ts#ConvVAE',
  // Registration semantics, one rule per model (registration.ts).
  'registration.ts#AddModuleRows',
  'registration.ts#ParametersAndBuffers',
  'registration.ts#ReassignAndRemove',
  'registration.ts#TiedAndShared',
  'registration.ts#FrozenParts',
  'registration.ts#ContainerMethods',
];

function analyze(key: string): ModelSummary {
  const [file, cls] = key.split('#');
  const full = path.join(DIR, file);
  const m = analyzeSource(full, fs.readFileSync(full, 'utf8')).models.find((x) => x.name === cls);
  assert.ok(m, `${key}: model not found`);
  return m;
}

function assertExact(key: string, m: ModelSummary, t: PortTruth): void {
  assert.deepStrictEqual(m.diagnostics.filter((d) => d.severity === 'error'), [], 'error diagnostics');
  assert.strictEqual(m.totalParams, t.totalParams, 'total = model.parameters()');
  assert.strictEqual(m.trainableParams, t.trainableParams, 'trainable');
  assert.deepStrictEqual(m.inputShape, t.inputShape, 'input shape');
  assert.deepStrictEqual(m.outputShape, t.outputShape, 'output shape');
  assert.deepStrictEqual(m.outputShapes, t.outputShapes, 'every output (a VAE returns three)');
  const rows = m.layers.filter((r) => !r.op);
  // Every registered module is a row, under its real name, with its real type and own parameters.
  for (const mod of t.modules) {
    const r = rows.find((x) => x.name === mod.name);
    assert.ok(r, `${mod.name}: no row`);
    assert.strictEqual(r.type, mod.className, `${mod.name} type`);
    if (!r.container) {
      assert.strictEqual(r.params, mod.params, `${mod.name} params`);
      assert.strictEqual(r.trainableParams, mod.trainableParams, `${mod.name} trainable params`);
    }
  }
  for (const r of rows) assert.ok(t.modules.some((x) => x.name === r.name), `${r.name}: no such module in PyTorch`);
  // Calls in PyTorch's order, each with its real output shape (hooks fire once per call).
  const called = rows.filter((r) => !r.notCalled);
  assert.deepStrictEqual(called.map((r) => r.name), t.callOrder, `${key}: call order`);
  const seen = new Map<string, number>();
  for (const r of called) {
    const k = seen.get(r.name) ?? 0;
    seen.set(r.name, k + 1);
    const real = t.rows.filter((x) => x.name === r.name)[k];
    assert.deepStrictEqual(r.outputShape, real.outputShape, `${r.name} output shape (call ${k + 1})`);
  }
}

describe(`realistic ports against torchvision and real PyTorch (${truth.torchVersion})`, () => {
  it('truth.json is current with generate.py (real torchvision, now)', function () {
    this.timeout(600000);
    const r = spawnSync('/usr/bin/python3', [path.join(DIR, 'generate.py'), '--stdout'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.strictEqual(r.status, 0, `generate.py failed (are python3-torch and python3-torchvision installed?):\n${r.stderr}`);
    assert.deepStrictEqual(JSON.parse(r.stdout), truth, 'truth.json is stale: re-run the generator');
  });

  for (const [key, t] of Object.entries(truth.models)) {
    it(`${key}: exact, or unknown with a reason — never another number`, function () {
      this.timeout(120000);
      const m = analyze(key);
      if (m.totalParams === null) {
        assert.ok(!EXACT.includes(key), `${key} must be exact: ${m.totalsUnknownReason}`);
        assert.ok(m.totalsUnknownReason, 'an unknown total says why');
        assert.strictEqual(m.trainableParams, null);
        return;
      }
      assertExact(key, m, t);
    });
  }

  it('covers the architectures the issue names, each exact', () => {
    for (const k of EXACT) assert.ok(truth.models[k], `${k} has truth`);
    assert.deepStrictEqual(Object.keys(truth.models).sort(), [...EXACT].sort(), 'every port with truth is in the exact list');
  });

  it('a tied weight is counted once, frozen parameters are not trainable (as model.parameters() says)', () => {
    const gpt = analyze('gpt.ts#GPT');
    const rows = gpt.layers.filter((r) => !r.op);
    const wte = rows.find((r) => r.name === 'transformer.wte');
    const head = rows.find((r) => r.name === 'lm_head');
    // Each module owns the tied matrix (its own parameters), the model counts it once.
    assert.strictEqual(wte?.params, 5000 * 128);
    assert.strictEqual(head?.params, 5000 * 128);
    assert.strictEqual(gpt.totalParams, truth.models['gpt.ts#GPT'].totalParams);
    const bert = analyze('bert.ts#BertForSequenceClassification');
    assert.ok(bert.trainableParams! < bert.totalParams!, 'the embeddings are frozen');
    assert.strictEqual(bert.nonTrainableParams, truth.models['bert.ts#BertForSequenceClassification'].nonTrainableParams);
  });
});

/**
 * The soundness rule on the realistic ports: a construct ModelLens does not model, inserted into
 * every constructor of a port (right after its super() call), leaves each model's totals exactly
 * PyTorch's or makes them unknown with a reason — never another definite number.
 */
describe('soundness on the realistic ports: unmodelled constructs never give another number', () => {
  const CONSTRUCTS: [string, string][] = [
    ['an unknown call receiving this', 'helper(this);'],
    ['a dynamic write with an unknown key', 'this[helper.name] = new nn.Linear(8, 8);'],
    ['a method of an unknown object receiving this', 'helper.register(this);'],
    ['an unknown call receiving a callback that registers', 'helper(() => { this.extra = new nn.Linear(8, 8); });'],
    ['an unknown built-in', '[1, 2].copyWithin(0, 1);'],
    ['a throw behind an unknown argument check', 'if (helper.n < 0) throw new Error("bad argument");'],
    ['an unknown freeze flag', 'for (const p of this.parameters()) p.requires_grad = helper.train;'],
  ];
  const byFile = new Map<string, string[]>();
  for (const key of Object.keys(truth.models)) {
    const [file, cls] = key.split('#');
    byFile.set(file, [...(byFile.get(file) ?? []), cls]);
  }
  for (const [file, classes] of byFile) {
    it(`${file}: ${CONSTRUCTS.length} constructs × ${classes.length} model(s)`, function () {
      this.timeout(300000);
      const full = path.join(DIR, file);
      const text = fs.readFileSync(full, 'utf8');
      let checked = 0;
      for (const [what, code] of CONSTRUCTS) {
        const edited = `import { helper } from './no-such-module';\n` + text.replace(/(\n(\s*)super\([^;]*\);)/g, (_m, stmt: string, indent: string) => `${stmt}\n${indent.replace(/\n/g, '')}${code}`);
        assert.notStrictEqual(edited.length, text.length + `import { helper } from './no-such-module';\n`.length, `${file}: no constructor to insert into`);
        const models = analyzeSource(full, edited).models;
        for (const cls of classes) {
          const t = truth.models[`${file}#${cls}`];
          const m = models.find((x) => x.name === cls);
          assert.ok(m, `${file}#${cls} (${what}): model not found`);
          if (m.totalParams === null || m.trainableParams === null) {
            assert.ok(m.totalsUnknownReason, `${file}#${cls} (${what}): an unknown total says why`);
          } else {
            assert.strictEqual(m.totalParams, t.totalParams, `${file}#${cls} (${what}): a definite total must be PyTorch's`);
            assert.strictEqual(m.trainableParams, t.trainableParams, `${file}#${cls} (${what}): a definite trainable count must be PyTorch's`);
          }
          checked++;
        }
      }
      assert.strictEqual(checked, CONSTRUCTS.length * classes.length);
    });
  }
});
