import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parsePython } from '../../src/core/lang/python/parse';
import { lezerText } from '../../src/core/lang/python/lezerText';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';

/**
 * Floats written with nothing after the dot (`drop=0.`, `mlp_ratio=4.`), which @lezer/python does
 * not read as numbers: the parse of such a text has no syntax error and the same tree as the text
 * with `.0` written out, positions apart; strings, comments and names are left alone. And a model
 * written that way, against real PyTorch.
 */

/** A tree without positions (they differ where `.0` was written out). */
function shape(text: string): unknown {
  return JSON.parse(JSON.stringify(parsePython(text), (k, v) => (k === 'pos' || k === 'end' ? undefined : v)));
}

describe('Python: floats with a trailing dot', () => {
  const cases = [
    'x = 0.\n',
    'y = a if p > 0. else b\n',
    'z = f(1., 2., drop=0.)\n',
    'w = [1., 2.5, 3.]\nv = (4.,)\n',
    'u = 1. / 3 + 2.*x - x[1.:]\n',
    'def f(a=0., b=-1.):\n    return a\n',
    'class C:\n    r = 4.\n    def g(self):\n        return self.r * 2.\n',
  ];
  for (const text of cases) {
    it(JSON.stringify(text), () => {
      const m = parsePython(text);
      assert.deepStrictEqual(m.errors, [], 'no syntax error');
      assert.deepStrictEqual(shape(text), shape(text.replace(/(\d)\.(?!\d)/g, '$1.0')), 'the tree of the same text with .0 written out');
    });
  }

  it('leaves strings, comments, names and other numbers as they are', () => {
    const text = [
      "s = '1. ' + \"2. \" + '''3.\n4. ''' + r'5.' + f'{x:.2f} 6. '",
      '# 7. in a comment',
      'n = conv1.weight + layer2.bias + x1. real',
      'm = 1.5 + 1e-5 + 0x1F + 1_000. + 2.e3 + 3.j',
      '',
    ].join('\n');
    const out = lezerText(text);
    assert.strictEqual(out.length, text.length);
    const changed = [...text].flatMap((c, i) => (out[i] !== c ? [text.slice(Math.max(0, i - 5), i + 1)] : []));
    assert.deepStrictEqual(changed, ['1_000.'], 'only the trailing-dot float among numbers is rewritten for lezer');
  });

  it('a model written with trailing-dot floats: the totals and output shape of real PyTorch', function () {
    this.timeout(120_000);
    const source = `import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, mlp_ratio=4., drop=0., drop_path=0.):
        super().__init__()
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, int(dim * mlp_ratio))
        self.act = nn.GELU()
        self.fc2 = nn.Linear(int(dim * mlp_ratio), dim)
        self.drop = nn.Dropout(drop) if drop > 0. else nn.Identity()
        self.gamma = nn.Parameter(1e-6 * torch.ones(dim)) if drop_path > 0. else None

    def forward(self, x):
        y = self.drop(self.fc2(self.act(self.fc1(self.norm(x)))))
        if self.gamma is not None:
            y = self.gamma * y
        return x + y


class M(nn.Module):
    def __init__(self, dim=48, depth=3, ratio=2.):
        super().__init__()
        self.blocks = nn.Sequential(*[Block(dim, mlp_ratio=ratio, drop_path=0.1 * i) for i in range(depth)])
        self.head = nn.Linear(dim, 5)

    def forward(self, x):
        return self.head(self.blocks(x).mean(1))
`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-floatdots-'));
    try {
      const file = path.join(dir, 'model.py');
      fs.writeFileSync(file, source);
      const script = 'import runpy, sys, torch\nm = runpy.run_path(sys.argv[1])["M"]()\nprint(sum(p.numel() for p in m.parameters()), list(m(torch.randn(2, 7, 48)).shape))';
      const r = spawnSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, `real PyTorch could not run the model (is python3-torch installed?):\n${r.stderr}`);
      const [total, ...out] = r.stdout.replace(/[[\],]/g, ' ').trim().split(/\s+/).map(Number);
      clearAnalysisCache();
      const m = analyzeSource(file, source, { inputShapes: [[2, 7, 48]] }).models.find((x) => x.name === 'M');
      assert.ok(m, 'the model M is found');
      assert.deepStrictEqual(m.diagnostics.filter((d) => d.severity === 'error'), []);
      assert.strictEqual(m.totalParams, total);
      assert.deepStrictEqual(m.outputShape, out);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
