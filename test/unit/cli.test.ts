import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

/** The `modellens` CLI: the seed table byte for byte, the JSON contract, folders and exit codes. */

const ROOT = path.resolve(__dirname, '../../..');
const ex = (f: string) => path.join(ROOT, 'examples', f);

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

/** The reference output every user knows (pytorch-summary for SimpleMLP(128, 516, 1) at (64, 128)), from the issue. */
const SEED = `======================================================================
        Layer (type)              Output Shape         Param #
======================================================================
            Linear-1                 [64, 516]          66,564
              ReLU-2                 [64, 516]               0
            Linear-3                 [64, 516]         266,772
              ReLU-4                 [64, 516]               0
            Linear-5                   [64, 1]             517
         SimpleMLP-6                   [64, 1]               0
======================================================================
Total params: 333,853
Trainable params: 333,853
Non-trainable params: 0
======================================================================
`;

/** 1-based line of the first line of `file` matching `re`: read from the source, not from the analyzer. */
function lineOf(file: string, re: RegExp): number {
  return fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => re.test(l)) + 1;
}

describe('modellens CLI', () => {
  it('prints the seed table byte for byte for examples/simple-mlp.ts', () => {
    const r = cli('summary', ex('simple-mlp.ts'));
    assert.strictEqual(r.code, 0);
    assert.strictEqual(r.out, SEED);
    assert.strictEqual(r.err, '');
  });

  it('prints the tfjs equivalent with a None batch, and 64 with --input-shape', () => {
    const none = cli('summary', ex('simple-mlp.tfjs.ts')).out;
    assert.strictEqual(none, SEED.replace(/Linear/g, ' Dense').replace(/\[64,/g, '[None,').replace(/ {2}\[None, 516\]/g, '[None, 516]').replace(/ {2}\[None, 1\]/g, '[None, 1]'));
    const with64 = cli('summary', ex('simple-mlp.tfjs.ts'), '--input-shape', '64,128').out;
    assert.strictEqual(with64, SEED.replace(/Linear/g, ' Dense'));
  });

  it('emits the JSON contract with source lines', () => {
    const r = cli('summary', ex('simple-mlp.ts'), '--format', 'json');
    const j = JSON.parse(r.out);
    assert.deepStrictEqual(Object.keys(j).slice(0, 2), ['file', 'models']);
    const m = j.models[0];
    // The contract's keys come first, in the contract's order; more fields may follow.
    assert.deepStrictEqual(Object.keys(m).slice(0, 9), ['name', 'line', 'inputShape', 'totalParams', 'trainableParams', 'nonTrainableParams', 'outputShape', 'layers', 'diagnostics']);
    assert.deepStrictEqual(Object.keys(m.layers[0]).slice(0, 7), ['name', 'type', 'line', 'depth', 'container', 'outputShape', 'params']);
    assert.strictEqual(m.name, 'SimpleMLP');
    assert.strictEqual(m.line, lineOf(ex('simple-mlp.ts'), /class SimpleMLP/));
    assert.deepStrictEqual([m.inputShape, m.totalParams, m.trainableParams, m.nonTrainableParams, m.outputShape], [[64, 128], 333853, 333853, 0, [64, 1]]);
    const fc1 = m.layers[0];
    assert.deepStrictEqual(
      { name: fc1.name, type: fc1.type, line: fc1.line, depth: fc1.depth, container: fc1.container, outputShape: fc1.outputShape, params: fc1.params },
      { name: 'fc1', type: 'Linear', line: lineOf(ex('simple-mlp.ts'), /this\.fc1 = /), depth: 1, container: false, outputShape: [64, 516], params: 66564 },
    );
    assert.deepStrictEqual(m.diagnostics, []);
  });

  it('prints unknown dims as null and unknown counts as null with a reason in JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-'));
    const f = path.join(dir, 'm.ts');
    fs.writeFileSync(f, `class M extends nn.Module { constructor(hiddenSize: number) { super(); this.fc = new nn.Linear(8, hiddenSize); } forward(x) { return this.fc.forward(x); } }`);
    const m = JSON.parse(cli('summary', f, '--format', 'json').out).models[0];
    assert.strictEqual(m.totalParams, null);
    assert.deepStrictEqual(m.inputShape, [null, 8]);
    assert.strictEqual(m.layers[0].params, null);
    assert.deepStrictEqual(m.layers[0].outputShape, null);
    assert.match(m.layers[0].unknownReason, /hiddenSize has no value/);
  });

  it('summarizes every model in a folder', () => {
    const r = cli('summary', path.join(ROOT, 'examples'), '--format', 'json');
    const j = JSON.parse(r.out);
    const names = j.files.flatMap((f: { models: { name: string }[] }) => f.models.map((m) => m.name));
    for (const n of ['SimpleMLP', 'SmallCNN', 'ResNetTiny', 'TinyTransformer', 'buildCnn', 'buildTwoTower']) assert.ok(names.includes(n), n);
  });

  it('selects a model with --model and renders torchinfo and keras layouts', () => {
    const t = cli('summary', ex('resnet.ts'), '--model', 'ResNetTiny', '--format', 'torchinfo').out;
    assert.match(t, /├─Conv2d: 1-1/);
    assert.match(t, /Total params: 19,994/);
    const k = cli('summary', ex('cnn.tfjs.ts'), '--format', 'keras').out;
    assert.match(k, /Layer \(type\)\s+Input Shape\s+Output shape\s+Param #/);
  });

  it('exits 0 with diagnostics on a syntax error, 2 on a missing file or a bad flag', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-'));
    const f = path.join(dir, 'broken.ts');
    fs.writeFileSync(f, `/** @inputShape [1, 4] */\nclass A extends nn.Module { fc = new nn.Linear(4, 2); forward(x) { return this.fc.forward(x); } }\nclass B extends nn.Module { fc = new nn.Linear(4, `);
    const r = cli('summary', f);
    assert.strictEqual(r.code, 0);
    assert.match(r.out, /Linear-1/);
    assert.match(r.err, /broken\.ts:3: error: Syntax error/);
    const missing = cli('summary', path.join(dir, 'nope.ts'));
    assert.strictEqual(missing.code, 2);
    assert.strictEqual(missing.err.trim().split('\n').length, 1);
    assert.strictEqual(cli('summary', f, '--format', 'yaml').code, 2);
    assert.strictEqual(cli('summary', f, '--input-shape', 'a,b').code, 2);
    assert.strictEqual(cli('bogus').code, 2);
  });

  // The built CLI as a user runs it, through both entries: the bundle once printed a second,
  // spurious usage error from `run`'s own entry guard, which fired inside dist/cli.js too.
  for (const entry of ['bin/modellens.js', 'dist/cli.js']) {
    it(`runs as a process through ${entry}: the seed table on stdout, nothing on stderr, exit 0`, () => {
      const r = spawnSync(process.execPath, [path.join(ROOT, entry), 'summary', ex('simple-mlp.ts')], { cwd: ROOT, encoding: 'utf8' });
      assert.strictEqual(r.stderr, '');
      assert.strictEqual(r.stdout, SEED);
      assert.strictEqual(r.status, 0);
    });
  }
});
