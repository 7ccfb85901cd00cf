import * as assert from 'assert';
import { analyzeSource } from '../../src/core/analyze';
import { pythonInputShapeEdit } from '../../src/extension/inputShapeTag';

/**
 * What the editor features need from a Python analysis (the class a model is an instance of,
 * quick fixes on Python arguments, routing by language) and the `# @inputShape` edit. Counts:
 * Linear(128, 516) holds 128 × 516 + 516 = 66,564 parameters in PyTorch.
 */

function apply(text: string, e: { start: number; end: number; text: string }): string {
  return text.slice(0, e.start) + e.text + text.slice(e.end);
}

const NET = [
  'import torch.nn as nn',
  '',
  '',
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.fc1 = nn.Linear(128, 516)',
  '',
  '    def forward(self, x):',
  '        return self.fc1(x)',
  '',
].join('\n');

describe('Python in the editor: the # @inputShape edit', () => {
  it('inserts a comment above the class, and the analysis reads it', () => {
    const edited = apply(NET, pythonInputShapeEdit(NET, NET.indexOf('class Net'), '[8, 128]'));
    assert.ok(edited.includes('\n# @inputShape [8, 128]\nclass Net(nn.Module):'), edited);
    const m = analyzeSource('/virtual/net.py', edited).models[0];
    assert.deepStrictEqual([m.inputShapeSource, m.outputShape, m.totalParams], ['@inputShape', [8, 516], 66564]);
  });

  it('above the decorators, with the declaration\'s indentation', () => {
    const text = 'import torch.nn as nn\n\ndef f():\n    @register\n    class Inner(nn.Module):\n        pass\n';
    const at = text.indexOf('    @register');
    assert.strictEqual(apply(text, pythonInputShapeEdit(text, at + 4, '[1, 3]')), text.slice(0, at) + '    # @inputShape [1, 3]\n' + text.slice(at));
  });

  it('rewrites an existing comment tag in place, keeping the comments around it', () => {
    const text = NET.replace('class Net', '# A small net.\n# @inputShape [4, 128]\nclass Net');
    const edited = apply(text, pythonInputShapeEdit(text, text.indexOf('class Net'), '[16, 128]'));
    assert.strictEqual(edited, NET.replace('class Net', '# A small net.\n# @inputShape [16, 128]\nclass Net'));
    assert.deepStrictEqual(analyzeSource('/virtual/net2.py', edited).models[0].inputShape, [16, 128]);
  });

  it('rewrites the tag in the docstring (multi-line and one-line)', () => {
    const multi = NET.replace('class Net(nn.Module):\n', 'class Net(nn.Module):\n    """A small net.\n\n    @inputShape [4, 128]\n    """\n');
    const e1 = apply(multi, pythonInputShapeEdit(multi, multi.indexOf('class Net'), '[2, 128]'));
    assert.ok(e1.includes('    @inputShape [2, 128]\n    """'), e1);
    assert.deepStrictEqual(analyzeSource('/virtual/net3.py', e1).models[0].inputShape, [2, 128]);
    const one = NET.replace('class Net(nn.Module):\n', "class Net(nn.Module):\n    '''@inputShape [4, 128]'''\n");
    const e2 = apply(one, pythonInputShapeEdit(one, one.indexOf('class Net'), '[3, 128]'));
    assert.ok(e2.includes("    '''@inputShape [3, 128]'''\n"), e2);
  });

  it('a docstring without a tag gets the comment above the class instead', () => {
    const text = NET.replace('class Net(nn.Module):\n', 'class Net(nn.Module):\n    """A small net."""\n');
    const edited = apply(text, pythonInputShapeEdit(text, text.indexOf('class Net'), '[8, 128]'));
    assert.ok(edited.includes('# @inputShape [8, 128]\nclass Net(nn.Module):\n    """A small net."""'), edited);
  });
});

describe('Python in the editor: what the analysis gives the extension', () => {
  it('a module-level instance names its class as its declaration (where self.fc1 is this model\'s)', () => {
    const text = NET + '\nmodel = Net()\n';
    const m = analyzeSource('/virtual/inst.py', text).models[0];
    assert.strictEqual(m.line, text.split('\n').indexOf('model = Net()') + 1);
    assert.strictEqual(m.declaration?.start, text.indexOf('class Net'));
    assert.ok(text.slice(m.declaration.start, m.declaration.end).trim().endsWith('return self.fc1(x)'), JSON.stringify(m.declaration));
  });

  it('a shape mismatch on a Python argument carries the quick fix on that literal', () => {
    const text = NET.replace('self.fc1 = nn.Linear(128, 516)', 'self.fc1 = nn.Linear(128, 516)\n        self.fc2 = nn.Linear(in_features=256, out_features=10)').replace('return self.fc1(x)', 'return self.fc2(self.fc1(x))');
    const d = analyzeSource('/virtual/fix.py', text).models[0].diagnostics.find((x) => x.code === 'shape-mismatch');
    assert.ok(d?.fix, JSON.stringify(d));
    assert.strictEqual(text.slice(d.fix.start, d.fix.end), '256');
    assert.strictEqual(d.fix.title, 'Change in_features to 516');
    const fixed = apply(text, d.fix);
    const m = analyzeSource('/virtual/fix.py', fixed).models[0];
    // PyTorch: Linear(128, 516) + Linear(516, 10) = 66,564 + 5,170.
    assert.deepStrictEqual([m.totalParams, m.diagnostics.filter((x) => x.severity === 'error')], [71734, []]);
  });

  it('an unknown layer close to a catalog name gets "Did you mean" and a fix on the name only', () => {
    const text = NET.replace('nn.Linear(128, 516)', 'nn.Lineer(128, 516)');
    const d = analyzeSource('/virtual/typo.py', text).models[0].diagnostics.find((x) => x.code === 'unknown-layer');
    assert.ok(d?.fix && d.message.includes('Did you mean `nn.Linear`?'), JSON.stringify(d));
    assert.strictEqual(text.slice(d.fix.start, d.fix.end), 'Lineer');
    assert.strictEqual(analyzeSource('/virtual/typo.py', apply(text, d.fix)).models[0].totalParams, 66564);
  });

  it('each nn.ModuleList() is its own list: append() in one model never reaches another', () => {
    const text = ['import torch.nn as nn', 'class A(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.blocks = nn.ModuleList()', '        self.blocks.append(nn.Linear(4, 4))', 'class B(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.blocks = nn.ModuleList()', '        self.blocks.append(nn.Linear(2, 2))', ''].join('\n');
    // PyTorch: Linear(4, 4) = 4 × 4 + 4 = 20; Linear(2, 2) = 2 × 2 + 2 = 6.
    for (let run = 0; run < 2; run++) assert.deepStrictEqual(analyzeSource(`/virtual/lists${run}.py`, text).models.map((m) => [m.name, m.totalParams]), [['A', 20], ['B', 6]]);
  });

  it('the language decides the front end: an untitled Python document is Python, a .py read as TypeScript is not', () => {
    assert.strictEqual(analyzeSource('Untitled-1', NET, { language: 'python' }).models[0]?.totalParams, 66564);
    assert.deepStrictEqual(analyzeSource('Untitled-2', NET).models, []);
  });
});
