import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { torchCounts } from './helpers/torchCounts';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';

/**
 * nn.Module semantics in Python model code that real code uses after construction — tied
 * weights, frozen parameters, a parameter set to None, modules kept in a plain list — against
 * real PyTorch run on the same source at test time. Each total is either PyTorch's exactly or
 * unknown with a reason; a different definite number fails.
 */


/** A model class `M` (no constructor arguments) and what PyTorch must agree with. */
const CASES: { name: string; exact: boolean; body: string }[] = [
  {
    name: 'tied embedding and output weights are counted once',
    exact: true,
    body: `
class M(nn.Module):
    def __init__(self, vocab=1000, dim=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.head = nn.Linear(dim, vocab)
        self.head.weight = self.embed.weight

    def forward(self, x):
        out, _ = self.rnn(self.embed(x))
        return self.head(out)
`,
  },
  {
    name: 'a frozen weight is non-trainable',
    exact: true,
    body: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 30)
        self.fc2 = nn.Linear(30, 5)
        self.fc1.weight.requires_grad = False

    def forward(self, x):
        return self.fc2(self.fc1(x))
`,
  },
  {
    name: 'a bias set to None is gone',
    exact: true,
    body: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 30)
        self.fc.bias = None

    def forward(self, x):
        return self.fc(x)
`,
  },
  {
    name: 'modules kept in a plain list are not registered',
    exact: true,
    body: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = []
        for i in range(3):
            self.blocks.append(nn.Linear(8, 8))
        self.out = nn.Linear(8, 2)

    def forward(self, x):
        return self.out(x)
`,
  },
  {
    name: "a module's own parameter frozen by requires_grad_(False), another by requires_grad = False",
    exact: true,
    body: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.scale = nn.Parameter(torch.ones(1))
        self.shift = nn.Parameter(torch.zeros(3))
        self.proj = nn.Parameter(torch.randn(3, 5))
        self.scale.requires_grad_(False)
        self.shift.requires_grad = False
        self.fc.bias.requires_grad_(requires_grad=False)
        nn.init.normal_(self.proj, std=0.02)
        self.proj.data.uniform_(-0.1, 0.1)

    def forward(self, x):
        return (self.fc(x) * self.scale + self.shift) @ self.proj
`,
  },
  {
    name: "a module's parameter tied to another's",
    exact: true,
    body: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.ones(4, 4))
        self.b = nn.Parameter(torch.ones(4, 4))
        self.b = self.a
        self.fc = nn.Linear(4, 4)
        self.fc.weight = self.a

    def forward(self, x):
        return self.fc(x @ self.a)
`,
  },
  {
    name: 'nn.Identity takes any arguments, as blocks pass it an activation’s (inplace=True)',
    exact: true,
    body: `
class ConvAct(nn.Sequential):
    def __init__(self, cin, cout, act=nn.ReLU):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), act(inplace=True))

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = ConvAct(3, 8)
        self.b = ConvAct(8, 8, act=nn.Identity)
        self.skip = nn.Identity(8, scale=2.0)

    def forward(self, x):
        return self.b(self.a(x)) + self.skip(x).mean()
`,
  },
  {
    name: 'an init loop over an LSTM’s named_parameters() by name, layers made with setattr, a frozen embedding',
    exact: true,
    body: `
class M(nn.Module):
    def __init__(self, vocab=300, emb=32, hidden=48, layers=2, bidir=True):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, num_layers=layers, dropout=0.2, batch_first=True, bidirectional=bidir)
        self.gru = nn.GRU(2 * hidden, 16, proj_size=0) if False else nn.GRU(2 * hidden, 16)
        for i in range(3):
            setattr(self, f"proj{i}", nn.Linear(16 if i == 0 else 24, 24))
        for name, param in self.lstm.named_parameters():
            if 'bias' in name:
                nn.init.zeros_(param)
            elif 'weight_hh' in name:
                nn.init.orthogonal_(param)
                param.requires_grad = False
        for name, p in self.gru.named_parameters():
            if name.endswith('_l0'):
                p.requires_grad_(False)
        self.embedding.weight.requires_grad = False

    def forward(self, x):
        out, _ = self.lstm(self.embedding(x))
        out, _ = self.gru(out)
        feat = out[:, -1]
        for i in range(3):
            feat = torch.relu(getattr(self, f"proj{i}")(feat))
        return feat
`,
  },
  {
    name: 'weight_norm and spectral_norm replace the weight by their own parameters (old and parametrizations APIs); a frozen weight_g',
    exact: true,
    body: `
from torch.nn.utils import weight_norm, parametrizations

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = weight_norm(nn.Conv1d(16, 32, 3, padding=1))
        self.mid = nn.utils.weight_norm(nn.Conv1d(32, 8, 5), dim=1)
        self.fc = nn.utils.spectral_norm(nn.Linear(8, 8, bias=False))
        self.head = parametrizations.spectral_norm(nn.Linear(8, 4))
        self.scale = nn.utils.weight_norm(nn.Linear(4, 2), dim=None)
        self.mid.weight_g.requires_grad = False

    def forward(self, x):
        y = self.mid(self.conv(x)).mean(-1)
        return self.scale(self.head(self.fc(y)))
`,
  },
  {
    name: 'init code that tests class names (m.__class__.__name__, type(m).__name__, nn.LayerNorm.__name__)',
    exact: true,
    body: `
def init_weights(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        m.weight.data.normal_(0.0, 0.02)

def freeze_norms(m):
    if type(m).__name__.startswith('BatchNorm') or m.__class__.__name__ == nn.LayerNorm.__name__:
        for p in m.parameters():
            p.requires_grad = False

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.bn = nn.BatchNorm2d(8)

    def forward(self, x):
        return self.bn(self.conv(x))

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.norm = nn.LayerNorm(8)
        self.head = nn.Linear(8, 2)
        self.apply(init_weights)
        self.apply(freeze_norms)
        if type(self.block) == 'Block' or type(self.head) == 'Linear':
            self.never = nn.Linear(100, 100)

    def forward(self, x):
        return self.head(self.norm(self.block(x).mean((2, 3))))
`,
  },
  {
    name: 'a layer registered only for some library version: unknown, never a guess',
    exact: false,
    body: `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        if torch.__version__ >= '2.0' or torch.version.cuda == '12.1':
            self.extra = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(x)
`,
  },
  {
    name: 'a write into a helper object holding a layer',
    exact: false,
    body: `
class Holder:
    pass

class M(nn.Module):
    def __init__(self):
        super().__init__()
        h = Holder()
        h.layer = nn.Linear(4, 4)
        self.fc = nn.Linear(4, 2)
        self.fc.weight = nn.Parameter(torch.zeros(2, 4))

    def forward(self, x):
        return self.fc(x)
`,
  },
];

/** Real PyTorch's counts for the file's model. */
function torchTruth(file: string): { total: number; trainable: number } {
  return torchCounts(file, 'M()');
}

describe('Python nn.Module semantics after construction, against real PyTorch', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-pysem-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(c.name, function () {
      this.timeout(120_000);
      const source = `import torch\nimport torch.nn as nn\n${c.body}`;
      const file = path.join(dir, `${c.name.replace(/\W+/g, '_')}.py`);
      fs.writeFileSync(file, source);
      const truth = torchTruth(file);
      clearAnalysisCache();
      const m = analyzeSource(file, source).models.find((x) => x.name === 'M');
      assert.ok(m, 'the model M is found');
      if (m.totalParams === null) {
        assert.ok(!c.exact, `expected PyTorch's ${truth.total} exactly, got ? (${m.totalsUnknownReason})`);
        assert.ok(m.totalsUnknownReason, 'an unknown total says why');
        return;
      }
      assert.strictEqual(m.totalParams, truth.total, 'total');
      assert.strictEqual(m.trainableParams, truth.trainable, 'trainable');
    });
  }
});
