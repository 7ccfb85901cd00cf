import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import { closestName, editDistance } from '../../src/core/catalog/suggest';
import { docsFor } from '../../src/extension/coreApi';
import { layerHoverMarkdown } from '../../src/extension/hoverText';
import { LensOptions, PlannedLens, planLenses, setInputShapeTooltip } from '../../src/extension/lensPlan';

/*
 * Which lenses a file gets and what they say. Expected counts are PyTorch 1.13's
 * sum(p.numel() for p in m.parameters()): Linear(128,516) 66,564, Linear(516,516) 266,772,
 * Linear(516,1) 517; TransformerEncoderLayer(64, 4, 128) 33,472; TransformerEncoderLayer(16, 2,
 * 32) 2,224, and a module holding it as `proto` plus TransformerEncoder(proto, 2) 6,672;
 * Conv2d(3,16,3) 448, Conv2d(16,16,3) 2,320, Conv2d(16,8,3) 1,160; Linear(4, 8) 40.
 */

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
const DEFAULTS: LensOptions = { numberFormat: 'commas', layerLenses: true, parameterFreeLayerLenses: false };

function plan(file: string, text: string, opts: Partial<LensOptions> = {}): PlannedLens[] {
  return planLenses(analyzeSource(file, text), { ...DEFAULTS, ...opts });
}
function example(name: string): { file: string; text: string } {
  const file = path.join(EXAMPLES, name);
  return { file, text: fs.readFileSync(file, 'utf8') };
}
/** 1-based line of the first line containing `needle`, found in the source, not by the analyzer. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i + 1;
}

describe('lens plan: parameter-free layers', () => {
  it('simple-mlp.ts: the ReLU lines get no lens by default; the setting brings them back', () => {
    const { file, text } = example('simple-mlp.ts');
    const layers = (opts: Partial<LensOptions>) => plan(file, text, opts).filter((l) => l.line > lineOf(text, 'class SimpleMLP')).map((l) => [l.line, l.title]);
    const fc = (n: number) => lineOf(text, `this.fc${n} = new nn.Linear`);
    const relu = (n: number) => lineOf(text, `this.relu${n} = new nn.ReLU`);
    assert.deepStrictEqual(layers({}), [
      [fc(1), '66,564 params · [64, 516]'],
      [fc(2), '266,772 params · [64, 516]'],
      [fc(3), '517 params · [64, 1]'],
    ]);
    assert.deepStrictEqual(layers({ parameterFreeLayerLenses: true }), [
      [fc(1), '66,564 params · [64, 516]'],
      [relu(1), '0 params · [64, 516]'],
      [fc(2), '266,772 params · [64, 516]'],
      [relu(2), '0 params · [64, 516]'],
      [fc(3), '517 params · [64, 1]'],
    ]);
    assert.deepStrictEqual(layers({ layerLenses: false }), []);
  });
});

describe('lens plan: templates', () => {
  it('the TransformerEncoderLayer given to TransformerEncoder says it is a template, cloned ×N, not counted', () => {
    const { file, text } = example('transformer.ts');
    const lenses = plan(file, text);
    const tiny = lineOf(text, 'const encoderLayer = new nn.TransformerEncoderLayer');
    const pre = lineOf(text, 'const layer = new nn.TransformerEncoderLayer');
    assert.deepStrictEqual(lenses.filter((l) => l.line === tiny).map((l) => l.title), ['template · cloned ×2 · not counted']);
    assert.deepStrictEqual(lenses.filter((l) => l.line === pre).map((l) => l.title), ['template · cloned ×3 · not counted']);
    const tip = lenses.find((l) => l.line === tiny)!.tooltip!;
    assert.match(tip, /2 copies of it \(encoder\.layers\.0, encoder\.layers\.1\), 33,472 params each/);
    // The encoder holds both copies: 2 × 33,472.
    assert.deepStrictEqual(lenses.filter((l) => l.line === tiny + 1).map((l) => l.title), ['66,944 params · [8, 20, 64]']);
  });

  it('a template that is also registered on the model is counted, and its lens says so', () => {
    const file = '/virtual/proto.ts';
    const text = [
      "import { nn, Tensor } from 'js-pytorch';",
      '/** @inputShape [2, 5, 16] */',
      'export class Proto extends nn.Module {',
      '  proto: nn.TransformerEncoderLayer;',
      '  enc: nn.TransformerEncoder;',
      '  constructor() {',
      '    super();',
      '    this.proto = new nn.TransformerEncoderLayer(16, 2, { dim_feedforward: 32, batch_first: true });',
      '    this.enc = new nn.TransformerEncoder(this.proto, { num_layers: 2 });',
      '  }',
      '  forward(x: Tensor): Tensor {',
      '    return this.enc.forward(x);',
      '  }',
      '}',
    ].join('\n');
    const lenses = plan(file, text);
    assert.match(lenses[0].title, /^6,672 params /);
    assert.deepStrictEqual(lenses.filter((l) => l.line === 8).map((l) => l.title), ['2,224 params · not called in forward()']);
    assert.deepStrictEqual(lenses.filter((l) => l.line === 9).map((l) => l.title), ['4,448 params · [2, 5, 16]']);
  });

  it('the hover over a template leads with the kind and says what is counted', () => {
    const { file, text } = example('transformer.ts');
    const m = analyzeSource(file, text).models.find((x) => x.name === 'TinyTransformer')!;
    const copy = m.layers.find((r) => r.name === 'encoder.layers.0')!;
    const md = layerHoverMarkdown(copy, m, docsFor(copy.catalogKey!)!);
    assert.ok(md.startsWith('**TransformerEncoderLayer** · template · cloned ×2 · 33,472 params each · `[8, 20, 64]` → `[8, 20, 64]`'), md);
    assert.match(md, /\*Template:\* its container registers 2 copies \(encoder\\\.layers\\\.0, encoder\\\.layers\\\.1\)/);
  });
});

describe('lens plan: where the unknowns come from', () => {
  it('res-block.ts: constructor arguments with no value are said so on the model, not `Set input shape…`, and the shared reason once', () => {
    // Alone in its folder: no call site gives the arguments (examples/resnet.ts would: see below).
    const { text } = example('res-block.ts');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-lens-'));
    const file = path.join(dir, 'res-block.ts');
    fs.writeFileSync(file, text);
    let lenses: PlannedLens[];
    try {
      lenses = plan(file, text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const model = lineOf(text, 'export class ResBlock');
    const onModel = lenses.filter((l) => l.line === model);
    assert.deepStrictEqual(
      onModel.map((l) => [l.title, l.command]),
      [
        ['? params — inChannels and outChannels have no value; the input shape is unknown', 'summarize'],
        ['Diagram', 'diagram'],
        ['Run forward pass', 'forward'],
        ['constructor arguments inChannels and outChannels: no default', undefined],
      ],
    );
    assert.ok(!lenses.some((l) => l.title === 'Set input shape…'));
    // The input shape's reason is on every layer: said once above, not on each line.
    const layers = lenses.filter((l) => l.line !== model);
    assert.ok(layers.length >= 4);
    for (const l of layers) assert.ok(!l.title.includes('the input shape is unknown'), l.title);
    assert.deepStrictEqual(layers.filter((l) => l.line === lineOf(text, 'this.conv1 =')).map((l) => l.title), ['? params — in_channels: inChannels has no value']);
    // A missing value stays on each line whose own count it leaves unknown.
    assert.deepStrictEqual(layers.filter((l) => l.line === lineOf(text, 'this.bn1 =')).map((l) => l.title), ['? params — num_features: outChannels has no value']);
  });

  it('res-block.ts beside resnet.ts: the argument its call sites disagree on is said on the model, with where each value comes from', () => {
    const { file, text } = example('res-block.ts');
    const lenses = plan(file, text);
    const model = lineOf(text, 'export class ResBlock');
    const onModel = lenses.filter((l) => l.line === model);
    assert.deepStrictEqual(
      onModel.map((l) => [l.title, l.command]),
      [
        ['? params — outChannels differs between the call sites of ResBlock', 'summarize'],
        ['Diagram', 'diagram'],
        ['Run forward pass', 'forward'],
        ['constructor argument outChannels: different at each call site', undefined],
      ],
    );
    // resnet.ts builds new ResBlock(16, 16) and new ResBlock(16, 32, 2): the tooltip says so.
    const resnet = fs.readFileSync(path.join(EXAMPLES, 'resnet.ts'), 'utf8');
    const tooltip = onModel[3].tooltip ?? '';
    assert.ok(tooltip.includes(`16 at resnet.ts:${lineOf(resnet, 'new ResBlock(16, 16)')}`), tooltip);
    assert.ok(tooltip.includes(`32 at resnet.ts:${lineOf(resnet, 'new ResBlock(16, 32, 2)')}`), tooltip);
    assert.ok(!lenses.some((l) => l.title === 'Set input shape…'));
  });

  it('a model whose unknowns an input shape would fill gets `Set input shape…`, and the shared reason on the model', () => {
    const text = [
      "import { nn, Tensor } from 'js-pytorch';",
      'export class Convs extends nn.Module {',
      '  c1 = new nn.Conv2d(3, 16, 3);',
      '  a1 = new nn.ReLU();',
      '  c2 = new nn.Conv2d(16, 16, 3);',
      '  c3 = new nn.Conv2d(16, 8, 3);',
      '  forward(x: Tensor): Tensor {',
      '    return this.c3.forward(this.c2.forward(this.a1.forward(this.c1.forward(x))));',
      '  }',
      '}',
    ].join('\n');
    const lenses = plan('/virtual/convs.ts', text);
    assert.deepStrictEqual(
      lenses.map((l) => [l.line, l.title]),
      [
        [2, '3,928 params · 15.3 KB · [?, 8, ?, ?]'],
        [2, 'Diagram'],
        [2, 'Run forward pass'],
        [2, 'Set input shape…'],
        [3, '448 params · [?, 16, ?, ?]'],
        [5, '2,320 params · [?, 16, ?, ?]'],
        [6, '1,160 params · [?, 8, ?, ?]'],
      ],
    );
    // With the shape given, nothing is left for it to fill.
    const tagged = plan('/virtual/convs.ts', text.replace('export class', '/** @inputShape [2, 3, 16, 16] */\nexport class'));
    assert.ok(!tagged.some((l) => l.title === 'Set input shape…'));
  });

  it('a reason on a single layer stays on its line', () => {
    const text = [
      "import { nn, Tensor } from 'js-pytorch';",
      '/** @inputShape [2, 4] */',
      'export class One extends nn.Module {',
      '  fc: nn.Linear;',
      '  out: nn.Linear;',
      '  constructor(width: number) {',
      '    super();',
      '    this.fc = new nn.Linear(4, 8);',
      '    this.out = new nn.Linear(8, width);',
      '  }',
      '  forward(x: Tensor): Tensor {',
      '    return this.out.forward(this.fc.forward(x));',
      '  }',
      '}',
    ].join('\n');
    const lenses = plan('/virtual/one.ts', text);
    assert.deepStrictEqual(lenses.filter((l) => l.line === 9).map((l) => l.title), ['? params — out_features: width has no value']);
    assert.deepStrictEqual(lenses.filter((l) => l.line === 8).map((l) => l.title), ['40 params · [2, 8]']);
    assert.ok(lenses.some((l) => l.line === 3 && l.title === 'constructor argument width: no default'));
  });
});

describe('unknown layer kinds: did you mean…', () => {
  it('edit distance counts swaps as one', () => {
    assert.strictEqual(editDistance('lienar', 'linear'), 1);
    assert.strictEqual(editDistance('lineer', 'linear'), 1);
    assert.strictEqual(editDistance('gru', 'rnn'), 3);
  });

  it('suggests one close catalog name, case-insensitively, and nothing when none is close or several tie', () => {
    const names = ['Linear', 'Conv2d', 'BatchNorm1d', 'BatchNorm2d', 'GRU', 'RNN', 'LSTM'];
    assert.strictEqual(closestName('Lineer', names), 'Linear');
    assert.strictEqual(closestName('Conv2D', names), 'Conv2d');
    assert.strictEqual(closestName('conv2d', names), 'Conv2d');
    assert.strictEqual(closestName('BatchNorm', names), undefined, 'a tie is a guess');
    assert.strictEqual(closestName('Gru', names), 'GRU');
    assert.strictEqual(closestName('LSMT', names), 'LSTM');
    assert.strictEqual(closestName('GAN', names), undefined, 'two edits from RNN is too many for a 3-letter name');
    assert.strictEqual(closestName('Transformer', names), undefined);
    assert.strictEqual(closestName('Linear', names), undefined, 'a known name is not a typo');
  });

  it('the diagnostic says `Did you mean nn.Linear?` and carries a fix that makes the layer known', () => {
    const text = [
      "import { nn, Tensor } from 'js-pytorch';",
      '/** @inputShape [2, 4] */',
      'export class Typo extends nn.Module {',
      '  fc = new nn.Lineer(4, 8);',
      '  forward(x: Tensor): Tensor {',
      '    return this.fc.forward(x);',
      '  }',
      '}',
    ].join('\n');
    const r = analyzeSource('/virtual/typo.ts', text);
    const d = r.models[0].diagnostics.find((x) => x.code === 'unknown-layer')!;
    assert.strictEqual(d.message, 'Unknown layer `nn.Lineer`: its parameters and shape are unknown. Did you mean `nn.Linear`?');
    assert.ok(d.fix);
    assert.strictEqual(d.fix.title, 'Change to nn.Linear');
    assert.strictEqual(text.slice(d.fix.start, d.fix.end), 'Lineer');
    const fixed = text.slice(0, d.fix.start) + d.fix.text + text.slice(d.fix.end);
    assert.strictEqual(analyzeSource('/virtual/typo.ts', fixed).models[0].totalParams, 40);
    // The row's reason names the likely kind too (lens, summary footnote).
    assert.strictEqual(r.models[0].layers[0].unknownReason, 'unknown layer (did you mean nn.Linear?)');
  });

  it('tfjs: a factory in the wrong case or misspelt gets the factory name', () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'export function build() {',
      '  return tf.sequential({ layers: [tf.layers.Dense({ units: 3, inputShape: [4] }), tf.layers.desne({ units: 2 })] });',
      '}',
    ].join('\n');
    const ds = analyzeSource('/virtual/typo.tfjs.ts', text).models[0].diagnostics.filter((x) => x.code === 'unknown-layer');
    assert.deepStrictEqual(
      ds.map((d) => [d.message.replace(/^.*Did you mean /, ''), text.slice(d.fix!.start, d.fix!.end), d.fix!.text]),
      [
        ['`tf.layers.dense`?', 'Dense', 'dense'],
        ['`tf.layers.dense`?', 'desne', 'dense'],
      ],
    );
  });

  it('a lower-case near miss of a PyTorch layer is reported too, an unrelated one is not', () => {
    const text = [
      "import { nn, Tensor } from 'js-pytorch';",
      '/** @inputShape [2, 3, 8, 8] */',
      'export class Low extends nn.Module {',
      '  conv = new nn.conv2d(3, 4, 3);',
      '  forward(x: Tensor): Tensor {',
      '    return this.conv.forward(x);',
      '  }',
      '}',
    ].join('\n');
    const ds = analyzeSource('/virtual/low.ts', text).models[0].diagnostics.filter((x) => x.code === 'unknown-layer');
    assert.deepStrictEqual(ds.map((d) => d.fix?.text), ['Conv2d']);
  });
});

describe('hover text', () => {
  it('tfjs: leads with the kind and its numbers; the auto-generated name comes after, and it stays short', () => {
    const { file, text } = example('simple-mlp.tfjs.ts');
    const m = analyzeSource(file, text).models[0];
    const dense = m.layers.find((r) => r.type === 'Dense')!;
    const md = layerHoverMarkdown(dense, m, docsFor(dense.catalogKey!)!);
    const paragraphs = md.split('\n').filter((l) => l.trim() !== '');
    assert.strictEqual(paragraphs[0], '**Dense** · 66,564 params · `[None, 128]` → `[None, 516]`');
    assert.strictEqual(paragraphs[1], '`128 × 516 + 516 = 66,564` · **Mult-adds:** 66,564');
    assert.match(paragraphs[2], /^dense\\_Dense1 \(auto-named\) in SimpleMLP · TensorFlow\.js$/);
    assert.ok(paragraphs.length <= 7, md);
    assert.ok(md.length < 700, `${md.length} characters`);
    assert.ok(md.includes('(https://js.tensorflow.org/api/latest/#layers.dense)'));
  });
});

describe('lens plan: `Set input shape…` speaks the document\'s language', () => {
  // Conv2d(3, 4, 3): 3·4·3·3 + 4 = 112 parameters (PyTorch); the spatial size is unknown without an input.
  const python = [
    'import torch.nn as nn',
    '',
    '',
    'class Tiny(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.conv = nn.Conv2d(3, 4, 3)',
    '',
    '    def forward(self, x):',
    '        return self.conv(x)',
    '',
  ].join('\n');
  const setShape = (lenses: PlannedLens[]) => lenses.filter((l) => l.command === 'setInputShape');

  it('a Python class: the tooltip names the `# @inputShape` comment and the docstring, never JSDoc', () => {
    const [lens] = setShape(plan('/virtual/tiny.py', python, { language: 'python' }));
    assert.ok(lens, 'a Python model with an unknown spatial size gets Set input shape…');
    assert.strictEqual(lens.line, lineOf(python, 'class Tiny'));
    assert.match(lens.tooltip!, /`# @inputShape \[64, 128\]` comment above the model's class/);
    assert.match(lens.tooltip!, /docstring/);
    assert.doesNotMatch(lens.tooltip!, /JSDoc/);
    assert.strictEqual(setInputShapeTooltip('python'), lens.tooltip);
  });

  it('a TypeScript class: the tooltip names the JSDoc tag (the default language)', () => {
    const text = [
      "import { nn, Tensor } from 'js-pytorch';",
      'export class Tiny extends nn.Module {',
      '  conv = new nn.Conv2d(3, 4, 3);',
      '  forward(x: Tensor): Tensor {',
      '    return this.conv.forward(x);',
      '  }',
      '}',
    ].join('\n');
    for (const opts of [{}, { language: 'typescript' as const }]) {
      const [lens] = setShape(plan('/virtual/tiny.ts', text, opts));
      assert.match(lens.tooltip!, /@inputShape JSDoc tag/);
      assert.doesNotMatch(lens.tooltip!, /#/);
    }
  });

  it('a Python model whose class is in another file gets no Set input shape… (the comment belongs there)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-lens-'));
    try {
      fs.mkdirSync(path.join(dir, 'pkg'));
      fs.writeFileSync(path.join(dir, 'pkg', '__init__.py'), '');
      fs.writeFileSync(path.join(dir, 'pkg', 'tiny.py'), python);
      const main = path.join(dir, 'main.py');
      const text = 'from pkg.tiny import Tiny\n\nmodel = Tiny()\n';
      const summary = analyzeSource(main, text, { roots: [dir] });
      const [m] = summary.models;
      // The model is read (PyTorch: 112 parameters), its class is elsewhere, its shape still open.
      assert.deepStrictEqual([m.name, m.totalParams, m.declaration, m.outputShape], ['Tiny', 112, undefined, [null, 4, null, null]]);
      const lenses = planLenses(summary, { ...DEFAULTS, language: 'python' });
      assert.deepStrictEqual(lenses.map((l) => l.title), ['112 params · 448 B · [?, 4, ?, ?]', 'Diagram', 'Run forward pass']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lens plan: a Python class built without its constructor arguments', () => {
  it('resnet.py BasicBlock: the arguments are said once on the model (`BasicBlock()`, no `new`), not Set input shape…', () => {
    const { file, text } = example('python/resnet.py');
    const lenses = plan(file, text, { language: 'python' });
    const line = lineOf(text, 'class BasicBlock');
    const onModel = lenses.filter((l) => l.line === line && l.model === 'BasicBlock');
    assert.deepStrictEqual(onModel.map((l) => l.title), [
      '? params — inplanes and planes have no value; the input shape is unknown',
      'Diagram',
      'Run forward pass',
      'constructor arguments inplanes and planes: no default',
    ]);
    assert.match(onModel[3].tooltip!, /^BasicBlock is read as `BasicBlock\(\)`: inplanes and planes have no default/);
    // Each reason once on the model's lens.
    const parts = onModel[0].title.replace(/^\? params — /, '').split('; ');
    assert.deepStrictEqual(parts, [...new Set(parts)]);
  });

  it('a class whose layers share a missing argument: the model says the argument, not each layer\'s wording of it again', () => {
    const text = [
      'import torch.nn as nn',
      '',
      '',
      'class Block(nn.Module):',
      '    def __init__(self, width):',
      '        super().__init__()',
      '        self.up = nn.Linear(width, 4 * width)',
      '        self.down = nn.Linear(4 * width, width)',
      '',
      '    def forward(self, x):',
      '        return self.down(self.up(x))',
      '',
    ].join('\n');
    const [model, , , args] = plan('/virtual/block.py', text, { language: 'python' });
    assert.strictEqual(model.title, '? params — width has no value; the input shape is unknown');
    assert.strictEqual(args.title, 'constructor argument width: no default');
  });
});
