import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { torchCounts } from './helpers/torchCounts';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';

/**
 * The modules PyTorch's composite layers hold inside them — a MultiheadAttention's `out_proj`, the
 * layers of a TransformerEncoder — are what loops over `modules()`, `named_modules()` and
 * `apply(fn)` see, and what attribute paths reach (`attn.out_proj.weight`). A freeze made that way
 * must count. Each case is a Python model `M` run in real PyTorch at test time, and the same model
 * written in the PyTorch-shaped TypeScript idiom; both front ends must give PyTorch's total and
 * trainable count, or (where a case says so) unknown with a reason — never a different number.
 */


interface Case {
  name: string;
  /** Front ends that must be exact; the others may say `?` (with a reason) but never differ. */
  exact: ('python' | 'ts')[];
  py: string;
  ts: string;
}

const CASES: Case[] = [
  {
    name: 'an init loop over modules() freezing every nn.Linear reaches the attention’s out_proj',
    exact: ['python', 'ts'],
    py: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 16)
        self.attn = nn.MultiheadAttention(16, 2)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                for p in m.parameters():
                    p.requires_grad = False

    def forward(self, x):
        y = self.fc(x)
        return self.attn(y, y, y)[0]
`,
    ts: `
export class M extends nn.Module {
  fc = new nn.Linear(8, 16);
  attn = new nn.MultiheadAttention(16, 2);
  constructor() {
    super();
    for (const m of this.modules()) {
      if (m instanceof nn.Linear) {
        for (const p of m.parameters()) p.requires_grad = false;
      }
    }
  }
  forward(x) {
    const y = this.fc.forward(x);
    return this.attn.forward(y, y, y)[0];
  }
}
`,
  },
  {
    name: 'the out_proj frozen through its attribute path; an attention without bias, with kdim/vdim and bias_k/bias_v',
    exact: ['python', 'ts'],
    py: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(24, 4, bias=False, add_bias_kv=True, kdim=10, vdim=6)
        self.attn.out_proj.weight.requires_grad = False

    def forward(self, q, k, v):
        return self.attn(q, k, v)[0]
`,
    ts: `
export class M extends nn.Module {
  attn = new nn.MultiheadAttention(24, 4, { bias: false, add_bias_kv: true, kdim: 10, vdim: 6 });
  constructor() {
    super();
    this.attn.out_proj.weight.requires_grad = false;
  }
  forward(q, k, v) {
    return this.attn.forward(q, k, v)[0];
  }
}
`,
  },
  {
    name: 'named_modules() picks the out_proj by name',
    exact: ['python', 'ts'],
    py: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(32, 4, batch_first=True)
        self.head = nn.Linear(32, 10)
        for name, m in self.named_modules():
            if name.endswith('out_proj'):
                m.requires_grad_(False)

    def forward(self, x):
        return self.head(self.attn(x, x, x)[0])
`,
    ts: `
export class M extends nn.Module {
  attn = new nn.MultiheadAttention(32, 4, { batch_first: true });
  head = new nn.Linear(32, 10);
  constructor() {
    super();
    for (const [name, m] of this.named_modules()) {
      if (name.endsWith('out_proj')) m.requires_grad_(false);
    }
  }
  forward(x) {
    return this.head.forward(this.attn.forward(x, x, x)[0]);
  }
}
`,
  },
  {
    name: 'an init loop over modules() freezing the Linear layers inside a TransformerEncoder',
    exact: ['python', 'ts'],
    py: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32), 2)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                m.weight.requires_grad_(False)

    def forward(self, x):
        return self.enc(x)
`,
    ts: `
export class M extends nn.Module {
  enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(16, 2, 32), 2);
  constructor() {
    super();
    for (const m of this.modules()) {
      if (m instanceof nn.Linear) m.weight.requires_grad_(false);
    }
  }
  forward(x) {
    return this.enc.forward(x);
  }
}
`,
  },
  {
    name: 'apply(fn) freezing the feed-forward layers of an encoder layer',
    exact: ['python', 'ts'],
    py: `
def freeze_linear(m):
    if isinstance(m, nn.Linear) and not isinstance(m, nn.modules.linear.NonDynamicallyQuantizableLinear):
        for p in m.parameters():
            p.requires_grad = False

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(32, 4, 64, batch_first=True)
        self.apply(freeze_linear)

    def forward(self, x):
        return self.layer(x)
`,
    ts: `
function freezeLinear(m) {
  if (m instanceof nn.Linear && m.out_features === 64) {
    for (const p of m.parameters()) p.requires_grad = false;
  }
  if (m instanceof nn.Linear && m.in_features === 64) {
    for (const p of m.parameters()) p.requires_grad = false;
  }
}

export class M extends nn.Module {
  layer = new nn.TransformerEncoderLayer(32, 4, 64, { batch_first: true });
  constructor() {
    super();
    this.apply(freezeLinear);
  }
  forward(x) {
    return this.layer.forward(x);
  }
}
`,
  },
  {
    name: 'one encoder layer’s feed-forward frozen through its attribute path',
    exact: ['python', 'ts'],
    py: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 2, 32), 3)
        self.enc.layers[1].linear1.requires_grad_(False)

    def forward(self, x):
        return self.enc(x)
`,
    ts: `
export class M extends nn.Module {
  enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(16, 2, 32), 3);
  constructor() {
    super();
    this.enc.layers[1].linear1.requires_grad_(false);
  }
  forward(x) {
    return this.enc.forward(x);
  }
}
`,
  },
  {
    name: 'a template frozen before TransformerEncoder copies it: the copies are frozen too (copy.deepcopy)',
    exact: ['python', 'ts'],
    py: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        layer = nn.TransformerEncoderLayer(16, 2, 32, batch_first=True)
        layer.self_attn.requires_grad_(False)
        layer.norm1.weight.requires_grad = False
        self.enc = nn.TransformerEncoder(layer, 2)
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        return self.head(self.enc(x))
`,
    ts: `
export class M extends nn.Module {
  enc: any;
  head = new nn.Linear(16, 4);
  constructor() {
    super();
    const layer = new nn.TransformerEncoderLayer(16, 2, 32, { batch_first: true });
    layer.self_attn.requires_grad_(false);
    layer.norm1.weight.requires_grad = false;
    this.enc = new nn.TransformerEncoder(layer, 2);
  }
  forward(x) {
    return this.head.forward(this.enc.forward(x));
  }
}
`,
  },
  {
    name: 'an init loop over a TransformerEncoder too deep to list (70 layers) is unknown, never a guess',
    exact: [],
    py: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 70)
        for m in self.modules():
            if isinstance(m, nn.LayerNorm):
                m.requires_grad_(False)

    def forward(self, x):
        return self.enc(x)
`,
    ts: `
export class M extends nn.Module {
  enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, 16), 70);
  constructor() {
    super();
    for (const m of this.modules()) {
      if (m instanceof nn.LayerNorm) m.requires_grad_(false);
    }
  }
  forward(x) {
    return this.enc.forward(x);
  }
}
`,
  },
  {
    name: 'a subclass of nn.TransformerEncoderLayer (PyTorch’s class its base in Python; unknown in TypeScript, never without its parameters)',
    exact: ['python'],
    py: `
class PreNormLayer(nn.TransformerEncoderLayer):
    def forward(self, src, src_mask=None, src_key_padding_mask=None):
        return src + self._sa_block(self.norm1(src), src_mask, src_key_padding_mask)

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = PreNormLayer(16, 2, 32, batch_first=True)
        self.fc = nn.Linear(16, 2)
        for m in self.modules():
            if isinstance(m, nn.TransformerEncoderLayer):
                m.linear2.requires_grad_(False)

    def forward(self, x):
        return self.fc(self.layer(x))
`,
    ts: `
class PreNormLayer extends nn.TransformerEncoderLayer {
  forward(src) {
    return src + this._sa_block(this.norm1.forward(src));
  }
}

export class M extends nn.Module {
  layer = new PreNormLayer(16, 2, 32, { batch_first: true });
  fc = new nn.Linear(16, 2);
  constructor() {
    super();
    for (const m of this.modules()) {
      if (m instanceof nn.TransformerEncoderLayer) m.linear2.requires_grad_(false);
    }
  }
  forward(x) {
    return this.fc.forward(this.layer.forward(x));
  }
}
`,
  },
  {
    name: 'a subclass of nn.Linear frozen at construction (its parameters are the layer’s; unknown in TypeScript, never 0)',
    exact: ['python'],
    py: `
class MyLinear(nn.Linear):
    def forward(self, x):
        return super().forward(x) * 2

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = MyLinear(16, 8)
        self.a.bias.requires_grad = False
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(self.a(x))
`,
    ts: `
class MyLinear extends nn.Linear {
  forward(x) {
    return super.forward(x);
  }
}

export class M extends nn.Module {
  a = new MyLinear(16, 8);
  fc = new nn.Linear(8, 2);
  constructor() {
    super();
    this.a.bias.requires_grad = false;
  }
  forward(x) {
    return this.fc.forward(this.a.forward(x));
  }
}
`,
  },
];

/** Real PyTorch's counts for the file's model. */
function torchTruth(file: string): { total: number; trainable: number } {
  return torchCounts(file, 'M()');
}

describe('modules inside composite layers (out_proj, encoder layers), against real PyTorch', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-composite-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  CASES.forEach((c, i) => {
    it(c.name, function () {
      this.timeout(120_000);
      const pyFile = path.join(dir, `case${i}.py`);
      const pySource = `import torch\nimport torch.nn as nn\n${c.py}`;
      fs.writeFileSync(pyFile, pySource);
      const truth = torchTruth(pyFile);
      assert.ok(truth.trainable < truth.total, 'the case freezes something in real PyTorch');
      const tsFile = path.join(dir, `case${i}.ts`);
      const tsSource = `import * as torch from 'js-pytorch';\nconst nn = torch.nn;\n${c.ts}`;
      for (const [lang, file, source] of [['python', pyFile, pySource], ['ts', tsFile, tsSource]] as const) {
        clearAnalysisCache();
        const m = analyzeSource(file, source).models.find((x) => x.name === 'M');
        assert.ok(m, `${lang}: the model M is found`);
        if (m.totalParams === null || m.trainableParams === null) {
          assert.ok(!c.exact.includes(lang), `${lang}: expected PyTorch's ${truth.total} / ${truth.trainable} trainable exactly, got ? (${m.totalsUnknownReason})`);
          assert.ok(m.totalsUnknownReason, `${lang}: an unknown total says why`);
          continue;
        }
        assert.strictEqual(m.totalParams, truth.total, `${lang}: total`);
        assert.strictEqual(m.trainableParams, truth.trainable, `${lang}: trainable`);
      }
    });
  });
});
