import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { torchCounts } from './helpers/torchCounts';
import { analyzeSource, clearAnalysisCache } from '../../src/core/analyze';

/**
 * What Python model files do to a model besides building it — `del`, freezing through a layer's or
 * the module's own methods, init loops over modules()/parameters()/apply(), and a script's top
 * level after `model = Net()` (fine-tuning edits, a training loop over a data loader, a branch
 * ModelLens cannot decide) — against real PyTorch run on the same file at test time. A case marked
 * exact must give PyTorch's total and trainable count; any other case may also be `?` with a
 * reason. A different definite number always fails: that is the bug this file guards against.
 */


const HEADER = `import os
import torch
import torch.nn as nn

# A size ModelLens cannot know statically, fixed when run: the environment variable is unset.
UNKNOWN = len(os.environ.get("MODELLENS_UNSET_VARIABLE", "xxxxxx"))


class Net(nn.Module):
    def __init__(self, n=3):
        super().__init__()
        self.convs = nn.ModuleList()
        for i in range(n):
            self.convs.append(nn.Conv2d(4 if i else 3, 4, 3, padding=1))
        self.fc = nn.Linear(4, 10)
        self.extra = nn.Linear(10, 10)
        self.scale = nn.Parameter(torch.ones(1))
        INIT

    def forward(self, x):
        for c in self.convs:
            x = torch.relu(c(x))
        return self.fc(x.mean((2, 3))) * self.scale


model = Net()
`;

const CASES: { name: string; exact: boolean; init?: string; after?: string }[] = [
  { name: 'del self.extra unregisters the layer', exact: true, init: 'del self.extra' },
  { name: 'a layer frozen by its requires_grad_(False)', exact: true, init: 'self.fc.requires_grad_(False)' },
  { name: 'a container item frozen by requires_grad_(False)', exact: true, init: 'self.convs[0].requires_grad_(False)' },
  { name: 'the whole module frozen in __init__', exact: true, init: 'self.requires_grad_(False)' },
  { name: 'a freeze loop over self.parameters()', exact: true, init: 'for p in self.parameters():\n            p.requires_grad = False' },
  { name: "a freeze loop over a ModuleList's parameters()", exact: true, init: 'for p in self.convs.parameters():\n            p.requires_grad = False' },
  { name: 'an init loop over self.modules() freezing conv weights', exact: true, init: 'for m in self.modules():\n            if isinstance(m, nn.Conv2d):\n                m.weight.requires_grad = False' },
  { name: 'apply() runs its function on every submodule', exact: true, init: 'self.apply(lambda m: m.requires_grad_(False) if isinstance(m, nn.Linear) else None)' },
  { name: 'a parameter set to None is gone', exact: true, init: 'self.scale = None' },
  { name: 'extend() with a list ModelLens cannot read', exact: false, init: 'self.convs.extend([nn.Conv2d(4, 4, 1)] * (UNKNOWN - 5))' },
  { name: 'an unknown method of a layer may change it', exact: false, init: 'getattr(self.fc, "requires_grad_")(UNKNOWN > 99)' },
  { name: 'fine-tuning: freeze everything, then a new head', exact: true, after: 'for p in model.parameters():\n    p.requires_grad = False\nmodel.fc = nn.Linear(4, 2)' },
  { name: 'eval() and to() return the model', exact: true, after: "model.eval()\nmodel = model.to('cpu')" },
  { name: 'del model.extra at the top level', exact: true, after: 'del model.extra' },
  { name: 'model.requires_grad_(False) at the top level', exact: true, after: 'model.requires_grad_(False)' },
  { name: 'a ModuleList item replaced at the top level', exact: false, after: 'model.convs[1] = nn.Identity()' },
  { name: 'moving to the GPU when there is one', exact: true, after: 'if torch.cuda.is_available():\n    model = model.cuda()' },
  { name: 'a new head behind a condition ModelLens cannot decide', exact: false, after: 'if UNKNOWN > 5:\n    model.fc = nn.Linear(4, 5)' },
  {
    name: 'a training loop over a data loader changes no layer',
    exact: true,
    after: [
      'loader = [(torch.randn(2, 3, 8, 8), torch.tensor([0, 1]))] * UNKNOWN',
      'criterion = nn.CrossEntropyLoss()',
      'optimizer = torch.optim.SGD(model.parameters(), lr=0.1)',
      'for xb, yb in loader:',
      '    optimizer.zero_grad()',
      '    loss = criterion(model(xb), yb)',
      '    loss.backward()',
      '    optimizer.step()',
    ].join('\n'),
  },
  {
    name: 'a helper that freezes, called inside a loop ModelLens cannot follow',
    exact: false,
    after: 'def freeze(m):\n    for p in m.parameters():\n        p.requires_grad = False\n\nfor epoch in range(UNKNOWN):\n    if epoch == 5:\n        freeze(model.convs)',
  },
  { name: 'a layer reached through an object ModelLens cannot read gets a new weight', exact: false, after: 'import types\nholder = types.SimpleNamespace()\nholder.x = model.fc\nholder.x.weight = nn.Parameter(torch.zeros(10, 4, 3))' },
  { name: 'setattr with a name ModelLens cannot know', exact: false, after: 'for k in os.environ.get("MODELLENS_UNSET_VARIABLE", "fc").split():\n    setattr(model, k, nn.Linear(4, 99))' },
];

/** Real PyTorch's counts for the file's model. */
function torchTruth(file: string): { total: number; trainable: number } {
  return torchCounts(file, 'model', { MODELLENS_UNSET_VARIABLE: '' });
}

describe('Python: what a file does to its model after building it, against real PyTorch', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-pyafter-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(c.name, function () {
      this.timeout(120_000);
      const source = HEADER.replace('INIT', (c.init ?? 'pass').replace(/\n/g, '\n')) + (c.after ? `\n${c.after}\n` : '');
      const file = path.join(dir, `${c.name.replace(/\W+/g, '_')}.py`);
      fs.writeFileSync(file, source);
      const truth = torchTruth(file);
      clearAnalysisCache();
      // The instance (`model = Net()`) is the model the file runs.
      const m = analyzeSource(file, source).models.find((x) => x.name === 'Net' && x.line > 20);
      assert.ok(m, 'the model instance is found');
      if (m.totalParams === null || m.trainableParams === null) {
        assert.ok(!c.exact, `expected PyTorch's ${truth.total} (${truth.trainable} trainable) exactly, got ? (${m.totalsUnknownReason})`);
        assert.ok(m.totalsUnknownReason, 'an unknown total says why');
        return;
      }
      assert.deepStrictEqual([m.totalParams, m.trainableParams], [truth.total, truth.trainable], 'total and trainable, as PyTorch counts them');
    });
  }
});
