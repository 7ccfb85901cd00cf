import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import { parsePython } from '../../src/core/lang/python/parse';

/** The Python front end: the primer's seed through the CLI, the Python model code uses, half-typed and mutated files. */

const ROOT = path.resolve(__dirname, '../../..');

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

/** Runs a Python program with the system's real PyTorch and reads the JSON it prints last. */
function pytorch(program: string): [number, number[]] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-py-'));
  try {
    const file = path.join(dir, 'truth.py');
    fs.writeFileSync(file, 'import json\n' + program);
    const r = spawnSync('/usr/bin/python3', [file], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`real PyTorch failed (is python3-torch installed?): ${r.stderr || r.error}`);
    const lines = r.stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function analyze(text: string, file = '/virtual/model.py') {
  clearAnalysisCache();
  return analyzeSource(file, text, { host: { readFile: () => undefined } });
}

describe('Python front end', () => {
  it('prints the seed table for the primer\'s Python SimpleMLP byte for byte, as for the TypeScript one', () => {
    const py = cli('summary', path.join(ROOT, 'examples/python/simple_mlp.py'));
    const ts = cli('summary', path.join(ROOT, 'examples/simple-mlp.ts'));
    assert.strictEqual(py.code, 0, py.err);
    assert.strictEqual(ts.code, 0, ts.err);
    assert.strictEqual(py.out, ts.out);
    assert.match(py.out, /Total params: 333,853\n/);
  });

  it('reads the input shape from an example input, an @inputShape comment, or the CLI, in that order', () => {
    const cls = `import torch\nfrom torch import nn\n# @inputShape [8, 20]\nclass Net(nn.Module):\n    def __init__(self, n=20):\n        super().__init__()\n        self.fc = nn.Linear(n, 5)\n    def forward(self, x):\n        return self.fc(x)\n`;
    assert.deepStrictEqual(analyze(cls).models[0].outputShape, [8, 5]);
    assert.strictEqual(analyze(cls).models[0].inputShapeSource, '@inputShape');
    const withInput = cls + `model = Net()\nx = torch.randn(3, 20)\nout = model(x)\n`;
    const m = analyze(withInput).models[0];
    assert.deepStrictEqual(m.outputShape, [3, 5]);
    assert.strictEqual(m.inputShapeSource, 'example input');
  });

  it('follows the Python model code uses: loops, comprehensions, keyword-only args, *layers, f-strings, dataclass configs, F.*, view/size, torch.cat, +=', function () {
    this.timeout(300_000); // starting real PyTorch on a loaded machine
    const src = `import math
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn import Linear


@dataclass
class Config:
    width: int = 16
    depth: int = 3
    classes: int = 10


class Block(nn.Module):
    def __init__(self, c, *, expand=2):
        super().__init__()
        hidden = c * expand
        self.conv1 = nn.Conv2d(c, hidden, kernel_size=3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(hidden)
        self.conv2 = nn.Conv2d(hidden, c, 3, padding=1, bias=False)

    def forward(self, x):
        identity = x
        out = F.relu(self.bn1(self.conv1(x)), inplace=True)
        out = self.conv2(out)
        out += identity
        return F.relu(out)


class Net(nn.Module):
    def __init__(self, cfg: Config = Config()):
        super().__init__()
        layers = [nn.Conv2d(3, cfg.width, 3, padding=1), nn.ReLU(inplace=True)]
        for i in range(cfg.depth):
            layers.append(Block(cfg.width, expand=2 if i % 2 == 0 else 1))
        self.features = nn.Sequential(*layers)
        self.heads = nn.ModuleList([Linear(cfg.width * 2, cfg.classes) for _ in range(2)])
        self.name = f"net{cfg.depth}"
        assert cfg.width > 0, "width must be positive"

    def forward(self, x):
        x = self.features(x)
        a = F.adaptive_avg_pool2d(x, 1).view(x.size(0), -1)
        b = torch.flatten(F.adaptive_max_pool2d(x, (1, 1)), 1)
        y = torch.cat([a, b], dim=1)
        h1, h2 = [head(y) for head in self.heads]
        return h1 + h2 * math.sqrt(2)


model = Net()
summary(model, input_size=(2, 3, 32, 32))
`;
    const r = analyze(src);
    const net = r.models.find((m) => m.name === 'Net')!;
    assert.ok(net, JSON.stringify(r.diagnostics));
    // The truth: the same file run by real PyTorch (Debian's python3-torch), now.
    const truth = pytorch(src.replace(/^summary\(model.*$/m, 'print(json.dumps([sum(p.numel() for p in model.parameters()), list(model(torch.randn(2, 3, 32, 32)).shape)]))'));
    assert.strictEqual(net.totalParams, truth[0]);
    assert.deepStrictEqual(net.outputShape, truth[1]);
    assert.strictEqual(net.inputShapeSource, 'summary() call');
  });

  it('says `?` with a reason, never a guess, where a size has no static value', () => {
    const src = `import torch.nn as nn\nimport os\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(int(os.environ["N"]), 4)\n    def forward(self, x):\n        return self.fc(x)\n`;
    const m = analyze(src).models[0];
    assert.strictEqual(m.totalParams, null);
    assert.ok(m.layers.some((l) => l.unknownReason), JSON.stringify(m.layers));
  });

  it('a name assigned under a condition with no static value is ? after it, not that branch\'s value', () => {
    const cls = (flag: string) => `import torch\nimport torch.nn as nn\nimport os\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.flag = ${flag}\n        self.pool = nn.MaxPool2d(2)\n        self.conv = nn.Conv2d(3, 8, 3)\n    def forward(self, x):\n        if self.flag:\n            x = self.pool(x)\n        return self.conv(x)\n`;
    // Real PyTorch: each value of the flag gives conv another output shape.
    const run = 'model = Net()\nprint(json.dumps([sum(p.numel() for p in model.parameters()), list(model(torch.randn(1, 3, 32, 32)).shape)]))\n';
    const withPool = pytorch(cls('True') + run);
    const without = pytorch(cls('False') + run);
    assert.notDeepStrictEqual(withPool[1], without[1]);
    const exact = analyze(cls('True') + 'model = Net()\ny = model(torch.randn(1, 3, 32, 32))\n').models[0];
    assert.deepStrictEqual(exact.outputShape, withPool[1], 'a known flag: exact');
    const m = analyze(cls('os.environ.get("POOL") == "1"') + 'model = Net()\ny = model(torch.randn(1, 3, 32, 32))\n').models[0];
    const conv = m.layers.find((l) => l.name === 'conv')!;
    assert.strictEqual(conv.outputShape, null, 'conv\'s input depends on the branch');
    assert.match(conv.unknownReason ?? '', /the condition `self.flag` has no static value/);
    assert.strictEqual(conv.params, withPool[0] - 0, 'its parameters do not (pool has none)');
    assert.strictEqual(m.outputShape, null);
    // A check decided on such a name raised falsely (torchvision's ssdlite320_mobilenet_v3_large).
    const check = analyze(`import os\nimport torch.nn as nn\ndef build():\n    out = [8]\n    if os.environ.get("X"):\n        out = [8, 16]\n    if len(out) != 1:\n        raise ValueError("bad")\n    return nn.Linear(out[0], 2)\n`);
    assert.deepStrictEqual(check.models.flatMap((x) => x.diagnostics).filter((d) => d.severity === 'error'), []);
  });

  it('keeps both classes of a half-typed file (an unclosed nn.Linear(784, and a dangling self.)', () => {
    const half = `import torch.nn as nn\n\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc1 = nn.Linear(784,\n        self.fc2 = nn.Linear(256, 10)\n\n    def forward(self, x):\n        return self.fc2(self.fc1(x))\n\nclass B(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.conv = nn.Conv2d(3, 8, 3)\n        self.x = self.\n`;
    const r = analyze(half);
    assert.deepStrictEqual(r.models.map((m) => m.name), ['A', 'B']);
    assert.ok(r.diagnostics.some((d) => d.code === 'syntax'));
    // A's first layer is cut off mid-call: its total is unknown, not a partial sum.
    assert.strictEqual(r.models[0].totalParams, null);
  });

  it('parses every installed torchvision model file without a syntax error', () => {
    const dir = '/usr/lib/python3/dist-packages/torchvision/models';
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.py'));
    assert.ok(files.length > 15, 'python3-torchvision is not installed');
    for (const f of files) assert.deepStrictEqual(parsePython(fs.readFileSync(path.join(dir, f), 'utf8')).errors, [], f);
  });

  it('survives truncated and mutated real files: no exception, a bounded number of steps', () => {
    const text = fs.readFileSync('/usr/lib/python3/dist-packages/torchvision/models/resnet.py', 'utf8');
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const junk = ['(', ')', ':', ',', '[', ']', 'self.', 'nn.Linear(', '\n    ', 'def ', 'class X(nn.Module):', '**', '*', '"', "'''", '0', '-1'];
    for (let i = 0; i < 60; i++) {
      let t = text.slice(0, rnd(text.length));
      for (let k = 0; k < 5; k++) {
        const p = rnd(t.length + 1);
        t = t.slice(0, p) + junk[rnd(junk.length)] + t.slice(p + rnd(4));
      }
      clearAnalysisCache();
      const r = analyzeSource(`/virtual/fuzz${i}.py`, t, { host: { readFile: () => undefined }, budget: 20_000 });
      assert.ok(!r.diagnostics.some((d) => d.code === 'internal'), JSON.stringify(r.diagnostics.filter((d) => d.code === 'internal')));
    }
  });
});
