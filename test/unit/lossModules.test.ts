import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import type { ModelSummary } from '../../src/core/summary';

/**
 * Loss modules held by a user model and called in its `forward(x, target)` (a classifier that
 * returns its loss, a VAE with a per-element reconstruction loss, a triplet loss over a shared
 * encoder, distillation with KLDivLoss): in Python and in the PyTorch-shaped TypeScript idiom,
 * each against the Python model run by real PyTorch at test time — totals, every module's class,
 * parameters and first output shape (forward hooks), and the model's output.
 */

const PYTHON = '/usr/bin/python3';

/** One model input: floats of this shape, or integer class indices below `classes`. */
type Input = { shape: number[]; classes?: number };

interface Case {
  name: string;
  model: string;
  inputs: Input[];
  python: string;
  typescript: string;
}

const CASES: Case[] = [
  {
    name: 'a classifier returning its CrossEntropyLoss (mean: a scalar)',
    model: 'Classifier',
    inputs: [{ shape: [4, 16] }, { shape: [4], classes: 5 }],
    python: `
class Classifier(nn.Module):
    def __init__(self, features=16, classes=5):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(features, 32), nn.ReLU(), nn.Dropout(0.1))
        self.head = nn.Linear(32, classes)
        self.criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

    def forward(self, x, target):
        logits = self.head(self.body(x))
        return self.criterion(logits, target)
`,
    typescript: `
/** @inputShape [4, 16] [4] */
export class Classifier extends nn.Module {
  constructor(features = 16, classes = 5) {
    super();
    this.body = new nn.Sequential(new nn.Linear(features, 32), new nn.ReLU(), new nn.Dropout(0.1));
    this.head = new nn.Linear(32, classes);
    this.criterion = new nn.CrossEntropyLoss({ label_smoothing: 0.1 });
  }

  forward(x: Tensor, target: Tensor): Tensor {
    const logits = this.head(this.body(x));
    return this.criterion(logits, target);
  }
}
`,
  },
  {
    name: "a token tagger's per-token CrossEntropyLoss(reduction='none') over [N, C, L] logits",
    model: 'Tagger',
    inputs: [{ shape: [3, 7, 12] }, { shape: [3, 7], classes: 9 }],
    python: `
class Tagger(nn.Module):
    def __init__(self, dim=12, tags=9):
        super().__init__()
        self.rnn = nn.GRU(dim, 16, batch_first=True, bidirectional=True)
        self.out = nn.Linear(32, tags)
        self.loss = nn.CrossEntropyLoss(reduction="none", ignore_index=-100)

    def forward(self, x, tags):
        h, _ = self.rnn(x)
        logits = self.out(h).transpose(1, 2)
        return self.loss(logits, tags)
`,
    typescript: `
/** @inputShape [3, 7, 12] [3, 7] */
export class Tagger extends nn.Module {
  constructor(dim = 12, tags = 9) {
    super();
    this.rnn = new nn.GRU(dim, 16, { batch_first: true, bidirectional: true });
    this.out = new nn.Linear(32, tags);
    this.loss = new nn.CrossEntropyLoss({ reduction: 'none', ignore_index: -100 });
  }

  forward(x: Tensor, tags: Tensor): Tensor {
    const [h] = this.rnn(x);
    const logits = this.out(h).transpose(1, 2);
    return this.loss(logits, tags);
  }
}
`,
  },
  {
    name: "a VAE with MSELoss(reduction='none') summed per sample plus its KL term",
    model: 'VAE',
    inputs: [{ shape: [8, 20] }, { shape: [8, 20] }],
    python: `
class VAE(nn.Module):
    def __init__(self, dim=20, latent=4):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(dim, 32), nn.ReLU(), nn.Linear(32, 2 * latent))
        self.dec = nn.Sequential(nn.Linear(latent, 32), nn.ReLU(), nn.Linear(32, dim))
        self.recon = nn.MSELoss(reduction="none")

    def forward(self, x, y):
        mu, logvar = self.enc(x).chunk(2, dim=-1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        per_element = self.recon(self.dec(z), y)
        kl = -0.5 * torch.sum(1 + logvar - mu * mu - logvar.exp(), dim=1)
        return (per_element.sum(dim=1) + kl).mean()
`,
    typescript: `
/** @inputShape [8, 20] [8, 20] */
export class VAE extends nn.Module {
  constructor(dim = 20, latent = 4) {
    super();
    this.enc = new nn.Sequential(new nn.Linear(dim, 32), new nn.ReLU(), new nn.Linear(32, 2 * latent));
    this.dec = new nn.Sequential(new nn.Linear(latent, 32), new nn.ReLU(), new nn.Linear(32, dim));
    this.recon = new nn.MSELoss({ reduction: 'none' });
  }

  forward(x: Tensor, y: Tensor): Tensor {
    const [mu, logvar] = this.enc(x).chunk(2, -1);
    const z = mu.add(torch.randn_like(mu).mul(torch.exp(logvar.mul(0.5))));
    const perElement = this.recon(this.dec(z), y);
    const kl = torch.sum(logvar.add(1).sub(mu.mul(mu)).sub(logvar.exp()), 1).mul(-0.5);
    return perElement.sum(1).add(kl).mean();
  }
}
`,
  },
  {
    name: 'a triplet loss over one encoder called three times, and a per-sample SmoothL1Loss',
    model: 'Embedder',
    inputs: [{ shape: [6, 10] }, { shape: [6, 10] }, { shape: [6, 10] }],
    python: `
class Embedder(nn.Module):
    def __init__(self, dim=10, out=8):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(dim, 16), nn.ReLU(), nn.Linear(16, out))
        self.triplet = nn.TripletMarginLoss(margin=0.5)
        self.drift = nn.SmoothL1Loss(reduction="none", beta=0.5)

    def forward(self, anchor, positive, negative):
        a = self.encoder(anchor)
        p = self.encoder(positive)
        n = self.encoder(negative)
        return self.triplet(a, p, n) + self.drift(a, p).mean(dim=1)
`,
    typescript: `
/** @inputShape [6, 10] [6, 10] [6, 10] */
export class Embedder extends nn.Module {
  constructor(dim = 10, out = 8) {
    super();
    this.encoder = new nn.Sequential(new nn.Linear(dim, 16), new nn.ReLU(), new nn.Linear(16, out));
    this.triplet = new nn.TripletMarginLoss({ margin: 0.5 });
    this.drift = new nn.SmoothL1Loss({ reduction: 'none', beta: 0.5 });
  }

  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    const a = this.encoder(anchor);
    const p = this.encoder(positive);
    const n = this.encoder(negative);
    return this.triplet(a, p, n).add(this.drift(a, p).mean(1));
  }
}
`,
  },
  {
    name: "distillation: KLDivLoss(reduction='batchmean') between a frozen teacher and a student",
    model: 'Distiller',
    inputs: [{ shape: [5, 12] }],
    python: `
class Distiller(nn.Module):
    def __init__(self, dim=12, classes=6):
        super().__init__()
        self.teacher = nn.Sequential(nn.Linear(dim, 64), nn.GELU(), nn.Linear(64, classes))
        self.student = nn.Linear(dim, classes)
        self.kl = nn.KLDivLoss(reduction="batchmean")
        for p in self.teacher.parameters():
            p.requires_grad = False

    def forward(self, x):
        t = F.softmax(self.teacher(x) / 2.0, dim=-1)
        s = F.log_softmax(self.student(x) / 2.0, dim=-1)
        return self.kl(s, t)
`,
    typescript: `
/** @inputShape [5, 12] */
export class Distiller extends nn.Module {
  constructor(dim = 12, classes = 6) {
    super();
    this.teacher = new nn.Sequential(new nn.Linear(dim, 64), new nn.GELU(), new nn.Linear(64, classes));
    this.student = new nn.Linear(dim, classes);
    this.kl = new nn.KLDivLoss({ reduction: 'batchmean' });
    this.teacher.requires_grad_(false);
  }

  forward(x: Tensor): Tensor {
    const t = F.softmax(this.teacher(x).div(2.0), -1);
    const s = F.log_softmax(this.student(x).div(2.0), -1);
    return this.kl(s, t);
  }
}
`,
  },
];

const PY_HEADER = `import torch
import torch.nn as nn
import torch.nn.functional as F
`;
const TS_HEADER = `// @ts-nocheck -- read by ModelLens as user code
import { nn, torch, F, Tensor } from 'js-pytorch';
`;

interface Truth {
  total: number;
  trainable: number;
  output: number[];
  modules: Record<string, [string, number, number[] | null]>;
}

function torchTruth(file: string, c: Case): Truth {
  const script = [
    'import json, runpy, sys, torch',
    'torch.manual_seed(0)',
    'ns = runpy.run_path(sys.argv[1], run_name="truth")',
    `m = ns[${JSON.stringify(c.model)}]()`,
    `specs = ${JSON.stringify(c.inputs)}`,
    'xs = [torch.randint(0, s["classes"], s["shape"]) if "classes" in s else torch.randn(*s["shape"]) for s in specs]',
    'seen = {}',
    'def first(o):',
    '    return list(o.shape) if isinstance(o, torch.Tensor) else next((first(v) for v in o if first(v) is not None), None) if isinstance(o, (tuple, list)) else None',
    'def hook(name):',
    '    def record(mod, i, o):',
    '        seen.setdefault(name, first(o))',
    '    return record',
    'for name, mod in m.named_modules():',
    '    mod.register_forward_hook(hook(name))',
    'y = m(*xs)',
    'ps = list(m.parameters())',
    'mods = {n: [type(x).__name__, sum(p.numel() for p in x.parameters()), seen.get(n)] for n, x in m.named_modules() if n}',
    'print(json.dumps({"total": sum(p.numel() for p in ps), "trainable": sum(p.numel() for p in ps if p.requires_grad), "output": list(y.shape), "modules": mods}))',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `${PYTHON} could not run ${c.model} (is python3-torch installed?):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

function assertLikeTorch(m: ModelSummary, t: Truth, c: Case): void {
  assert.deepStrictEqual(m.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], 'error diagnostics');
  assert.strictEqual(m.totalParams, t.total, `total (${m.totalsUnknownReason ?? ''})`);
  assert.strictEqual(m.trainableParams, t.trainable, 'trainable');
  assert.deepStrictEqual(m.inputShapes, c.inputs.map((i) => i.shape), 'input shapes');
  assert.deepStrictEqual(m.outputShape, t.output, `output (${m.outputUnknownReason ?? ''})`);
  const rows = m.layers.filter((r) => !r.op && r.family !== 'input');
  for (const [name, [type, count, shape]] of Object.entries(t.modules)) {
    const r = rows.find((x) => x.name === name);
    assert.ok(r, `${name}: no row`);
    assert.strictEqual(r.type, type, `${name}: class`);
    assert.strictEqual(r.totalParams, count, `${name}: parameters`);
    assert.deepStrictEqual(r.notCalled ? null : r.outputShape, shape, `${name}: first output shape (${r.unknownReason ?? ''})`);
  }
  for (const r of rows) assert.ok(r.name in t.modules, `${r.name}: no such module in PyTorch`);
}

describe('loss modules inside user models, in Python and TypeScript, against real PyTorch', () => {
  let dir: string;
  const truths = new Map<Case, Truth>();
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-loss-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function truthOf(c: Case): Truth {
    if (!truths.has(c)) {
      const file = path.join(dir, `${c.model}.py`);
      fs.writeFileSync(file, PY_HEADER + c.python);
      truths.set(c, torchTruth(file, c));
    }
    return truths.get(c)!;
  }

  for (const c of CASES) {
    it(`Python: ${c.name}`, function () {
      this.timeout(120_000);
      const t = truthOf(c);
      const source = PY_HEADER + c.python;
      clearAnalysisCache();
      const m = analyzeSource(path.join(dir, `${c.model}.py`), source, { inputShapes: c.inputs.map((i) => i.shape) }).models.find((x) => x.name === c.model);
      assert.ok(m, `${c.model} is found`);
      assertLikeTorch(m, t, c);
    });

    it(`TypeScript: ${c.name}`, function () {
      this.timeout(120_000);
      const t = truthOf(c);
      const source = TS_HEADER + c.typescript;
      clearAnalysisCache();
      const m = analyzeSource(path.join(dir, `${c.model}.ts`), source).models.find((x) => x.name === c.model);
      assert.ok(m, `${c.model} is found`);
      assertLikeTorch(m, t, c);
    });
  }

  it('Python: a target with no input shape given leaves the loss ? with the reason, the totals exact', function () {
    this.timeout(120_000);
    const c = CASES[0];
    const t = truthOf(c);
    clearAnalysisCache();
    const m = analyzeSource(path.join(dir, `${c.model}.py`), PY_HEADER + c.python, { inputShapes: [c.inputs[0].shape] }).models.find((x) => x.name === c.model);
    assert.ok(m, `${c.model} is found`);
    assert.strictEqual(m.totalParams, t.total);
    assert.strictEqual(m.outputShape, null, `expected ? (PyTorch: ${JSON.stringify(t.output)} with a target)`);
    assert.match(m.outputUnknownReason ?? '', /target/);
  });
});
