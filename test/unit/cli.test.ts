import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli as cliAsync, main } from '../../src/cli/main';

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
    fs.writeFileSync(f, `import { nn } from 'js-pytorch'; class M extends nn.Module { constructor(hiddenSize: number) { super(); this.fc = new nn.Linear(8, hiddenSize); } forward(x) { return this.fc.forward(x); } }`);
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
    fs.writeFileSync(f, `import { nn } from 'js-pytorch'; /** @inputShape [1, 4] */\nclass A extends nn.Module { fc = new nn.Linear(4, 2); forward(x) { return this.fc.forward(x); } }\nclass B extends nn.Module { fc = new nn.Linear(4, `);
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

    it(`${entry}: a reader that stops early (| head -c 1) ends it quietly, status 0, no EPIPE trace`, () => {
      // JSON of a 300-layer Python model: far more than a pipe holds, so the writes meet the closed pipe.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-pipe-'));
      try {
        const f = path.join(dir, 'deep.py');
        fs.writeFileSync(f, ['import torch', 'import torch.nn as nn', '', '', 'class Deep(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.layers = nn.Sequential(*[nn.Linear(64, 64) for _ in range(300)])', '', '    def forward(self, x):', '        return self.layers(x)', '', '', 'model = Deep()', 'model(torch.randn(8, 64))', ''].join('\n'));
        const full = spawnSync(process.execPath, [path.join(ROOT, entry), 'summary', f, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
        assert.ok(full.stdout.length > 128 * 1024, `${full.stdout.length} bytes: not enough to fill a pipe`);
        const err = path.join(dir, 'stderr.txt');
        const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
        const r = spawnSync('/bin/bash', ['-c', `${q(process.execPath)} ${q(path.join(ROOT, entry))} summary ${q(f)} --format json 2>${q(err)} | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
        assert.strictEqual(fs.readFileSync(err, 'utf8'), '');
        assert.strictEqual(r.stdout.trim(), '0');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('modellens CLI help', () => {
  async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await cliAsync(args, (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  }

  it('modellens --help and -h list the commands with examples, on stdout, exit 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = await run(flag);
      assert.strictEqual(r.code, 0, flag);
      assert.strictEqual(r.err, '');
      assert.match(r.out, /^Usage:\n {2}modellens <command> \[options\]$/m);
      for (const command of ['summary', 'run', 'help']) assert.match(r.out, new RegExp(`^ {2}${command} +\\S`, 'm'), command);
      assert.match(r.out, /^Examples:\n {2}modellens summary examples\/simple-mlp\.ts$/m);
    }
  });

  it('-h on every command: help -h and help --help print the general help (it says how help is used), exit 0', async () => {
    const general = (await run('--help')).out;
    for (const flag of ['-h', '--help']) {
      const r = await run('help', flag);
      assert.deepStrictEqual([r.code, r.err, r.out], [0, '', general], `help ${flag}`);
    }
    assert.match(general, /^ {2}help +Show the help of a command: modellens help summary$/m);
  });

  it('help summary, summary --help and summary -h print the same text; so do run\'s', async () => {
    for (const command of ['summary', 'run']) {
      const texts = [await run('help', command), await run(command, '--help'), await run(command, 'x.ts', '-h')];
      for (const r of texts) {
        assert.strictEqual(r.code, 0);
        assert.strictEqual(r.err, '');
        assert.strictEqual(r.out, texts[0].out);
      }
      assert.ok(texts[0].out.startsWith(`Usage: modellens ${command} <file`), texts[0].out);
      assert.match(texts[0].out, /^Options:$/m);
      assert.match(texts[0].out, new RegExp(`^Examples:\\n {2}modellens ${command} `, 'm'));
    }
  });

  it('documents every flag each command accepts, and every summary format', async () => {
    const summary = (await run('help', 'summary')).out;
    for (const flag of ['--model NAME', '--input-shape SHAPE', '--format FORMAT', '--root DIR', '--max-file-size KB', '-h, --help']) assert.ok(summary.includes(`  ${flag}`), flag);
    for (const f of ['seed', 'torchinfo', 'keras', 'markdown', 'json']) assert.match(summary, new RegExp(`^( {2}--format FORMAT)? +${f} {2,}\\S`, 'm'), f);
    const runHelp = (await run('help', 'run')).out;
    for (const flag of ['--model', '--input-shape', '--format', '--backend', '--seed N', '--batch N', '--timeout MS', '--yes', '-h, --help']) assert.ok(runHelp.includes(`  ${flag}`), flag);
    // Every example in the help runs (the summary ones, which are static and quick).
    for (const m of summary.matchAll(/^ {2}modellens summary (examples\/\S+)(.*)$/gm)) {
      const args = m[2].trim() ? m[2].trim().split(/\s+/) : [];
      const r = cli('summary', path.join(ROOT, m[1]), ...args);
      assert.strictEqual(r.code, 0, m[0]);
      assert.strictEqual(r.err, '', m[0]);
    }
  });

  it('the help says Python is read too (.py), and its Python examples run', async () => {
    const general = (await run('--help')).out;
    assert.match(general, /and in\nPython \(PyTorch nn\.Module code\)/);
    const summary = (await run('help', 'summary')).out;
    assert.match(summary, /^Reads the models in a \.ts\/\.js\/\.py file/m);
    const examples = [...general.matchAll(/^ {2}modellens summary (examples\/python\/\S+)(.*)$/gm), ...summary.matchAll(/^ {2}modellens summary (examples\/python\/\S+)(.*)$/gm)];
    assert.strictEqual(examples.length, 2, 'one Python example in each help');
    for (const m of examples) {
      const args = m[2].trim() ? m[2].trim().split(/\s+/) : [];
      const r = cli('summary', path.join(ROOT, m[1]), ...args);
      assert.strictEqual(r.code, 0, m[0]);
      assert.strictEqual(r.err, '', m[0]);
      assert.match(r.out, /Total params: [\d,]+$/m, m[0]);
    }
    const missing = await run('summary');
    assert.strictEqual(missing.code, 2);
    assert.strictEqual(missing.err.split('\n')[0], 'modellens: missing <file>');
  });

  it('a usage error names the problem and the command\'s synopsis, on stderr, exit 2', async () => {
    const bad = await run('summary', 'x.ts', '--format', 'yaml');
    assert.strictEqual(bad.code, 2);
    assert.strictEqual(bad.out, '');
    assert.deepStrictEqual(bad.err.split('\n'), ['modellens: unknown format "yaml"', 'Usage: modellens summary <file|folder> [--model NAME] [--input-shape SHAPE] [--format FORMAT]', '                         [--root DIR] [--max-file-size KB]', '(modellens summary --help for the options)', '']);
    const none = await run();
    assert.strictEqual(none.code, 2);
    assert.match(none.err, /^Commands:$/m);
    const unknown = await run('help', 'bogus');
    assert.strictEqual(unknown.code, 2);
    assert.strictEqual(unknown.err, 'modellens: no command "bogus" (commands: summary, run)\n');
  });
});

describe('modellens CLI findings', () => {
  it('prints a finding repeated on many layers once, at its first line, with the count and the other lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-'));
    const f = path.join(dir, 'typo.ts');
    const layers = Array.from({ length: 11 }, (_, k) => `  l${k} = new nn.Lineer(8, 8);`);
    const calls = layers.reduce((x, _, k) => `this.l${k}(${x})`, 'x');
    fs.writeFileSync(f, ["import { nn } from 'js-pytorch'; class Net extends nn.Module {", ...layers, `  forward(x) { return ${calls}; }`, '}', ''].join('\n'));
    try {
      const r = cli('summary', f, '--input-shape', '2,8');
      assert.strictEqual(r.code, 0);
      const lines = r.err.split('\n').filter((l) => l.includes('Unknown layer'));
      assert.strictEqual(lines.length, 1, r.err);
      const first = lineOf(f, /l0 = new/);
      assert.ok(lines[0].startsWith(`${path.relative(process.cwd(), f)}:${first}: warning: Unknown layer \`nn.Lineer\``), lines[0]);
      const rest = Array.from({ length: 8 }, (_, k) => first + 1 + k).join(', ');
      assert.ok(lines[0].endsWith(`(×11; also lines ${rest}, …)`), lines[0]);
      // The table's footnote says the reason once too, with the count.
      assert.match(r.out, /^ {2}l0, l1, l2, l3, l4 and 6 more \(11 × Lineer\): /m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the same in a Python file: one line with the count, the suggestion said once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-'));
    const f = path.join(dir, 'typo.py');
    const layers = Array.from({ length: 11 }, (_, k) => `        self.l${k} = nn.Lineer(8, 8)`);
    fs.writeFileSync(f, ['import torch.nn as nn', '', '', 'class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', ...layers, ''].join('\n'));
    try {
      const r = cli('summary', f);
      assert.strictEqual(r.code, 0);
      const lines = r.err.split('\n').filter((l) => l.includes('Unknown layer'));
      assert.strictEqual(lines.length, 1, r.err);
      const first = lineOf(f, /l0 = nn/);
      assert.strictEqual(lines[0], `${path.relative(process.cwd(), f)}:${first}: warning: Unknown layer \`nn.Lineer\`: its parameters and shape are unknown. Did you mean \`nn.Linear\`? (×11; also lines ${Array.from({ length: 8 }, (_, k) => first + 1 + k).join(', ')}, …)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
