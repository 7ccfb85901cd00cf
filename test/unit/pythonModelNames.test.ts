import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';
import { formatSummary } from '../../src/core/format';
import { modelTitle } from '../../src/core/summary';

/**
 * The root row of a PyTorch model is named by its module's class, as torchsummary (`Net-6`) and
 * torchinfo (its first line) name it, whatever made the model: a factory function
 * (`def net_small(**kw): return Net(2, **kw)`), one that returns a container, or one of two
 * variables holding instances of one class. The model keeps the name it is found by, and its
 * title shows both (`net_small → Net`). The truth is `type(model).__name__` in real PyTorch.
 */

const PYTHON = '/usr/bin/python3';

const SOURCE = `import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, depth, width=8):
        super().__init__()
        self.body = nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)])
        self.head = nn.Linear(width, 2)

    def forward(self, x):
        return self.head(torch.relu(self.body(x)))


def net_small(**kwargs):
    return Net(2, **kwargs)


def net_wide(width=8, **kwargs):
    model = net_small(width=width, **kwargs)
    return model


def mlp(hidden=16):
    return nn.Sequential(nn.Linear(8, hidden), nn.ReLU(), nn.Linear(hidden, 2))


small = Net(1)
large = Net(3)
`;

/** Model name in ModelLens → the expression that builds it in PyTorch. */
const MODELS: Record<string, string> = { net_small: 'net_small()', net_wide: 'net_wide()', mlp: 'mlp()', small: 'small', large: 'large' };

/**
 * `__module__` and `types.FunctionType` as library code reads them (torchvision's
 * `_log_api_usage_once(self)` on every model): a class or function imported from a package module
 * has that module's dotted name, found from the folders that hold an `__init__.py` when it is
 * imported relatively; a `def` is a FunctionType, a module is not. Here the names decide which
 * layers exist, so a wrong name would be a wrong total.
 */
const BLOCKS = `import types

import torch.nn as nn


def log_usage(obj):
    module = obj.__module__
    if not module.startswith("pkg"):
        module = f"pkg.internal.{module}"
    name = obj.__class__.__name__
    if isinstance(obj, types.FunctionType):
        name = obj.__name__
    return f"{module}.{name}"


def make_head(n):
    return nn.Linear(n, 2)


class Block(nn.Module):
    def __init__(self, n=8):
        super().__init__()
        self.fc = nn.Linear(n, n)
        if log_usage(self) == "pkg.blocks.Block":
            self.known = nn.Linear(n, 3)
        if log_usage(make_head) == "pkg.blocks.make_head":
            self.head = make_head(n)
        if isinstance(self, types.FunctionType):
            self.wrong = nn.Linear(n, 5)

    def forward(self, x):
        return self.head(self.fc(x))
`;

const MODELS_PY = `import torch.nn as nn

from .blocks import Block


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block(8)
        if Block.__module__ == "pkg.blocks":
            self.more = nn.Linear(8, 7)

    def forward(self, x):
        return self.block(x)
`;

describe('Python: __module__ of imported classes and functions, types.FunctionType', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-pymodule-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a relatively imported package module is named as Python names it: the totals are real PyTorch\'s, with no undecided branch', function () {
    this.timeout(120_000);
    fs.mkdirSync(path.join(dir, 'pkg'));
    fs.writeFileSync(path.join(dir, 'pkg', '__init__.py'), '');
    fs.writeFileSync(path.join(dir, 'pkg', 'blocks.py'), BLOCKS);
    fs.writeFileSync(path.join(dir, 'pkg', 'models.py'), MODELS_PY);
    const script = ['import importlib, json, sys', 'sys.path.insert(0, sys.argv[1])', 'm = importlib.import_module("pkg.models").Net()', 'print(json.dumps(sum(p.numel() for p in m.parameters())))'].join('\n');
    const r = spawnSync(PYTHON, ['-c', script, dir], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, `${PYTHON} could not build pkg.models.Net (is python3-torch installed?):\n${r.stderr}`);
    const total = JSON.parse(r.stdout) as number;
    clearAnalysisCache();
    const file = path.join(dir, 'pkg', 'models.py');
    const m = analyzeSource(file, MODELS_PY, { roots: [dir] }).models.find((x) => x.name === 'Net');
    assert.ok(m, 'Net is found');
    assert.strictEqual(m.totalParams, total, `total (${m.totalsUnknownReason ?? ''})`);
    assert.deepStrictEqual(m.diagnostics.filter((d) => d.code === 'unknown-branch').map((d) => d.message), []);
  });
});

describe('Python: a model is named by its class in PyTorch\'s rows, by its maker in ModelLens', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-pynames-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the root row of each model (seed, torchinfo, JSON) is type(model).__name__; the title shows both names', function () {
    this.timeout(120_000);
    const file = path.join(dir, 'models.py');
    fs.writeFileSync(file, SOURCE);
    const script = [
      'import json, runpy, sys',
      'ns = runpy.run_path(sys.argv[1], run_name="truth")',
      `builds = ${JSON.stringify(MODELS)}`,
      'out = {}',
      'for name, build in builds.items():',
      '    m = eval(build, ns)',
      '    out[name] = {"type": type(m).__name__, "total": sum(p.numel() for p in m.parameters())}',
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, `${PYTHON} could not build the models (is python3-torch installed?):\n${r.stderr}`);
    const truth = JSON.parse(r.stdout) as Record<string, { type: string; total: number }>;
    clearAnalysisCache();
    const models = analyzeSource(file, SOURCE, { inputShapes: [[3, 8]] }).models;
    for (const [name, t] of Object.entries(truth)) {
      const m = models.find((x) => x.name === name);
      assert.ok(m, `${name} is found (found: ${models.map((x) => x.name).join(', ')})`);
      assert.strictEqual(m.totalParams, t.total, `${name}: total`);
      assert.strictEqual(m.moduleType, t.type === name ? undefined : t.type, `${name}: its class`);
      const seed = formatSummary(m, 'seed').split('\n');
      const root = seed[seed.findIndex((l) => l.startsWith('Total params')) - 2].trim();
      assert.match(root, new RegExp(`^${t.type}-\\d+ `), `${name}: the seed table's last row`);
      const info = formatSummary(m, 'torchinfo').split('\n');
      assert.match(info[3], new RegExp(`^${t.type} `), `${name}: torchinfo's first row`);
      assert.strictEqual(JSON.parse(formatSummary(m, 'json')).models[0].moduleType, m.moduleType ?? null, `${name}: JSON`);
      assert.strictEqual(modelTitle(m), t.type === name ? name : `${name} → ${t.type}`, `${name}: title`);
    }
  });
});
