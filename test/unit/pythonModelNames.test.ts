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
