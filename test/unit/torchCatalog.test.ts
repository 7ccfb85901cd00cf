/**
 * The PyTorch-shaped catalog checked against real PyTorch 1.13: every case in
 * test/fixtures/torch/layers.json was constructed and run by torch.nn (see generate.py there), and
 * each entry must reproduce its parameter counts, output shapes and rejections.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { ArgValue, Args, LayerSpec } from '../../src/core/args';
import { bindTorch } from '../../src/core/catalog/bind';
import { torchEntries } from '../../src/core/catalog/torch';
import type { LayerEntry } from '../../src/core/catalog/types';
import { Out, Shape, ShapeError, primary } from '../../src/core/shape';
import { ConfigError, Unknowable, UnknownValue } from '../../src/core/unknown';
import { Json, LayerJson, TorchLayerCase, loadTorchLayerCases } from '../fixtures/torch/layers';

type Case = TorchLayerCase;
const fixture = loadTorchLayerCases();

function entry(type: string): LayerEntry {
  const e = torchEntries.find((x) => x.type === type);
  if (!e) throw new Error(`no torch catalog entry for ${type}`);
  return e;
}

/** JSON → ArgValue; `{"layer": {...}}` becomes a bound LayerSpec, as the analyzer would build it. */
function toArg(v: Json): ArgValue {
  if (Array.isArray(v)) return v.map(toArg);
  if (v !== null && typeof v === 'object') {
    if ('layer' in v) return spec(v.layer as unknown as LayerJson);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toArg(x)]));
  }
  return v;
}

function spec(s: LayerJson): LayerSpec {
  const e = entry(s.type);
  const kwargs = Object.fromEntries(Object.entries(s.kwargs).map(([k, x]) => [k, toArg(x)]));
  return new LayerSpec(e, bindTorch(e, s.args.map(toArg), kwargs));
}

/** Containers are expanded here the way the engine expands them: children in order. */
function children(s: LayerSpec): LayerSpec[] {
  return s.args.layers('modules');
}

function totalParams(s: LayerSpec, inputs: Shape[]): { trainable: number; nonTrainable: number } {
  const own = s.entry.params(s.args, inputs);
  const sum = { trainable: own.trainable, nonTrainable: own.nonTrainable };
  if (s.entry.container === 'sequential') {
    let x = inputs;
    for (const c of children(s)) {
      const p = totalParams(c, x);
      sum.trainable += p.trainable;
      sum.nonTrainable += p.nonTrainable;
      try {
        x = [primary(run(c, x))];
      } catch (e) {
        if (!(e instanceof ShapeError)) throw e;
        x = []; // the forward fails later on; torch parameter counts do not depend on shapes
      }
    }
  } else if (s.entry.container === 'modulelist') {
    for (const c of children(s)) {
      const p = totalParams(c, []);
      sum.trainable += p.trainable;
      sum.nonTrainable += p.nonTrainable;
    }
  }
  return sum;
}

function run(s: LayerSpec, inputs: Shape[]): Out {
  if (s.entry.container === 'sequential') {
    let x: Out = inputs[0];
    for (const c of children(s)) x = run(c, [primary(x)]);
    return x;
  }
  return s.entry.output(s.args, inputs);
}

function label(c: Case): string {
  // Nested layer specs print as `Linear(10,20)` rather than as JSON.
  const show = (v: Json): string => {
    if (Array.isArray(v)) return '[' + v.map(show).join(',') + ']';
    if (v !== null && typeof v === 'object') {
      if ('layer' in v) {
        const l = v.layer as unknown as LayerJson;
        return `${l.type}(${[...l.args.map(show), ...Object.entries(l.kwargs).map(([k, x]) => `${k}=${show(x)}`)].join(',')})`;
      }
      return '{' + Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(', ') + '}';
    }
    return JSON.stringify(v);
  };
  const kw = Object.keys(c.kwargs).length ? ' ' + show(c.kwargs) : '';
  return `${c.type}${show(c.args)}${kw} on ${JSON.stringify(c.input)}` + (c.error ? ` is rejected (${c.error})` : '');
}

describe(`torch catalog against PyTorch ${fixture.torch}`, () => {
  it('is current with generate.py (re-run by real PyTorch now)', function () {
    this.timeout(300000);
    const root = path.resolve(__dirname, '../../..');
    const r = spawnSync('/usr/bin/python3', [path.join(root, 'test/fixtures/torch/generate.py'), '--stdout'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.strictEqual(r.status, 0, `generate.py failed (is PyTorch installed?):\n${r.stderr}`);
    assert.deepStrictEqual(JSON.parse(r.stdout), JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/torch/layers.json'), 'utf8')), 'layers.json is stale: re-run the generator');
  });

  it('lists named parameters for the kinds that tie and freeze weights', () => {
    for (const t of ['Linear', 'Conv2d', 'ConvTranspose2d', 'Embedding', 'LayerNorm', 'BatchNorm2d', 'GroupNorm', 'InstanceNorm2d', 'PReLU', 'RNN', 'LSTM', 'GRU', 'MultiheadAttention']) {
      assert.ok(entry(t).weights, `${t} has no weights rule`);
      assert.ok(fixture.cases.some((c) => c.type === t && !c.error && c.weights && Object.keys(c.weights).length > 0), `${t}: no PyTorch case with parameters`);
    }
  });

  it('the fixture is real and large', () => {
    assert.ok(fixture.cases.length >= 120, `only ${fixture.cases.length} cases`);
    assert.match(fixture.torch, /^1\.13/);
  });

  for (const c of fixture.cases) {
    it(label(c), () => {
      const inputs: Shape[] = c.input;
      if (c.error === 'construct') {
        // PyTorch's constructor raised: the arguments alone are wrong, which ModelLens reports as
        // a configuration error as soon as it counts parameters.
        assert.throws(() => totalParams(spec(c), inputs), ConfigError, `PyTorch: ${c.message}`);
        return;
      }
      const s = spec(c);
      assert.deepStrictEqual(totalParams(s, inputs), c.params, 'parameter counts');
      if (c.error === 'forward') {
        assert.throws(() => run(s, inputs), ShapeError, `PyTorch: ${c.message}`);
        return;
      }
      // Each parameter by name and shape, as named_parameters(recurse=False) lists them (tying, freezing).
      if (s.entry.weights && c.weights) {
        const ours = s.entry.weights(s.args);
        assert.deepStrictEqual(ours, c.weights, 'named parameters');
        assert.deepStrictEqual(Object.keys(ours), Object.keys(c.weights), 'named parameters in PyTorch’s order');
      }
      if (c.output === null) return; // ModuleList: not callable in PyTorch
      const out = run(s, inputs);
      assert.deepStrictEqual(out, c.output, 'output shape');
      // The secondary contract pieces must at least evaluate on every valid case.
      const m = s.entry.multAdds?.(s.args, inputs, out);
      if (m !== undefined) assert.ok(Number.isFinite(m) && m >= 0, `multAdds ${m}`);
      if (s.entry.hyper) assert.strictEqual(typeof s.entry.hyper(s.args), 'string');
    });
  }

  it('every catalog entry is exercised by at least one PyTorch case', () => {
    const seen = new Set<string>();
    const visit = (v: Json): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v !== null && typeof v === 'object') {
        if ('layer' in v && typeof v.layer === 'object' && v.layer !== null && !Array.isArray(v.layer)) seen.add(v.layer.type as string);
        Object.values(v).forEach(visit);
      }
    };
    for (const c of fixture.cases) {
      if (!c.error) seen.add(c.type);
      visit(c.args);
      visit(c.kwargs);
    }
    // NonDynamicallyQuantizableLinear is no torch.nn name: the catalog makes it only as a
    // MultiheadAttention's out_proj, which torchTransformer.test.ts checks against PyTorch's modules.
    const missing = torchEntries.map((e) => e.type).filter((t) => !seen.has(t) && t !== 'NonDynamicallyQuantizableLinear');
    assert.deepStrictEqual(missing, []);
  });

  it('has exactly one entry per kind, and every kind the brief requires', () => {
    const types = torchEntries.map((e) => e.type);
    assert.strictEqual(new Set(types).size, types.length);
    const required = ['Linear', 'Identity', 'Flatten', 'Unflatten', 'Dropout', 'Dropout1d', 'Dropout2d', 'ReLU', 'LeakyReLU', 'ELU',
      'GELU', 'SiLU', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax', 'Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d',
      'MaxPool1d', 'MaxPool2d', 'AvgPool1d', 'AvgPool2d', 'AdaptiveAvgPool1d', 'AdaptiveAvgPool2d', 'AdaptiveMaxPool2d', 'BatchNorm1d',
      'BatchNorm2d', 'LayerNorm', 'GroupNorm', 'Embedding', 'RNN', 'LSTM', 'GRU', 'MultiheadAttention', 'TransformerEncoderLayer',
      'TransformerEncoder', 'Sequential', 'ModuleList', 'ReLU6', 'Hardswish', 'Hardsigmoid', 'Mish', 'PixelShuffle', 'PixelUnshuffle',
      'ChannelShuffle', 'ReflectionPad2d', 'ReplicationPad2d', 'ConstantPad2d', 'InstanceNorm2d', 'LocalResponseNorm', 'UpsamplingNearest2d'];
    assert.deepStrictEqual(required.filter((t) => !types.includes(t)), []);
  });

  it('every entry has docs linking to pytorch.org', () => {
    for (const e of torchEntries) {
      assert.strictEqual(e.framework, 'torch', e.type);
      // MultiheadAttention's out_proj has no page of its own: it is a Linear.
      const page = e.type === 'NonDynamicallyQuantizableLinear' ? 'Linear' : e.type;
      assert.match(e.docs.url, new RegExp(`^https://pytorch\\.org/docs/stable/generated/torch\\.nn\\.${page}\\.html$`), e.type);
      for (const k of ['summary', 'use', 'formula'] as const) assert.ok(e.docs[k].length > 5, `${e.type} docs.${k}`);
      assert.ok(e.signature, `${e.type} signature`);
    }
  });
});

describe('torch catalog: binding, errors and unknown dims', () => {
  const bind = (type: string, pos: ArgValue[], kw?: Record<string, ArgValue>): [LayerEntry, Args] => {
    const e = entry(type);
    return [e, bindTorch(e, pos, kw)];
  };

  it('accepts camelCase keyword arguments (values from the matching PyTorch cases)', () => {
    // ConvTranspose2d(16, 16, 3, stride=2, padding=1, output_padding=1) on [2,16,12,12] → [2,16,24,24], 2,320 params.
    const [ct, cta] = bind('ConvTranspose2d', [16, 16, 3], { stride: 2, padding: 1, outputPadding: 1 });
    assert.deepStrictEqual(ct.output(cta, [[2, 16, 12, 12]]), [2, 16, 24, 24]);
    assert.strictEqual(ct.params(cta, []).trainable, 2320);
    // LSTM(10, 20, 2, batch_first=True, bidirectional=True) → 15,040 params, output [3, 5, 40].
    const [l, la] = bind('LSTM', [10, 20, 2], { batchFirst: true, bidirectional: true });
    assert.strictEqual(l.params(la, []).trainable, 15040);
    assert.deepStrictEqual(primary(l.output(la, [[3, 5, 10]])), [3, 5, 40]);
    // LSTM(10, 20, 2, proj_size=7) → 3,080.
    const [, pa] = bind('LSTM', [10, 20, 2], { projSize: 7 });
    assert.strictEqual(l.params(pa, []).trainable, 3080);
    // MaxPool2d(3, 2, ceil_mode=True) on 32×32 → 16×16 (not 15).
    const [mp, mpa] = bind('MaxPool2d', [3, 2], { ceilMode: true });
    assert.deepStrictEqual(mp.output(mpa, [[2, 16, 32, 32]]), [2, 16, 16, 16]);
    // TransformerEncoderLayer(64, 4, 256, 0.0, batch_first=True, norm_first=True) → 49,984.
    const [te, tea] = bind('TransformerEncoderLayer', [64, 4, 256, 0.0], { batchFirst: true, normFirst: true });
    assert.strictEqual(te.params(tea, []).trainable, 49984);
    // LayerNorm([3, 5, 10], elementwise_affine=False) → 0.
    const [ln, lna] = bind('LayerNorm', [[3, 5, 10]], { elementwiseAffine: false });
    assert.strictEqual(ln.params(lna, []).trainable, 0);
  });

  it('words shape mismatches as "expects N <what> but receives M"', () => {
    const [lin, la] = bind('Linear', [516, 10]);
    assert.throws(() => lin.output(la, [[64, 256]]), { name: 'ShapeError', message: 'expects 516 input features but receives 256' });
    const [conv, ca] = bind('Conv2d', [3, 16, 3]);
    assert.throws(() => conv.output(ca, [[2, 1, 32, 32]]), { name: 'ShapeError', message: 'expects 3 input channels but receives 1' });
    const [ln, lna] = bind('LayerNorm', [512]);
    assert.throws(() => ln.output(lna, [[2, 20, 256]]), /expects 512 .* but receives 256/);
    const [rnn, ra] = bind('GRU', [10, 20]);
    assert.throws(() => rnn.output(ra, [[5, 3, 9]]), { message: 'expects 10 input features but receives 9' });
    const [mha, ma] = bind('MultiheadAttention', [512, 8]);
    assert.throws(() => mha.output(ma, [[10, 2, 256]]), { message: 'expects 512 embedding features but receives 256' });
  });

  it('propagates null dims instead of crashing or guessing', () => {
    const [conv, ca] = bind('Conv2d', [3, 16, 3]);
    assert.deepStrictEqual(conv.output(ca, [[null, 3, null, null]]), [null, 16, null, null]);
    assert.deepStrictEqual(conv.output(ca, [[null, null, 32, null]]), [null, 16, 30, null]);
    const [ct, cta] = bind('ConvTranspose2d', [16, 8, 4], { stride: 2 });
    assert.deepStrictEqual(ct.output(cta, [[null, 16, null, 12]]), [null, 8, null, 26]);
    const [mp, mpa] = bind('MaxPool2d', [2]);
    assert.deepStrictEqual(mp.output(mpa, [[null, 16, null, 32]]), [null, 16, null, 16]);
    const [fl, fla] = bind('Flatten', []);
    assert.deepStrictEqual(fl.output(fla, [[null, 16, 4, 4]]), [null, 256]);
    assert.deepStrictEqual(fl.output(fla, [[null, 16, null, 4]]), [null, null]);
    const [uf, ufa] = bind('Unflatten', [1, [4, -1]]);
    assert.deepStrictEqual(uf.output(ufa, [[null, null]]), [null, 4, null]);
    const [lstm, la] = bind('LSTM', [10, 20], { batch_first: true });
    assert.deepStrictEqual(lstm.output(la, [[null, null, 10]]), { tuple: [[null, null, 20], { tuple: [[1, null, 20], [1, null, 20]] }] });
    const [mha, ma] = bind('MultiheadAttention', [64, 4], { add_zero_attn: true });
    assert.deepStrictEqual(mha.output(ma, [[null, null, 64]]), { tuple: [[null, null, 64], [null, null, null]] });
    const [emb, ea] = bind('Embedding', [100, 8]);
    assert.deepStrictEqual(emb.output(ea, [[null, null]]), [null, null, 8]);
    assert.deepStrictEqual(emb.inferInput?.(ea), [null, null]);
    const [up, upa] = bind('Upsample', [], { scale_factor: 2 });
    assert.deepStrictEqual(up.output(upa, [[null, 3, null, 8]]), [null, 3, null, 16]);
    const [bn, bna] = bind('BatchNorm2d', [16]);
    assert.deepStrictEqual(bn.output(bna, [[null, null, null, null]]), [null, null, null, null]);
  });

  it('reports an argument with no static value as Unknowable, never a guess', () => {
    const [conv, ca] = bind('Conv2d', [3, new UnknownValue('width has no value'), 3]);
    assert.throws(() => conv.params(ca, []), Unknowable);
    assert.throws(() => conv.output(ca, [[2, 3, 8, 8]]), Unknowable);
    const [lstm, la] = bind('LSTM', [10, 20], { num_layers: new UnknownValue('depth has no value') });
    assert.throws(() => lstm.params(la, []), (e: unknown) => e instanceof Unknowable && /num_layers/.test(e.reason));
  });

  it('infers the input the first layer implies', () => {
    assert.deepStrictEqual(entry('Linear').inferInput?.(bind('Linear', [128, 10])[1]), [null, 128]);
    assert.deepStrictEqual(entry('Conv2d').inferInput?.(bind('Conv2d', [3, 16, 3])[1]), [null, 3, null, null]);
    assert.deepStrictEqual(entry('LSTM').inferInput?.(bind('LSTM', [10, 20])[1]), [null, null, 10]);
  });

  it('fills the parameter formula with this instance\'s numbers', () => {
    const [conv, ca] = bind('Conv2d', [3, 16, 3]);
    assert.strictEqual(conv.params(ca, []).formula, '3 × 16 × 3 × 3 + 16');
    const [lstm, la] = bind('LSTM', [10, 20]);
    assert.strictEqual(lstm.params(la, []).formula, '(80 × (10 + 20) + 2 × 80)');
  });
});
