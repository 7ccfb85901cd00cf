import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/core/analyze';
import { plannedLenses } from '../../src/extension/lensCache';
import { LensOptions, planLenses, setInputShapeTooltip } from '../../src/extension/lensPlan';

/*
 * The lens provider plans a summary's lenses once per settings (src/extension/lensCache.ts): the
 * same analysis asked again gets the same plan without planning it again, while other settings
 * or a new analysis (an edit) get their own — never the lenses of another text or setting.
 */

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');
const DEFAULTS: LensOptions = { numberFormat: 'commas', layerLenses: true, parameterFreeLayerLenses: false };

function analysis(name: string, edit?: (text: string) => string) {
  const file = path.join(EXAMPLES, name);
  const text = fs.readFileSync(file, 'utf8');
  return analyzeSource(file, edit ? edit(text) : text);
}

describe('lens cache: one plan per analysis and settings', () => {
  it('the same analysis with the same settings is planned once (the same plan comes back)', () => {
    const summary = analysis('simple-mlp.ts');
    const first = plannedLenses(summary, DEFAULTS);
    assert.ok(first.length > 0);
    assert.strictEqual(plannedLenses(summary, { ...DEFAULTS }), first);
    assert.deepStrictEqual(first, planLenses(summary, DEFAULTS));
  });

  it('other settings get their own plan (parameter-free layers, number format, no layer lenses)', () => {
    const summary = analysis('simple-mlp.ts');
    const base = plannedLenses(summary, DEFAULTS);
    for (const opts of [{ ...DEFAULTS, parameterFreeLayerLenses: true }, { ...DEFAULTS, layerLenses: false }, { ...DEFAULTS, numberFormat: 'compact' as const }, { ...DEFAULTS, language: 'python' as const }]) {
      const got = plannedLenses(summary, opts);
      assert.notStrictEqual(got, base);
      assert.deepStrictEqual(got, planLenses(summary, opts));
    }
    // More lenses with parameter-free layers, fewer without layer lenses: the settings took effect.
    assert.ok(plannedLenses(summary, { ...DEFAULTS, parameterFreeLayerLenses: true }).length > base.length);
    assert.ok(plannedLenses(summary, { ...DEFAULTS, layerLenses: false }).length < base.length);
    // The document's language words Set input shape…'s tooltip (a '# @inputShape' comment for Python):
    // a convolution's output size needs the input's spatial size.
    const conv = ['import torch.nn as nn', '', '', 'class Tiny(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.conv = nn.Conv2d(3, 4, 3)', '', '    def forward(self, x):', '        return self.conv(x)', ''].join('\n');
    const shapeless = analyzeSource('/virtual/tiny.py', conv);
    const tip = (opts: LensOptions) => plannedLenses(shapeless, opts).find((l) => l.command === 'setInputShape')?.tooltip;
    assert.strictEqual(tip({ ...DEFAULTS, language: 'python' }), setInputShapeTooltip('python'));
    assert.strictEqual(tip({ ...DEFAULTS, language: 'typescript' }), setInputShapeTooltip('typescript'));
    assert.notStrictEqual(setInputShapeTooltip('python'), setInputShapeTooltip('typescript'));
    // And back: the default settings' plan is made again, equal to the first.
    assert.deepStrictEqual(plannedLenses(summary, DEFAULTS), base);
  });

  it('an edit (a new analysis) is planned from its own summary, not the cached one', () => {
    const before = analysis('simple-mlp.ts');
    const after = analysis('simple-mlp.ts', (t) => t.replace('new nn.Linear(hiddenSize, outputSize)', 'new nn.Linear(hiddenSize, 2)'));
    const a = plannedLenses(before, DEFAULTS);
    const b = plannedLenses(after, DEFAULTS);
    assert.notDeepStrictEqual(b, a);
    assert.deepStrictEqual(b, planLenses(after, DEFAULTS));
    // fc3 = Linear(516, 2): 516·2 + 2 = 1,034 parameters (PyTorch's count for it; 517 before).
    assert.ok(b.some((l) => l.title.startsWith('1,034 params')), JSON.stringify(b.map((l) => l.title)));
    assert.ok(a.some((l) => l.title.startsWith('517 params')), JSON.stringify(a.map((l) => l.title)));
  });
});
