// Python in Restricted Mode, next to a Python language extension. The folder is untrusted
// (scripts/run-integration.mjs --restricted) and a stand-in for the Python extension and Pylance
// is loaded beside ModelLens (test/fixtures/fake-python-extension: the offline test host has no
// Marketplace, so the real ones cannot be installed). It contributes, as they do, its own CodeLens,
// hover, diagnostics and code actions for `python`, a command and menu entries. ModelLens must show PyTorch's
// numbers on examples/python/embedding.py (truth: real PyTorch, /usr/bin/python3 with Debian's
// python3-torch, run on the same file now) while the neighbour's lenses, hovers and diagnostics
// stay, and neither extension's commands reach the other's.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as vscode from 'vscode';
import { sizeText } from '../../src/extension/numbers';
import { activate, example, hoverText, lenses, modellensDiagnostics, positionOf, waitFor } from '../integration/helpers';

const NEIGHBOUR = 'modellens-tests.fake-python';

/** Real PyTorch on the workspace's copy of the example: total, output shape, each child's parameters and output shape. */
const TRUTH = `
import json, runpy, sys
import torch
torch.manual_seed(0)
model = runpy.run_path(sys.argv[1])["model"]
shapes = {}
for name, mod in model.named_children():
    mod.register_forward_hook(lambda m, i, o, name=name: shapes.__setitem__(name, list(o.shape)))
out = model(torch.randint(0, 1000, (32, 2)))
print(json.dumps({
    "total": sum(p.numel() for p in model.parameters()),
    "out": list(out.shape),
    "children": [[n, sum(p.numel() for p in m.parameters()), shapes[n]] for n, m in model.named_children()],
}))
`;

interface Truth {
  total: number;
  out: number[];
  children: [string, number, number[]][];
}

const commas = (n: number) => n.toLocaleString('en-US');
const lineOf = (doc: vscode.TextDocument, needle: string) => positionOf(doc, needle).line + 1;

async function hoversAt(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? [];
}

/** Every lens on the document, whoever contributed it. */
async function allLenses(uri: vscode.Uri): Promise<{ line: number; title: string; command: string }[]> {
  const got = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return got.filter((l) => l.command).map((l) => ({ line: l.range.start.line + 1, title: l.command!.title, command: l.command!.command }));
}

describe('Python in Restricted Mode, next to a Python language extension', function () {
  this.timeout(180_000);
  let doc: vscode.TextDocument;
  let truth: Truth;
  const child = (n: string) => {
    const c = truth.children.find(([name]) => name === n);
    assert.ok(c, `PyTorch has no child ${n}`);
    return c;
  };

  before(async () => {
    await activate();
    const uri = example('python/embedding.py');
    truth = JSON.parse(execFileSync('/usr/bin/python3', ['-c', TRUTH, uri.fsPath], { encoding: 'utf8', timeout: 300_000 })) as Truth;
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the workspace is untrusted and the neighbour extension is active on the Python document', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    assert.strictEqual(doc.languageId, 'python');
    const neighbour = vscode.extensions.getExtension(NEIGHBOUR);
    assert.ok(neighbour, `${NEIGHBOUR} is not loaded: run-integration.mjs --restricted loads test/fixtures/fake-python-extension`);
    await waitFor('the neighbour to activate on python', () => (neighbour.isActive ? true : undefined));
  });

  it('lenses: ModelLens\'s with PyTorch\'s numbers, and the neighbour\'s still there', async () => {
    const ours = await waitFor('ModelLens\'s lenses', async () => {
      const l = await lenses(doc.uri);
      return l.length > 0 ? l : undefined;
    });
    const modelLine = lineOf(doc, 'model = TwoTower()');
    const onModel = ours.filter((l) => l.line === modelLine).map((l) => l.title);
    assert.deepStrictEqual(onModel, [`${commas(truth.total)} params · ${sizeText(truth.total * 4)} · [${truth.out.join(', ')}]`, 'Diagram', 'Run forward pass']);
    for (const [name, needle] of [['users', 'self.users ='], ['items', 'self.items ='], ['mlp', 'self.mlp ='], ['out', 'self.out =']]) {
      const [, params, shape] = child(name);
      const onLine = ours.filter((l) => l.line === lineOf(doc, needle)).map((l) => l.title);
      assert.deepStrictEqual(onLine, [`${commas(params)} params · [${shape.join(', ')}]`], name);
    }
    // The neighbour's lens above the class and each def, beside ModelLens's on the same document.
    const all = await allLenses(doc.uri);
    const theirs = all.filter((l) => l.command === 'fakePython.references');
    assert.deepStrictEqual(theirs.map((l) => l.line), ['class TwoTower', 'def __init__', 'def forward'].map((n) => lineOf(doc, n)));
    assert.strictEqual(all.length, ours.length + theirs.length, 'every lens is ModelLens\'s or the neighbour\'s');
  });

  it('hover: ModelLens\'s formula and the neighbour\'s hover side by side', async () => {
    const [, users] = child('users');
    const hovers = await hoversAt(doc, positionOf(doc, 'nn.Embedding(n_users', 4));
    const text = hoverText(hovers);
    assert.ok(text.includes(`1,000 × 32 = ${commas(users)}`), text);
    assert.ok(text.includes('fake-python: `Embedding`'), text);
    assert.ok(hovers.length >= 2, `${hovers.length} hovers`);
  });

  it('Summarize Model returns PyTorch\'s numbers and opens its panel', async () => {
    const json = await vscode.commands.executeCommand<{ models: { name: string; totalParams: number; outputShape: number[]; layers: { name: string; depth: number; totalParams: number; outputShape: number[] }[] }[] }>('modellens.summarizeModel', doc.uri, 'TwoTower');
    assert.ok(json);
    const [m] = json.models;
    assert.deepStrictEqual([m.name, m.totalParams, m.outputShape], ['TwoTower', truth.total, truth.out]);
    assert.deepStrictEqual(m.layers.filter((l) => l.depth === 1).map((l) => [l.name, l.totalParams, l.outputShape]), truth.children);
    const tab = await waitFor('the summary tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('modellens.summary') && t.label === 'Summary: TwoTower'),
    );
    await vscode.window.tabGroups.close(tab);
  });

  it('diagnostics: ModelLens\'s carry source ModelLens and sit beside the neighbour\'s, which stay', async () => {
    // A shape mismatch PyTorch raises at its first call: Linear(128, 256) then Linear(516, 10).
    const uri = example('python/mismatch_untrusted.py');
    const text = [
      'import torch',
      'import torch.nn as nn',
      '',
      '',
      'class Mismatch(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc1 = nn.Linear(128, 256)',
      '        self.fc2 = nn.Linear(516, 10)',
      '',
      '    def forward(self, x):',
      '        return self.fc2(self.fc1(x))',
      '',
      '',
      'model = Mismatch()',
      'model(torch.randn(64, 128))',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const raised = execFileSync('/usr/bin/python3', ['-c', 'import runpy, sys\ntry:\n    runpy.run_path(sys.argv[1])\nexcept RuntimeError as e:\n    print(e)', uri.fsPath], { encoding: 'utf8', timeout: 300_000 });
    assert.match(raised, /cannot be multiplied \(64x256 and 516x10\)/, 'real PyTorch raises on this model');

    const mismatch = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(mismatch);
    const all = await waitFor('both extensions\' diagnostics', () => {
      const ds = vscode.languages.getDiagnostics(uri);
      return ds.some((d) => d.source === 'ModelLens') && ds.some((d) => d.source === 'Pylance') ? ds : undefined;
    });
    const ours = modellensDiagnostics(uri);
    assert.deepStrictEqual(ours.map((d) => [d.code, d.message, mismatch.getText(d.range)]), [['shape-mismatch', 'fc2 expects 516 input features but receives 256 from fc1', 'nn.Linear(516, 10)']]);
    const theirs = all.filter((d) => d.source === 'Pylance');
    assert.deepStrictEqual(theirs.map((d) => [d.message, d.range.start.line]), [['Import "torch" could not be resolved', 0], ['Import "torch" could not be resolved', 1]]);
    assert.strictEqual(all.length, ours.length + theirs.length, `a diagnostic with another source: ${all.map((d) => d.source).join(', ')}`);

    // ModelLens's quick fix clears its own problem; the neighbour's diagnostics are untouched.
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, ours[0].range)) ?? [];
    const fix = actions.find((a) => a.title === 'Change in_features to 256');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(actions.some((a) => a.title === 'fake-python: organize imports'), `the neighbour's code action is missing: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await waitFor('ModelLens\'s diagnostic to clear', () => (modellensDiagnostics(uri).length === 0 ? true : undefined));
    assert.strictEqual(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Pylance').length, 2);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('commands and menus: no id shared, each extension\'s command reaches its own handler', async () => {
    const ours = vscode.extensions.getExtension('modellens.modellens')!.packageJSON.contributes;
    const theirs = vscode.extensions.getExtension(NEIGHBOUR)!.packageJSON.contributes;
    const ids = (c: { commands: { command: string }[] }) => c.commands.map((x) => x.command);
    assert.deepStrictEqual(ids(ours).filter((id) => ids(theirs).includes(id)), []);
    // Every menu entry ModelLens contributes runs one of its own commands.
    for (const [menu, entries] of Object.entries(ours.menus as Record<string, { command: string }[]>)) {
      for (const e of entries) assert.ok(ids(ours).includes(e.command), `${menu}: ${e.command} is not ModelLens's`);
    }
    assert.deepStrictEqual(ours.keybindings ?? [], [], 'ModelLens binds no keys that could take a neighbour\'s');
    const registered = await vscode.commands.getCommands(true);
    for (const id of [...ids(ours), ...ids(theirs)]) assert.ok(registered.includes(id), `${id} is not registered`);
    assert.strictEqual(await vscode.commands.executeCommand('fakePython.runFile'), NEIGHBOUR);
    // ModelLens's command answers for ModelLens on the same document.
    const json = await vscode.commands.executeCommand<{ models: { name: string }[] }>('modellens.summarizeModel', doc.uri, 'TwoTower');
    assert.strictEqual(json?.models[0].name, 'TwoTower');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
