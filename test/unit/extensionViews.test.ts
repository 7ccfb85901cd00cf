// The extension's pure view code (no `vscode`): lens titles, hover text, panel rows, the
// @inputShape edit and webview message validation. Counts are PyTorch's (torch 1.13:
// Linear(128,516) 66,564; Linear(516,516) 266,772; Linear(516,1) 517; total 333,853).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import { docsFor } from '../../src/extension/coreApi';
import { layerHoverMarkdown } from '../../src/extension/hoverText';
import { inputShapeEdit, parseShapeInput } from '../../src/extension/inputShapeTag';
import { layerLensTitle, layerLenses, modelLensTitle } from '../../src/extension/lensTitles';
import { count, sizeText } from '../../src/extension/numbers';
import { panelModel } from '../../src/extension/panelModel';
import { parseWebviewMessage } from '../../src/extension/webviewMessages';
import { layerColumns, trainableInformative } from '../../webview/rows';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
const analyze = (name: string) => {
  const file = path.join(EXAMPLES, name);
  return analyzeSource(file, fs.readFileSync(file, 'utf8'));
};
const apply = (text: string, e: { start: number; end: number; text: string }) => text.slice(0, e.start) + e.text + text.slice(e.end);

describe('extension views', () => {
  it('formats counts and sizes (binary units: MB = bytes / 2^20, two decimals)', () => {
    assert.strictEqual(count(333853), '333,853');
    assert.strictEqual(count(333853, 'plain'), '333853');
    assert.strictEqual(count(333853, 'compact'), '333.9K');
    assert.strictEqual(count(null), '?');
    // Grouped by hand (no Intl on the first lens's path), as toLocaleString groups them; past 2^53 by toLocaleString itself.
    for (const n of [0, 7, 999, 1000, 66564.4, 1234567.5, 2 ** 53 - 1, 2 ** 53 + 2, 1e21, 1e25]) assert.strictEqual(count(n), Math.round(n).toLocaleString('en-US'), String(n));
    assert.strictEqual(sizeText(333853 * 4), '1.27 MB');
    // The unit follows the rounded figure: never `1024.0 KB`.
    assert.strictEqual(sizeText(2 ** 20 - 1), '1.00 MB');
    assert.strictEqual(sizeText(2 ** 30 - 1), '1.00 GB');
    assert.strictEqual(sizeText(1023), '1023 B');
    assert.strictEqual(sizeText(1024), '1.0 KB');
  });

  it('lens titles for simple-mlp.ts and its tfjs twin', () => {
    const torch = analyze('simple-mlp.ts');
    const m = torch.models[0];
    assert.strictEqual(modelLensTitle(m), '333,853 params · 1.27 MB · [64, 1]');
    assert.deepStrictEqual(
      layerLenses(torch).map((l) => [l.row.line, layerLensTitle(l.row, l.model)]),
      [[17, '66,564 params · [64, 516]'], [18, '0 params · [64, 516]'], [19, '266,772 params · [64, 516]'], [20, '0 params · [64, 516]'], [21, '517 params · [64, 1]']],
    );
    const tfjs = analyze('simple-mlp.tfjs.ts');
    assert.strictEqual(modelLensTitle(tfjs.models[0]), '333,853 params · 1.27 MB · [None, 1]');
  });

  it('hover markdown carries the filled formula, shapes, mult-adds and the link', () => {
    const m = analyze('simple-mlp.ts').models[0];
    const fc1 = m.layers.find((r) => r.name === 'fc1')!;
    const md = layerHoverMarkdown(fc1, m, docsFor(fc1.catalogKey!)!);
    assert.ok(md.includes('`128 × 516 + 516 = 66,564`'), md);
    assert.ok(md.includes('`[64, 128]` → `[64, 516]`'), md);
    assert.ok(md.includes('4,260,096'), md);
    assert.ok(md.includes('(https://pytorch.org/docs/stable/generated/torch.nn.Linear.html)'), md);
    assert.strictEqual(docsFor('torch:NoSuchLayer'), undefined);
  });

  it('panel rows: relative names under containers, shares of the total', () => {
    const file = analyze('resnet.ts');
    const model = panelModel(file, file.models[0], 'resnet.ts');
    const layer1 = model.rows.find((r) => r.name === 'layer1')!;
    assert.ok(layer1.container);
    const child = model.rows.find((r) => r.parent === layer1.id && r.path === 'layer1.conv1')!;
    assert.strictEqual(child.name, 'conv1');
    const mlp = analyze('simple-mlp.ts');
    const rows = panelModel(mlp, mlp.models[0], 'simple-mlp.ts').rows;
    assert.strictEqual(rows[2].share!.toFixed(4), (266772 / 333853).toFixed(4));
  });

  it('parses what the user types for an input shape', () => {
    assert.deepStrictEqual(parseShapeInput('64, 128'), { tag: '[64, 128]' });
    assert.deepStrictEqual(parseShapeInput(' [8, 50] [8,50] '), { tag: '[8, 50] [8, 50]' });
    assert.deepStrictEqual(parseShapeInput('?, 3, 32, 32'), { tag: '[?, 3, 32, 32]' });
    for (const bad of ['', '64 x 128', '[64, 0]', '[64, 128', '-1, 3', '1.5']) assert.ok('error' in parseShapeInput(bad), bad);
  });

  it('writes @inputShape into the JSDoc above the class', () => {
    const bare = 'import x from "y";\n\nexport class A extends nn.Module {}\n';
    const e1 = inputShapeEdit(bare, bare.indexOf('export'), '[64, 128]');
    assert.strictEqual(apply(bare, e1), 'import x from "y";\n\n/** @inputShape [64, 128] */\nexport class A extends nn.Module {}\n');

    const multi = '/**\n * A model.\n */\nexport class A {}\n';
    assert.strictEqual(apply(multi, inputShapeEdit(multi, multi.indexOf('export'), '[1, 3]')), '/**\n * A model.\n * @inputShape [1, 3]\n */\nexport class A {}\n');

    const single = '  /** A model. */\n  class A {}\n';
    assert.strictEqual(apply(single, inputShapeEdit(single, single.indexOf('class'), '[2, 4]')), '  /**\n   * A model.\n   * @inputShape [2, 4]\n   */\n  class A {}\n');

    const existing = '/** @inputShape 64 by 128 */\nclass A {}\n';
    assert.strictEqual(apply(existing, inputShapeEdit(existing, existing.indexOf('class'), '[64, 128]')), '/** @inputShape [64, 128] */\nclass A {}\n');

    // A comment that is not directly above (code in between) is left alone.
    const apart = '/** other */\nconst z = 1;\nclass A {}\n';
    assert.strictEqual(apply(apart, inputShapeEdit(apart, apart.indexOf('class'), '[1]')), '/** other */\nconst z = 1;\n/** @inputShape [1] */\nclass A {}\n');
  });

  it('the edit is what the analyzer then reads', () => {
    const text = fs.readFileSync(path.join(EXAMPLES, 'simple-mlp.ts'), 'utf8').replace(/\s*\* @inputShape \[64, 128\]/, '');
    const before = analyzeSource('/virtual/mlp.ts', text).models[0];
    assert.notStrictEqual(before.inputShapeSource, '@inputShape');
    const after = analyzeSource('/virtual/mlp.ts', apply(text, inputShapeEdit(text, before.start!, '[32, 128]'))).models[0];
    assert.strictEqual(after.inputShapeSource, '@inputShape');
    assert.deepStrictEqual(after.outputShape, [32, 1]);
  });

  it('accepts only well-formed webview messages', () => {
    assert.deepStrictEqual(parseWebviewMessage({ type: 'reveal', line: 17 }), { type: 'reveal', line: 17 });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'copy', format: 'markdown' }), { type: 'copy', format: 'markdown' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseWebviewMessage({ type: 'runForwardPass' }), { type: 'runForwardPass' });
    for (const bad of [null, 'reveal', [], { type: 'reveal', line: 0 }, { type: 'reveal', line: 1.5 }, { type: 'reveal', line: '3' }, { type: 'copy', format: 'html' }, { type: 'reveal', line: 3, extra: 1 }, { type: 'exec' }, { type: 'runForwardPass', model: 'Other' }]) {
      assert.strictEqual(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('composite PyTorch layers in the editor views', () => {
  it('an expanded TransformerEncoder: its lens and hover show what it holds, its rows point at the user’s code', () => {
    const file = analyze('transformer.ts');
    const m = file.models.find((x) => x.name === 'TinyTransformer')!;
    const encoder = m.layers.find((r) => r.name === 'encoder')!;
    const inside = m.layers.filter((r) => r.name.startsWith('encoder.'));
    assert.ok(encoder.container && inside.length > 0);
    // Every row made inside PyTorch's transcribed module sits on a line of this file, at the layer it stands for.
    const text = fs.readFileSync(path.join(EXAMPLES, 'transformer.ts'), 'utf8');
    for (const r of [encoder, ...inside]) {
      assert.strictEqual(r.file, undefined, `${r.name} is in this file`);
      assert.match(text.slice(r.start!, r.end!), /^new nn\.Transformer(Encoder|EncoderLayer)\(/, `${r.name} points at its construction`);
    }
    const lens = layerLenses(file).find((l) => l.row.line === encoder.line)!;
    assert.strictEqual(lens.row, encoder);
    assert.strictEqual(layerLensTitle(lens.row, m), `${encoder.totalParams!.toLocaleString('en-US')} params · [8, 20, 64]`);
    const md = layerHoverMarkdown(encoder, m, docsFor(encoder.catalogKey!)!);
    const leaves = inside.filter((r) => !r.container).reduce((n, r) => n + (r.multAdds as number), 0);
    assert.ok(leaves > 0 && md.includes(`**Mult-adds:** ${leaves.toLocaleString('en-US')} (its layers)`), md);
  });
});

describe('an idle layer in the editor views', () => {
  it('its lens says it is not called; the panel shows -- for its output', () => {
    const text = `import { nn, Tensor } from 'js-pytorch';
/** @inputShape [4, 16] */
export class Idle extends nn.Module {
  fc = new nn.Linear(16, 8);
  unused = new nn.Linear(3, 3);
  forward(x: Tensor): Tensor {
    return this.fc.forward(x);
  }
}`;
    const file = analyzeSource('/virtual/idle.ts', text);
    const m = file.models[0];
    const unused = m.layers.find((r) => r.name === 'unused')!;
    assert.strictEqual(layerLensTitle(unused, m), '12 params · not called in forward()');
    assert.ok(layerHoverMarkdown(unused, m, docsFor(unused.catalogKey!)!).startsWith('**Linear** · 12 params · not called in forward()'));
    // 148 float32 parameters are 592 bytes: the lens says so, not `0.00 MB`.
    assert.strictEqual(modelLensTitle(m), '148 params · 592 B · [4, 8]');
    const panel = panelModel(file, m, 'idle.ts');
    assert.strictEqual(panel.rows.find((r) => r.name === 'unused')!.outputShape, '--');
  });
});

describe('an attention and its out_proj in the editor views', () => {
  it('the line that makes a MultiheadAttention counts its out_proj too; the panel lists out_proj under it, `--` for its shapes', () => {
    // nn.MultiheadAttention(32, 4): in_proj 3 × 32 × 32 + 96 = 3,168 of its own, out_proj 32 × 32 + 32 = 1,056.
    const text = `import torch
import torch.nn as nn

class Attend(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)

    def forward(self, x):
        return self.attn(x, x, x)[0]
`;
    const file = analyzeSource('/virtual/attend.py', text, { inputShapes: [[2, 5, 32]] });
    const m = file.models[0];
    const attn = m.layers.find((r) => r.name === 'attn')!;
    const outProj = m.layers.find((r) => r.name === 'attn.out_proj')!;
    assert.strictEqual(attn.params, 3168);
    assert.strictEqual(outProj.params, 1056);
    assert.strictEqual(layerLensTitle(attn, m), '4,224 params · [[2, 5, 32], [2, 5, 5]]');
    assert.ok(layerHoverMarkdown(attn, m, docsFor(attn.catalogKey!)!).startsWith("**MultiheadAttention** · 4,224 params (out_proj's 1,056 included) · "));
    // No lens of its own on the shared line, and nothing `?` to explain.
    assert.ok(!layerLenses(file).some((l) => l.row === outProj));
    assert.strictEqual(outProj.unknownReason, undefined);
    const panel = panelModel(file, m, 'attend.py');
    const names = panel.rows.map((r) => r.path);
    assert.deepStrictEqual(names.slice(names.indexOf('attn'), names.indexOf('attn') + 2), ['attn', 'attn.out_proj']);
    assert.strictEqual(panel.rows.find((r) => r.path === 'attn.out_proj')!.outputShape, '--');
  });
});

describe('summary panel numbers', () => {
  it('sizes read in the unit that fits: B, KB below 1 MB, then MB', () => {
    assert.strictEqual(sizeText(665 * 4 / 4), '665 B');
    assert.strictEqual(sizeText(665 * 4), '2.6 KB');
    assert.strictEqual(sizeText(333853 * 4), '1.27 MB');
    assert.strictEqual(sizeText(null), '?');
    // A small model's params size is no longer `0.00 MB`: Scale(16→8) + two Dense = 665 params (tfjs).
    const small = analyze('custom-layer.tfjs.ts');
    const totals = panelModel(small, small.models[0], 'custom-layer.tfjs.ts').totals;
    assert.strictEqual(totals.find((t) => t.label === 'Params size')!.value, '2.6 KB');
  });

  it('a container row shows what its layers cost, never 0 when they compute', () => {
    const file = analyze('resnet.ts');
    const m = file.models[0];
    const panel = panelModel(file, m, 'resnet.ts');
    const block = m.layers.find((r) => r.name === 'layer1')!;
    assert.ok(block.container);
    const leaves = m.layers.filter((r) => !r.op && !r.container && r.name.startsWith('layer1.'));
    const sum = leaves.reduce((n, r) => n + (r.multAdds as number), 0);
    assert.ok(sum > 0);
    assert.strictEqual(panel.rows.find((r) => r.id === block.id)!.multAdds, sum.toLocaleString('en-US'));
  });

  it('layers that compute no mult-adds read `--` as in torchinfo (Embedding, ReLU, GELU, Dropout), never 0; a container sums its layers', () => {
    const file = path.join(EXAMPLES, 'python', 'embedding.py');
    const summary = analyzeSource(file, fs.readFileSync(file, 'utf8'));
    const panel = panelModel(summary, summary.models[0], 'embedding.py');
    const cells = panel.rows.map((r) => [r.name, r.type, r.multAdds]);
    // Linear(64, 64) on [32, 64]: 32 × (64 × 64 + 64) = 133,120; Linear(64, 32): 32 × (64 × 32 + 32) = 66,560;
    // Linear(32, 1): 32 × 33 = 1,056 (torchinfo's output_size[0] × params gives the same for 2-d inputs).
    assert.deepStrictEqual(cells, [
      ['users', 'Embedding', '--'],
      ['items', 'Embedding', '--'],
      ['mlp', 'Sequential', '199,680'],
      ['fc0', 'Linear', '133,120'],
      ['act0', 'ReLU', '--'],
      ['fc1', 'Linear', '66,560'],
      ['act1', 'ReLU', '--'],
      ['out', 'Linear', '1,056'],
    ]);
    const gptFile = path.join(EXAMPLES, 'python', 'transformer.py');
    const gpt = analyzeSource(gptFile, fs.readFileSync(gptFile, 'utf8'));
    const rows = panelModel(gpt, gpt.models.find((m) => m.name === 'GPT')!, 'transformer.py').rows;
    for (const type of ['GELU', 'Dropout', 'Embedding']) {
      const got = rows.filter((r) => r.type === type);
      assert.ok(got.length > 0, type);
      assert.deepStrictEqual([...new Set(got.map((r) => r.multAdds))], ['--'], type);
    }
    assert.ok(!rows.some((r) => r.multAdds === '0'), 'no row reads 0');
  });

  it('a one-unit Dense reads "1 unit"', () => {
    const m = analyze('simple-mlp.tfjs.ts').models[0];
    const last = m.layers.filter((r) => r.type === 'Dense').pop()!;
    assert.strictEqual(last.hyper, '1 unit');
    assert.strictEqual(m.layers.find((r) => r.type === 'Dense')!.hyper, '516 units');
  });
});

describe('summary panel columns', () => {
  it('the Trainable column shows only when some layer is frozen or unknown', () => {
    const mlp = analyze('simple-mlp.ts');
    const rows = panelModel(mlp, mlp.models[0], 'simple-mlp.ts').rows;
    // Every layer trains ('yes'; '' for the parameter-free ReLUs): the column would say nothing.
    assert.deepStrictEqual([...new Set(rows.map((r) => r.trainable))].sort(), ['', 'yes']);
    assert.strictEqual(trainableInformative(rows), false);
    assert.deepStrictEqual(layerColumns(false).map((c) => c.label), ['Layer', 'Type', 'Output Shape', 'Param #', 'Mult-Adds', 'Share']);
    // An unknown count makes the column informative ('?').
    const text = `import { nn, Tensor } from 'js-pytorch';
export class Open extends nn.Module {
  constructor(width: number) {
    super();
    this.fc = new nn.Linear(width, 4);
  }
  fc: nn.Linear;
  forward(x: Tensor): Tensor {
    return this.fc.forward(x);
  }
}`;
    const open = analyzeSource('/virtual/open.ts', text);
    const openRows = panelModel(open, open.models[0], 'open.ts').rows;
    assert.strictEqual(openRows.find((r) => r.name === 'fc')!.trainable, '?');
    assert.strictEqual(trainableInformative(openRows), true);
    assert.deepStrictEqual(layerColumns(true).map((c) => c.label), ['Layer', 'Type', 'Output Shape', 'Param #', 'Trainable', 'Mult-Adds', 'Share']);
    // Numbers are right-aligned columns.
    assert.deepStrictEqual(layerColumns(true).filter((c) => c.num).map((c) => c.label), ['Param #', 'Mult-Adds', 'Share']);
  });
});
