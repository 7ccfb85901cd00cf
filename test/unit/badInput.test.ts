import * as assert from 'assert';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { analyzeSource } from '../../src/core/analyze';
import type { Diagnostic, FileSummary, ModelSummary } from '../../src/core/summary';
import { generateFileWithInfo } from '../../scripts/generate-models';

/**
 * Broken, hostile and degenerate inputs with specific expectations. Expected values come from
 * what PyTorch / TensorFlow.js do with the same code (worked out in the comments), never from
 * what the analyzer prints.
 *
 * Inputs that could hang or exhaust memory are analysed in a child process, so that a regression
 * fails this test instead of stopping the whole unit-test run. What bounds them is the analyzer's
 * step budget (per model, and the file's), not the clock: the child runs without the file
 * budget's wall-time limit, so the answer is the same on an idle machine and a loaded one, and
 * the kill timer below is only a backstop for a real hang (an analysis that stops counting steps).
 */

/** Backstop for a child that never answers: minutes, far above any loaded machine's time. */
const BACKSTOP_MS = 180_000;
const DIR = '/virtual';
const MAIN = `${DIR}/main.ts`;

const ANALYZE = path.resolve(__dirname, '../../src/core/analyze.js');

/** Text from lines: keeps line numbers in the tests obvious. */
const lines = (...ls: string[]) => ls.join('\n') + '\n';

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `test bug: "${needle}" is not in the input`);
  return i + 1;
}

function hostOf(files: Record<string, string>) {
  return { readFile: (p: string) => files[p] };
}

function analyze(text: string, files: Record<string, string> = {}, budget?: number): FileSummary {
  return analyzeSource(MAIN, text, { host: hostOf({ ...files, [MAIN]: text }), budget });
}

function allDiagnostics(r: FileSummary): Diagnostic[] {
  return [...r.diagnostics, ...r.models.flatMap((m) => m.diagnostics)];
}

function model(r: FileSummary, name: string): ModelSummary {
  const m = r.models.find((x) => x.name === name);
  assert.ok(m, `no model ${name}; found ${r.models.map((x) => x.name).join(', ') || 'none'}`);
  return m;
}

function row(m: ModelSummary, name: string) {
  const r = m.layers.find((l) => l.name === name);
  assert.ok(r, `no row ${name} in ${m.name}; rows: ${m.layers.map((l) => l.name).join(', ')}`);
  return r;
}

// Non-finite numbers survive the trip from the child process (JSON alone would turn them into null).
const encode = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v);
const decode = (_k: string, v: unknown) => (v && typeof v === 'object' && '$num' in v ? Number((v as { $num: string }).$num) : v);

const CHILD = `
const { analyzeSource } = require(process.argv[1]);
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const { files, main, budget } = JSON.parse(input);
  // No wall-time limit (steps and native work still bound the run): a loaded machine gets the same answer.
  const r = analyzeSource(main, files[main], { host: { readFile: (p) => files[p] }, budget, fileLimits: { ms: Number.POSITIVE_INFINITY } });
  const encode = ${encode.toString()};
  process.stdout.write(JSON.stringify({ r }, encode));
});
`;

/** Analyzes in a fresh process; fails (instead of hanging the test run) when it does not answer. */
function analyzeIsolated(text: string, files: Record<string, string> = {}, budget?: number): { r: FileSummary } {
  const p = spawnSync(process.execPath, ['-e', CHILD, ANALYZE], {
    input: JSON.stringify({ files: { ...files, [MAIN]: text }, main: MAIN, budget }),
    encoding: 'utf8',
    timeout: BACKSTOP_MS,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (p.error || p.status !== 0) {
    const why = p.signal === 'SIGTERM' ? `no answer within ${BACKSTOP_MS} ms (killed): the analysis does not stop` : `${p.error?.message ?? ''} exit ${p.status} ${p.signal ?? ''} ${p.stderr.slice(-2000)}`;
    assert.fail(`the analyzer did not answer: ${why}`);
  }
  const out = JSON.parse(p.stdout, decode) as { r: FileSummary };
  // Bounded by steps: nothing was cut short by a clock (there is none here).
  const clocked = [...out.r.diagnostics, ...out.r.models.flatMap((m) => m.diagnostics)].filter((d) => / s over all its models/.test(d.message));
  assert.deepStrictEqual(clocked, []);
  return out;
}

const HEADER = "import { nn, torch, Tensor } from 'js-pytorch';";

describe('bad input: broken code still gets an answer', () => {
  it('a syntax error mid-class keeps the model before it and reports a syntax error on its line', () => {
    const text = lines(
      HEADER,
      '/** @inputShape [4, 10] */',
      'export class Good extends nn.Module {',
      '  fc = new nn.Linear(10, 5);',
      '  forward(x: Tensor): Tensor { return this.fc.forward(x); }',
      '}',
      '',
      '/** @inputShape [4, 10] */',
      'export class Broken extends nn.Module {',
      '  fc = new nn.Linear(10, 5);',
      '  forward(x: Tensor): Tensor {',
      '    const y = this.fc.forward(x;',
      '    return y;',
      '  }',
      '}',
    );
    const r = analyze(text);
    const good = model(r, 'Good');
    // nn.Linear(10, 5): weight 5×10 + bias 5 = 55; [4, 10] → [4, 5].
    assert.strictEqual(good.totalParams, 55);
    assert.deepStrictEqual(good.outputShape, [4, 5]);
    const syntax = r.diagnostics.filter((d) => d.code === 'syntax');
    assert.ok(syntax.length >= 1, 'no syntax diagnostic');
    // The missing `)` is noticed at the `;` that ends `this.fc.forward(x;`.
    assert.strictEqual(syntax[0].line, lineOf(text, 'forward(x;'));
    assert.strictEqual(syntax[0].severity, 'error');
  });

  it('an unknown layer kind gives a row with unknown parameters and a diagnostic that says "unknown"', () => {
    const text = lines(
      HEADER,
      '/** @inputShape [4, 3] */',
      'export class WithFoo extends nn.Module {',
      '  foo = new nn.Foo(3);',
      '  fc = new nn.Linear(3, 2);',
      '  forward(x: Tensor): Tensor { return this.fc.forward(this.foo.forward(x)); }',
      '}',
    );
    const m = model(analyze(text), 'WithFoo');
    const foo = row(m, 'foo');
    assert.strictEqual(foo.params, null);
    assert.strictEqual(foo.line, lineOf(text, 'new nn.Foo(3)'));
    // Nothing is known about Foo's weights, so the model total cannot be known either.
    assert.strictEqual(m.totalParams, null);
    // Linear(3, 2) itself is still counted: 3×2 + 2 = 8.
    assert.strictEqual(row(m, 'fc').params, 8);
    const d = m.diagnostics.find((x) => /unknown/i.test(x.message) && x.line === lineOf(text, 'new nn.Foo(3)'));
    assert.ok(d, `no "unknown" diagnostic on the nn.Foo line: ${JSON.stringify(m.diagnostics)}`);
  });

  it('a size without a value (constructor parameter without default) gives null counts and says why', () => {
    const text = lines(
      HEADER,
      '/** @inputShape [4, 3] */',
      'export class Dynamic extends nn.Module {',
      '  fc: nn.Linear;',
      '  constructor(hiddenSize: number) {',
      '    super();',
      '    this.fc = new nn.Linear(3, hiddenSize);',
      '  }',
      '  forward(x: Tensor): Tensor { return this.fc.forward(x); }',
      '}',
    );
    const m = model(analyze(text), 'Dynamic');
    const fc = row(m, 'fc');
    assert.strictEqual(fc.params, null);
    assert.strictEqual(m.totalParams, null);
    assert.strictEqual(m.trainableParams, null);
    assert.match(fc.unknownReason ?? '', /hiddenSize has no value/);
    // The output's last dimension is out_features = hiddenSize: unknown, not guessed.
    assert.ok(m.outputShape === null || m.outputShape[1] === null, `output ${JSON.stringify(m.outputShape)}`);
  });

  it('a shape mismatch between Linear(128, 516) and Linear(256, 10) is an error on fc2’s line', () => {
    const text = lines(
      HEADER,
      '/** @inputShape [64, 128] */',
      'export class Mismatch extends nn.Module {',
      '  fc1 = new nn.Linear(128, 516);',
      '  fc2 = new nn.Linear(256, 10);',
      '  forward(x: Tensor): Tensor { return this.fc2.forward(this.fc1.forward(x)); }',
      '}',
    );
    const m = model(analyze(text), 'Mismatch');
    // PyTorch: fc1 maps [64, 128] → [64, 516]; fc2's weight is 10×256, so it expects 256 input
    // features and receives 516 ("mat1 and mat2 shapes cannot be multiplied (64x516 and 256x10)").
    const errors = m.diagnostics.filter((d) => d.severity === 'error');
    assert.strictEqual(errors.length, 1, JSON.stringify(m.diagnostics));
    assert.strictEqual(errors[0].line, lineOf(text, 'fc2 = new nn.Linear'));
    assert.match(errors[0].message, /^fc2 expects 256 input features but receives 516 from fc1\b/);
    assert.deepStrictEqual(row(m, 'fc1').outputShape, [64, 516]);
    assert.strictEqual(row(m, 'fc2').outputShape, null);
    // Parameters do not depend on the input: 128×516+516 = 66,564 and 256×10+10 = 2,570.
    assert.strictEqual(row(m, 'fc1').params, 66564);
    assert.strictEqual(row(m, 'fc2').params, 2570);
    assert.strictEqual(m.totalParams, 66564 + 2570);
  });

  it('a bad @inputShape tag gives a bad-input-shape diagnostic on the tag’s line', () => {
    const text = lines(
      HEADER,
      '/**',
      ' * A model with a typo in its input shape.',
      ' * @inputShape [64, abc]',
      ' */',
      'export class BadTag extends nn.Module {',
      '  fc = new nn.Linear(3, 3);',
      '  forward(x: Tensor): Tensor { return this.fc.forward(x); }',
      '}',
    );
    const m = model(analyze(text), 'BadTag');
    const d = m.diagnostics.find((x) => x.code === 'bad-input-shape');
    assert.ok(d, JSON.stringify(m.diagnostics));
    assert.strictEqual(d.line, lineOf(text, '@inputShape [64, abc]'));
    assert.strictEqual(m.inputShapeSource === '@inputShape', false, 'the bad tag must not be used as the input shape');
  });
});

describe('bad input: degenerate files', () => {
  it('an empty file has no models and no diagnostics', () => {
    const r = analyze('');
    assert.deepStrictEqual(r.models, []);
    assert.deepStrictEqual(r.diagnostics, []);
  });

  it('a file of only comments has no models and no diagnostics', () => {
    const r = analyze(lines('// class Net extends nn.Module {', '/* new nn.Linear(3, 4) */', '/** @inputShape [1, 2] */', '// tf.sequential()'));
    assert.deepStrictEqual(r.models, []);
    assert.deepStrictEqual(r.diagnostics, []);
  });

  it('binary junk (NULs, control bytes, invalid UTF-8) gives an answer with lines inside the file', () => {
    const bytes = Buffer.alloc(3000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + (i >> 3) * 104729) & 0xff;
    for (let i = 0; i < bytes.length; i += 97) bytes[i] = 0;
    for (const text of [bytes.toString('latin1'), bytes.toString('utf8'), '\0'.repeat(1000), '\uFEFF\uD800\uDFFF\u2028\u2029\r\r\n']) {
      const r = analyze(text);
      const lineCount = text.split(/\r\n|[\n\r]/).length; // lines as editors count them
      for (const d of allDiagnostics(r)) {
        assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= lineCount, `line ${d.line} of ${lineCount}: ${d.message}`);
        assert.ok(d.message.length > 0);
      }
      assert.deepStrictEqual(r.models, []);
    }
  });

  it('a generated 10,000-line file with 400 models answers with every model, in bounded time', function () {
    this.timeout(BACKSTOP_MS + 10_000);
    const g = generateFileWithInfo({ lines: 10_000, models: 400, seed: 10_000 });
    assert.strictEqual(g.text.split('\n').length - 1, 10_000);
    const { r } = analyzeIsolated(g.text);
    assert.strictEqual(r.models.length, 400);
    for (const gm of g.models) {
      const m = r.models.find((x) => x.name === gm.name);
      assert.ok(m, `model ${gm.name} (line ${gm.line}) not found`);
      assert.strictEqual(m.line, gm.line, gm.name);
      assert.strictEqual(m.framework, gm.framework, gm.name);
      // Every generated model is fully sized and shape-consistent.
      assert.notStrictEqual(m.totalParams, null, `${gm.name}: ${JSON.stringify(m.diagnostics)}`);
      assert.deepStrictEqual(m.diagnostics.filter((d) => d.severity !== 'info'), [], gm.name);
    }
    assert.deepStrictEqual(r.diagnostics, []);
  });
});

describe('bad input: code that never ends', () => {
  it('circular module references (A holds a B, B holds an A) terminate with a diagnostic', () => {
    const text = lines(
      HEADER,
      'export class A extends nn.Module {',
      '  b = new B();',
      '  forward(x: Tensor): Tensor { return this.b.forward(x); }',
      '}',
      'export class B extends nn.Module {',
      '  a = new A();',
      '  forward(x: Tensor): Tensor { return this.a.forward(x); }',
      '}',
    );
    const { r } = analyzeIsolated(text);
    for (const name of ['A', 'B']) {
      const m = model(r, name);
      assert.ok(m.diagnostics.some((d) => d.severity === 'error' && /circular|itself/i.test(d.message)), `${name}: ${JSON.stringify(m.diagnostics)}`);
    }
  });

  it('circular module references have no parameter count (PyTorch cannot even construct them)', () => {
    // In PyTorch, A() builds a B() which builds an A() … until RecursionError: there is no model
    // whose parameters could be counted, so the total must be unknown, not 0 or a partial sum.
    const text = lines(
      HEADER,
      'export class A extends nn.Module {',
      '  fc = new nn.Linear(3, 3);',
      '  b = new B();',
      '  forward(x: Tensor): Tensor { return this.b.forward(this.fc.forward(x)); }',
      '}',
      'export class B extends nn.Module {',
      '  a = new A();',
      '  forward(x: Tensor): Tensor { return this.a.forward(x); }',
      '}',
    );
    const { r } = analyzeIsolated(text);
    assert.strictEqual(model(r, 'A').totalParams, null, 'A');
    assert.strictEqual(model(r, 'B').totalParams, null, 'B');
  });

  it('self-recursion in forward terminates with a diagnostic that names the recursion', () => {
    // PyTorch: forward calls itself without end → RecursionError. The summary cannot show a real
    // structure, and the user must be told why, on the forward method.
    const text = lines(
      HEADER,
      '/** @inputShape [4, 3] */',
      'export class Loop extends nn.Module {',
      '  fc = new nn.Linear(3, 3);',
      '  forward(x: Tensor): Tensor {',
      '    return this.forward(this.fc.forward(x));',
      '  }',
      '}',
    );
    const { r } = analyzeIsolated(text);
    const m = model(r, 'Loop');
    assert.ok(m.diagnostics.some((d) => /recurs/i.test(d.message)), `no diagnostic mentions the recursion: ${JSON.stringify(m.diagnostics.map((d) => d.message))}`);
    assert.strictEqual(m.outputShape, null);
  });

  it('an infinite while (true) in forward terminates and the summary says the loop did not end', () => {
    // PyTorch would never return from forward: whatever shape ModelLens shows is not an output,
    // so a warning on the loop is needed (as for `for` loops that hit the iteration limit).
    const text = lines(
      HEADER,
      '/** @inputShape [4, 3] */',
      'export class Spin extends nn.Module {',
      '  fc = new nn.Linear(3, 3);',
      '  forward(x: Tensor): Tensor {',
      '    while (true) {',
      '      x = this.fc.forward(x);',
      '    }',
      '    return x;',
      '  }',
      '}',
    );
    const { r } = analyzeIsolated(text);
    const m = model(r, 'Spin');
    const d = m.diagnostics.find((x) => x.line === lineOf(text, 'while (true)') && x.severity !== 'info');
    assert.ok(d, `no warning on the while line: ${JSON.stringify(m.diagnostics.map((x) => [x.line, x.message]))}`);
  });

  it('a step budget stops an endless loop with a budget diagnostic', () => {
    const text = lines(
      HEADER,
      '/** @inputShape [4, 3] */',
      'export class Spin extends nn.Module {',
      '  fc = new nn.Linear(3, 3);',
      '  forward(x: Tensor): Tensor {',
      '    for (let i = 0; i >= 0; i++) x = this.fc.forward(x);',
      '    return x;',
      '  }',
      '}',
    );
    const { r } = analyzeIsolated(text, {}, 500);
    const m = model(r, 'Spin');
    assert.ok(m.diagnostics.some((d) => d.code === 'budget'), JSON.stringify(m.diagnostics));
  });
});

describe('bad input: pinned analyzer bugs found by fuzzing', () => {
  it('a tfjs builder stopped by the step budget says so instead of vanishing', () => {
    const text = lines(
      "import * as tf from '@tensorflow/tfjs';",
      'export function buildTwoTower(): tf.LayersModel {',
      "  const user = tf.input({ shape: [32], name: 'user' });",
      "  const item = tf.input({ shape: [16], name: 'item' });",
      "  const itemUp = tf.layers.dense({ units: 32, name: 'item_proj' }).apply(item) as tf.SymbolicTensor;",
      '  const joined = tf.layers.concatenate().apply([user, itemUp]) as tf.SymbolicTensor;',
      "  const score = tf.layers.dense({ units: 1, name: 'score' }).apply(joined) as tf.SymbolicTensor;",
      '  return tf.model({ inputs: [user, item], outputs: score });',
      '}',
    );
    // Unlimited, the model is found; with 10 steps it cannot be, and the answer must say why.
    assert.strictEqual(analyze(text).models.length, 1);
    const r = analyze(text, {}, 10);
    if (r.models.length === 0) assert.ok(allDiagnostics(r).some((d) => d.code === 'budget'), `the model vanished silently: ${JSON.stringify(r)}`);
  });

  it('running out of steps inside a custom tfjs layer is a budget stop, not an internal error', () => {
    const text = lines(
      "import * as tf from '@tensorflow/tfjs';",
      'export class Scale extends tf.layers.Layer {',
      "  static className = 'Scale';",
      '  constructor() { super({}); }',
      '  override build(inputShape: tf.Shape | tf.Shape[]): void {',
      "    let n = 0;",
      '    for (let i = 0; i < 50; i++) n += 1;',
      "    this.addWeight('w', [16, n], 'float32');",
      '  }',
      '}',
      'export function build(): tf.Sequential {',
      '  const model = tf.sequential();',
      '  model.add(tf.layers.dense({ inputShape: [32], units: 16 }));',
      '  model.add(new Scale());',
      '  return model;',
      '}',
    );
    // Unlimited: dense 32×16+16 = 528, Scale's weight 16×50 = 800.
    assert.strictEqual(model(analyze(text), 'build').totalParams, 528 + 800);
    for (let budget = 1; budget <= 300; budget++) {
      const internal = allDiagnostics(analyze(text, {}, budget)).filter((d) => d.code === 'internal');
      assert.deepStrictEqual(internal, [], `budget ${budget}`);
    }
  });

  it('a mismatch inside an imported module is not reported at the imported file’s line numbers', () => {
    const block = lines(
      HEADER,
      '',
      '',
      '',
      'export class Block extends nn.Module {',
      '  fc: nn.Linear;',
      '  constructor(inFeatures: number) {',
      '    super();',
      '    this.fc = new nn.Linear(inFeatures, 8);',
      '  }',
      '  forward(x: Tensor): Tensor { return this.fc.forward(x); }',
      '}',
    );
    const text = lines(
      HEADER,
      "import { Block } from './block';",
      '/** @inputShape [2, 6] */',
      'export class Net extends nn.Module {',
      '  block = new Block(4);',
      '  forward(x: Tensor): Tensor { return this.block.forward(x); }',
      '}',
    );
    const r = analyze(text, { [`${DIR}/block.ts`]: block });
    const m = model(r, 'Net');
    // block.fc = Linear(4, 8) receives 6 features. The user fixes it in main.ts (`new Block(4)`),
    // or sees it at the call; block.ts line 9 means nothing in main.ts (which has 7 lines).
    const allowed = [lineOf(text, 'new Block(4)'), lineOf(text, 'this.block.forward'), m.line];
    for (const d of m.diagnostics) {
      assert.ok(allowed.includes(d.line), `diagnostic on main.ts line ${d.line}: ${d.message}`);
      if (d.start !== undefined) assert.ok((d.end ?? 0) <= text.length, `span ${d.start}-${d.end} is outside main.ts (${text.length} chars)`);
      if (d.fix) assert.ok(d.fix.end <= text.length && text.slice(d.fix.start, d.fix.end).length > 0, `quick fix edits ${d.fix.start}-${d.fix.end} of main.ts: ${JSON.stringify(d.fix)}`);
    }
  });

  it('negative sizes are errors, not negative parameter counts (PyTorch: "negative dimension")', () => {
    // torch.nn.Linear(516, -1) raises RuntimeError: Trying to create tensor with negative dimension -1.
    const text = lines(
      HEADER,
      '/** @inputShape [4, 516] */',
      'export class Neg extends nn.Module {',
      '  fc = new nn.Linear(516, -1);',
      '  forward(x: Tensor): Tensor { return this.fc.forward(x); }',
      '}',
    );
    const m = model(analyze(text), 'Neg');
    assert.strictEqual(row(m, 'fc').params, null);
    assert.strictEqual(m.totalParams, null);
    assert.ok(m.diagnostics.some((d) => d.severity === 'error' && d.line === lineOf(text, 'new nn.Linear(516, -1)')), JSON.stringify(m.diagnostics));
  });

  it('a negative tfjs input size is an error, not a [null, -1] shape (tfjs: "positive integers")', () => {
    // tf.sequential({layers: [tf.layers.dense({inputShape: [-1], units: 3})]}) throws in tfjs 4.22:
    // "Tensor must have a shape comprised of positive integers but got shape [-1,3]".
    const text = lines(
      "import * as tf from '@tensorflow/tfjs';",
      'export function build(): tf.Sequential {',
      '  return tf.sequential({ layers: [tf.layers.dense({ inputShape: [-1], units: 3 })] });',
      '}',
    );
    const m = model(analyze(text), 'build');
    const dims = [...(m.inputShape ?? []), ...m.layers.flatMap((l) => l.outputShape ?? [])];
    assert.ok(dims.every((d) => d === null || d >= 0), `negative dimension in ${JSON.stringify(m.inputShape)} / ${JSON.stringify(m.layers.map((l) => l.outputShape))}`);
    assert.ok(m.totalParams === null || m.totalParams >= 0, `totalParams ${m.totalParams}`);
  });

  it('astronomically large sizes give a finite count or none, never Infinity', () => {
    const text = lines(
      HEADER,
      '/** @inputShape [2, 3] */',
      'export class Huge extends nn.Module {',
      '  fc = new nn.Linear(3, 1e200);',
      '  out = new nn.Linear(1e200, 1e200);',
      '  forward(x: Tensor): Tensor { return this.out.forward(this.fc.forward(x)); }',
      '}',
    );
    const m = model(analyze(text), 'Huge');
    for (const v of [m.totalParams, m.trainableParams, m.multAdds, m.paramBytes, ...m.layers.map((l) => l.params)]) {
      assert.ok(v === null || Number.isFinite(v), `a count is ${v}`);
    }
  });

  it('an LSTM with 2^31 layers answers in bounded time (the per-layer loop must not run 2^31 times)', function () {
    this.timeout(BACKSTOP_MS + 10_000);
    const text = lines(
      HEADER,
      '/** @inputShape [4, 10, 8] */',
      'export class Deep extends nn.Module {',
      '  lstm = new nn.LSTM(8, 16, { num_layers: 2147483648, batch_first: true });',
      '  forward(x: Tensor): Tensor { const [out] = this.lstm.forward(x); return out; }',
      '}',
    );
    const { r } = analyzeIsolated(text);
    const m = model(r, 'Deep');
    // PyTorch: layer 0 has 4·16·(8+16) + 2·4·16 = 1,664 weights, every further layer
    // 4·16·(16+16) + 2·4·16 = 2,176: 1,664 + (2^31 − 1)·2,176 in total, if it could allocate it.
    assert.ok(m.totalParams === null || m.totalParams === 1664 + (2 ** 31 - 1) * 2176, `totalParams ${m.totalParams}`);
  });

  it('a TransformerEncoder with 10^8 layers answers in bounded time', function () {
    this.timeout(BACKSTOP_MS + 10_000);
    const text = lines(
      HEADER,
      '/** @inputShape [8, 20, 16] */',
      'export class Tall extends nn.Module {',
      '  encoder: nn.TransformerEncoder;',
      '  constructor() {',
      '    super();',
      '    const layer = new nn.TransformerEncoderLayer(16, 4, { dim_feedforward: 32, batch_first: true });',
      '    this.encoder = new nn.TransformerEncoder(layer, { num_layers: 100000000 });',
      '  }',
      '  forward(x: Tensor): Tensor { return this.encoder.forward(x); }',
      '}',
    );
    const { r } = analyzeIsolated(text);
    // Every encoder layer keeps the shape: [8, 20, 16] in, [8, 20, 16] out.
    assert.deepStrictEqual(model(r, 'Tall').outputShape, [8, 20, 16]);
  });

  it('tensor.chunk gives PyTorch’s chunk sizes (the last chunk is smaller)', () => {
    // torch.zeros(4, 8).chunk(3, 1) → shapes (4, 3), (4, 3), (4, 2).
    const text = lines(
      HEADER,
      '/** @inputShape [4, 8] */',
      'export class Chunky extends nn.Module {',
      '  fc = new nn.Linear(8, 8);',
      '  forward(x: Tensor): Tensor {',
      '    const parts = this.fc.forward(x).chunk(3, 1);',
      '    return parts[2];',
      '  }',
      '}',
    );
    assert.deepStrictEqual(model(analyze(text), 'Chunky').outputShape, [4, 2]);
  });

  it('tensor.chunk(n) with a huge n answers in bounded time with at most size-many chunks', function () {
    this.timeout(BACKSTOP_MS + 10_000);
    // torch.zeros(4, 8).chunk(50_000_000, 1) → 8 chunks of shape (4, 1).
    const text = lines(
      HEADER,
      '/** @inputShape [4, 8] */',
      'export class Shreds extends nn.Module {',
      '  fc = new nn.Linear(8, 8);',
      '  forward(x: Tensor): Tensor {',
      '    const parts = this.fc.forward(x).chunk(50000000, 1);',
      '    return parts[7];',
      '  }',
      '}',
    );
    const { r } = analyzeIsolated(text);
    const m = model(r, 'Shreds');
    assert.deepStrictEqual(m.outputShape, [4, 1]);
    assert.ok(m.layers.length < 100, `${m.layers.length} rows for 8 chunks`);
  });
});
