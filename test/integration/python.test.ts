// Python documents inside the real VS Code: lenses, hover, Summarize Model, the diagram, the
// forward pass, diagnostics with quick fixes and the input-shape action on `.py` files, with VS
// Code's built-in `python` language (no Python extension is installed in the test host). The model
// is written into the workspace copy by this suite (a package imported absolutely and, inside it,
// relatively) and its truth comes from real PyTorch (/usr/bin/python3 with Debian's python3-torch)
// run on the same files now.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { analyzeSource } from '../../src/core/analyze';
import { buildDiagramGraph } from '../../src/core/graph';
import type { ModelLensExports } from '../../src/extension/extension';
import { activate, example, hoverText, lenses, modellensDiagnostics, openUntitled, positionOf, waitFor } from './helpers';

const MODEL = [
  'import torch',
  'import torch.nn as nn',
  'import torch.nn.functional as F',
  '',
  'from pkg import Head',
  '',
  '',
  'class TinyCNN(nn.Module):',
  '    def __init__(self, num_classes=10):',
  '        super().__init__()',
  '        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)',
  '        self.pool = nn.MaxPool2d(2)',
  '        self.fc1 = nn.Linear(8 * 14 * 14, 32)',
  '        self.head = Head(32, num_classes)',
  '',
  '    def forward(self, x):',
  '        x = self.pool(F.relu(self.conv1(x)))',
  '        x = x.view(x.size(0), -1)',
  '        x = F.relu(self.fc1(x))',
  '        return self.head(x)',
  '',
  '',
  'model = TinyCNN()',
  'x = torch.randn(4, 1, 28, 28)',
  'model(x)',
  '',
].join('\n');

const PKG_INIT = 'from .blocks import Head\n';
const PKG_BLOCKS = [
  'import torch.nn as nn',
  '',
  '',
  'class Head(nn.Module):',
  '    def __init__(self, features, classes):',
  '        super().__init__()',
  '        self.drop = nn.Dropout(0.1)',
  '        self.out = nn.Linear(features, classes)',
  '',
  '    def forward(self, x):',
  '        return self.out(self.drop(x))',
  '',
].join('\n');

/** Real PyTorch on the same files: total, output shape, and each child's parameters and output shape. */
const TRUTH = `
import json, runpy, sys, os
import torch
sys.path.insert(0, os.path.dirname(sys.argv[1]))
torch.manual_seed(0)
model = runpy.run_path(sys.argv[1])["model"]
shapes = {}
for name, mod in model.named_children():
    mod.register_forward_hook(lambda m, i, o, name=name: shapes.__setitem__(name, list(o.shape)))
out = model(torch.randn(4, 1, 28, 28))
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

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const commas = (n: number) => n.toLocaleString('en-US');

async function hoverAt(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  return hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? []);
}

function webviewTabs(kind: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(kind));
}

describe('Python documents', function () {
  this.timeout(180_000);
  let api: ModelLensExports;
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;
  let truth: Truth;

  before(async () => {
    api = (await activate()).exports as ModelLensExports;
    // The workspace is a temporary copy of examples/ (scripts/vscode-host.mjs): written files go with it.
    const dir = example('python');
    uri = vscode.Uri.joinPath(dir, 'editor_net.py');
    const write = (u: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(u, new TextEncoder().encode(text));
    await write(vscode.Uri.joinPath(dir, 'pkg', '__init__.py'), PKG_INIT);
    await write(vscode.Uri.joinPath(dir, 'pkg', 'blocks.py'), PKG_BLOCKS);
    await write(uri, MODEL);
    truth = JSON.parse(execFileSync('/usr/bin/python3', ['-c', TRUTH, uri.fsPath], { encoding: 'utf8', timeout: 300_000 })) as Truth;
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
  });

  it('is a python document from VS Code\'s own grammar, with no Python extension installed', () => {
    assert.strictEqual(doc.languageId, 'python');
    assert.strictEqual(vscode.extensions.getExtension('ms-python.python'), undefined);
  });

  it('lenses: the model (on `model = TinyCNN()`), its buttons, and one per layer holding weights, with PyTorch\'s counts', async () => {
    const got = await waitFor('the Python lenses', async () => {
      const l = await lenses(uri);
      return l.length > 0 ? l : undefined;
    });
    const modelLine = lineOf(MODEL, 'model = TinyCNN()');
    const onModel = got.filter((l) => l.line === modelLine);
    assert.deepStrictEqual(onModel.map((l) => l.title).slice(1), ['Diagram', 'Run forward pass']);
    assert.match(onModel[0].title, new RegExp(`^${commas(truth.total)} params · [0-9.]+ (?:B|KB|MB) · \\[${truth.out.join(', ')}\\]$`));
    assert.deepStrictEqual(onModel[0].args.map(String), [uri.toString(), 'TinyCNN']);
    const child = (n: string) => truth.children.find(([name]) => name === n)!;
    // Parameter-free layers (pool) have no lens; the imported Head is one row holding its Linear.
    assert.deepStrictEqual(
      got.filter((l) => l.line !== modelLine).map((l) => [l.line, l.title]),
      ['conv1', 'fc1', 'head'].map((n) => [lineOf(MODEL, `self.${n} =`), `${commas(child(n)[1])} params · [${child(n)[2].join(', ')}]`]),
    );
  });

  it('hover: nn.Linear with its filled formula, and self.fc1 in forward names the same layer', async () => {
    const [, fc1Params] = truth.children.find(([n]) => n === 'fc1')!;
    const formula = `1,568 × 32 + 32 = ${commas(fc1Params)}`;
    const onCtor = await hoverAt(doc, positionOf(doc, 'nn.Linear(8 * 14', 4));
    assert.ok(onCtor.includes(formula), onCtor);
    assert.ok(onCtor.includes('`[4, 1568]` → `[4, 32]`'), onCtor);
    assert.ok(onCtor.includes('(https://pytorch.org/docs/stable/generated/torch.nn.Linear.html)'), onCtor);
    const onField = await hoverAt(doc, positionOf(doc, 'self.fc1(x)', 'self.'.length + 1));
    assert.ok(onField.includes(formula), onField);
    // An argument is not the layer.
    assert.ok(!(await hoverAt(doc, positionOf(doc, '8 * 14 * 14', 4))).includes(formula));
  });

  it('Summarize Model returns the JSON contract (PyTorch\'s numbers) and opens the panel', async () => {
    const json = await vscode.commands.executeCommand<{ models: { name: string; totalParams: number; outputShape: number[]; inputShape: number[]; layers: { name: string; depth: number; totalParams: number; outputShape: number[] }[] }[] }>('modellens.summarizeModel', uri, 'TinyCNN');
    assert.ok(json);
    const [m] = json.models;
    assert.deepStrictEqual([m.name, m.totalParams, m.inputShape, m.outputShape], ['TinyCNN', truth.total, [4, 1, 28, 28], truth.out]);
    assert.deepStrictEqual(
      m.layers.filter((l) => l.depth === 1).map((l) => [l.name, l.totalParams, l.outputShape]),
      truth.children,
    );
    const tab = await waitFor('the summary tab', () => webviewTabs('modellens.summary').find((t) => t.label === 'Summary: TinyCNN'));
    await vscode.window.tabGroups.close(tab);
  });

  it('the diagram draws the core\'s graph of the Python model', async () => {
    const model = analyzeSource(uri.fsPath, MODEL, { roots: [path.dirname(example('.').fsPath)] }).models[0];
    const graph = buildDiagramGraph(model);
    const shown = await vscode.commands.executeCommand('modellens.showDiagram', uri, 'TinyCNN');
    assert.deepStrictEqual(shown, { model: 'TinyCNN', nodes: graph.nodes.length, edges: graph.edges.length, groups: graph.groups.length });
    await waitFor('the webview to report its drawing', () => (api.diagramTesting.rendered(uri, 'TinyCNN')?.view === 'graph' ? true : undefined));
    await vscode.window.tabGroups.close(webviewTabs('modellens.diagram'));
  });

  it('the sample forward pass runs the Python model in tfjs and agrees with the static analysis', async () => {
    const r = await vscode.commands.executeCommand<{ totalParams?: number; outputShape?: number[]; findings?: unknown[]; error?: unknown }>('modellens.runForwardPass', uri, 'TinyCNN');
    assert.ok(r && !r.error, JSON.stringify(r?.error));
    assert.deepStrictEqual([r.totalParams, r.outputShape, r.findings], [truth.total, truth.out, []]);
    await vscode.window.tabGroups.close(webviewTabs('modellens.summary'));
  });

  it('an untitled Python document: a shape mismatch, its quick fix on the argument, and the problem gone', async () => {
    const text = [
      'import torch.nn as nn',
      '',
      '# @inputShape [64, 128]',
      'class Mismatch(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc1 = nn.Linear(128, 256)',
      '        self.fc2 = nn.Linear(516, 10)',
      '',
      '    def forward(self, x):',
      '        return self.fc2(self.fc1(x))',
    ].join('\n');
    const untitled = await openUntitled(text, 'python');
    const d = await waitFor('the mismatch diagnostic', () => modellensDiagnostics(untitled.uri).find((x) => x.code === 'shape-mismatch'));
    assert.strictEqual(d.message, 'fc2 expects 516 input features but receives 256 from fc1');
    assert.strictEqual(untitled.getText(d.range), 'nn.Linear(516, 10)');
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', untitled.uri, d.range)) ?? [];
    const fix = actions.find((a) => a.title === 'Change in_features to 256');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(untitled.lineAt(7).text.trim(), 'self.fc2 = nn.Linear(256, 10)');
    await waitFor('the diagnostic to clear', () => (modellensDiagnostics(untitled.uri).length === 0 ? true : undefined));
    // PyTorch: Linear(128, 256) + Linear(256, 10) = 33,024 + 2,570; float32: 142,376 bytes = 139.0 KB.
    await waitFor('the lens to count 35,594', async () => ((await lenses(untitled.uri))[0]?.title === '35,594 params · 139.0 KB · [64, 10]' ? true : undefined));
  });

  it('Set input shape… writes `# @inputShape` above the Python class and the lenses follow', async () => {
    const untitled = await openUntitled(
      ['import torch.nn as nn', '', '', 'class Tiny(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.fc = nn.Linear(10, 4)', '', '    def forward(self, x):', '        return self.fc(x)', ''].join('\n'),
      'python',
    );
    const lens = await waitFor('the Set input shape… lens', async () => (await lenses(untitled.uri)).find((l) => l.title === 'Set input shape…'));
    // Its tooltip speaks Python: the comment (or docstring line) it writes, not a JSDoc tag.
    const raw = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', untitled.uri, 100)) ?? [];
    const tooltip = String(raw.find((l) => l.command?.title === 'Set input shape…')?.command?.tooltip);
    assert.match(tooltip, /`# @inputShape \[64, 128\]` comment above the model's class/);
    assert.doesNotMatch(tooltip, /JSDoc/);
    // The input box is stubbed as in codeLens.test.ts: it accepts the proposal at once.
    const window = vscode.window as { showInputBox: typeof vscode.window.showInputBox };
    const real = window.showInputBox;
    const asked: vscode.InputBoxOptions[] = [];
    window.showInputBox = async (o?: vscode.InputBoxOptions) => {
      asked.push(o ?? {});
      return o?.value;
    };
    let written: boolean | undefined;
    try {
      written = await vscode.commands.executeCommand<boolean>(lens.command, ...lens.args);
    } finally {
      window.showInputBox = real;
    }
    assert.deepStrictEqual([asked.length, asked[0]?.value, written], [1, '1, 10', true]);
    assert.strictEqual(untitled.lineAt(3).text, '# @inputShape [1, 10]');
    assert.strictEqual(untitled.lineAt(4).text, 'class Tiny(nn.Module):');
    // Linear(10, 4): 10·4 + 4 = 44 parameters (PyTorch), 176 bytes in float32.
    await waitFor('the lens to pick up the tag', async () => ((await lenses(untitled.uri)).some((l) => l.title === '44 params · 176 B · [1, 4]') ? true : undefined));
  });
});
