// `ModelLens: Show Model Diagram` inside the real VS Code extension host: the command opens the
// diagram webview for every model of every example (both idioms), and the webview, running in
// the workbench, reports the nodes and edges it drew; those equal the graph the core builds
// from the same file in this test. A click is delivered to the panel's message handler (the
// one the webview's postMessage reaches, validation included) and must move the editor; the
// cursor moving in the editor must come back from the webview as a highlighted node.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { analyzeSource } from '../../src/core/analyze';
import { buildDiagramGraph, defaultCollapsed, visibleGraph, type DiagramGraph } from '../../src/core/graph';
import type { ModelSummary } from '../../src/core/summary';
import type { ModelLensExports } from '../../src/extension/extension';
import { activate, example, openExample, waitFor } from './helpers';

interface Shown { model: string; nodes: number; edges: number; groups: number }

let api: ModelLensExports;

function diagramTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('modellens.diagram'));
}

async function closeDiagrams(): Promise<void> {
  const tabs = diagramTabs();
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
  await waitFor('the diagram tabs to close', () => (diagramTabs().length === 0 ? true : undefined));
}

/** The core's own view of a file on disk (what the test expects the diagram to draw). */
function models(file: string, text?: string): ModelSummary[] {
  const p = example(file).fsPath;
  return analyzeSource(p, text ?? fs.readFileSync(p, 'utf8')).models;
}

/** Waits until the webview reports a drawing matching `check`. */
function rendered(uri: vscode.Uri, model: string, what: string, check: (r: NonNullable<ReturnType<ModelLensExports['diagramTesting']['rendered']>>) => boolean, timeoutMs = 90_000) {
  return waitFor(
    `the ${model} diagram to report ${what}`,
    () => {
      const r = api.diagramTesting.rendered(uri, model);
      return r && check(r) ? r : undefined;
    },
    timeoutMs,
  ).catch((e: Error) => {
    throw new Error(`${e.message} (last report: ${JSON.stringify(api.diagramTesting.rendered(uri, model))})`);
  });
}

/** The report of a graph drawn as it opens: its folded runs (`×N`) and, for big models, deep modules collapsed. */
const drew = (g: DiagramGraph) => {
  const v = visibleGraph(g, new Set(defaultCollapsed(g)));
  return (r: { view: string; nodes: number; edges: number }) => r.view === 'graph' && r.nodes === v.nodes.length && r.edges === v.edges.length;
};

describe('Show Model Diagram', function () {
  this.timeout(180_000);
  before(async () => {
    api = (await activate()).exports as ModelLensExports;
    assert.ok(api?.diagramTesting, 'activate() exports diagramTesting');
  });
  afterEach(closeDiagrams);

  it('opens the diagram of every example model (PyTorch and tfjs): the webview draws the core\'s graph', async () => {
    const files = fs.readdirSync(example('.').fsPath).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
    const seen = { torch: 0, tfjs: 0 };
    for (const file of files) {
      for (const m of models(file)) {
        const graph = buildDiagramGraph(m);
        const uri = example(file);
        const t0 = Date.now();
        const shown = await vscode.commands.executeCommand<Shown>('modellens.showDiagram', uri, m.name);
        assert.deepStrictEqual(shown, { model: m.name, nodes: graph.nodes.length, edges: graph.edges.length, groups: graph.groups.length }, `${file}#${m.name}`);
        const tab = await waitFor(`a "Diagram: ${m.name}" tab`, () => diagramTabs().find((t) => t.label === `Diagram: ${m.name}`));
        assert.ok(tab.isActive, `${file}#${m.name}: the diagram tab is shown`);
        await rendered(uri, m.name, `the graph as it opens (${graph.nodes.length} nodes in all)`, drew(graph));
        console.log(`diagram of ${file}#${m.name}: ${graph.nodes.length} nodes, ${graph.edges.length} edges (as opened: folded runs collapsed) drawn in ${Date.now() - t0} ms`);
        seen[m.framework]++;
        await closeDiagrams();
        assert.strictEqual(api.diagramTesting.isOpen(uri, m.name), false);
      }
    }
    assert.ok(seen.torch >= 8 && seen.tfjs >= 6, JSON.stringify(seen));
  });

  it('without arguments shows the model under the cursor; the same model again reuses its panel', async () => {
    const doc = await openExample('text-lstm.tfjs.ts');
    const pos = doc.positionAt(doc.getText().indexOf('tf.layers.gru'));
    vscode.window.activeTextEditor!.selection = new vscode.Selection(pos, pos);
    const shown = await vscode.commands.executeCommand<Shown>('modellens.showDiagram');
    assert.strictEqual(shown?.model, 'buildTextGru');
    await waitFor('a "Diagram: buildTextGru" tab', () => diagramTabs().find((t) => t.label === 'Diagram: buildTextGru'));
    // The same model again: no new panel is created (counted at the API, not by waiting to see
    // whether a second tab shows up).
    const window = vscode.window as { createWebviewPanel: typeof vscode.window.createWebviewPanel };
    const real = window.createWebviewPanel;
    let created = 0;
    window.createWebviewPanel = (...args: Parameters<typeof real>) => {
      created++;
      return real.apply(vscode.window, args);
    };
    try {
      await vscode.commands.executeCommand('modellens.showDiagram', doc.uri, 'buildTextGru');
    } finally {
      window.createWebviewPanel = real;
    }
    assert.strictEqual(created, 0, 'showing the same model again created another panel');
    assert.deepStrictEqual(diagramTabs().map((t) => t.label), ['Diagram: buildTextGru']);
    assert.strictEqual(await vscode.commands.executeCommand('modellens.showDiagram', doc.uri, 'NoSuchModel'), undefined);
  });

  it('clicking a node moves the editor to its line (in the imported file for a nested layer); the cursor lights the node', async () => {
    const doc = await openExample('resnet.ts');
    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const [model] = models('resnet.ts');
    const graph = buildDiagramGraph(model);
    await vscode.commands.executeCommand('modellens.showDiagram', doc.uri, model.name);
    await rendered(doc.uri, model.name, 'the graph', drew(graph));

    // A click on `fc` (the webview posts { type: 'reveal', line }).
    const fc = graph.nodes.find((n) => n.name === 'fc')!;
    assert.match(doc.lineAt(fc.line - 1).text, /this\.fc = new nn\.Linear/);
    await api.diagramTesting.deliver(doc.uri, model.name, { type: 'reveal', line: fc.line });
    let active = vscode.window.activeTextEditor!;
    assert.strictEqual(active.document.uri.toString(), doc.uri.toString());
    assert.strictEqual(active.selection.active.line, fc.line - 1);
    assert.strictEqual(active.selection.active.character, doc.lineAt(fc.line - 1).firstNonWhitespaceCharacterIndex);

    // The selection the click made comes back to the webview as the highlighted node.
    await rendered(doc.uri, model.name, `${fc.id} highlighted`, (r) => JSON.stringify(r.highlighted) === JSON.stringify([fc.id]));
    // And a cursor moved by hand: the stem's line lights the stem only.
    const stem = graph.nodes.find((n) => n.name === 'stem')!;
    active.selection = new vscode.Selection(stem.line - 1, 8, stem.line - 1, 8);
    await rendered(doc.uri, model.name, `${stem.id} highlighted`, (r) => JSON.stringify(r.highlighted) === JSON.stringify([stem.id]));

    // Malformed clicks are ignored: the selection stays.
    for (const bad of [{ type: 'reveal', line: '3' }, { type: 'reveal', line: 0 }, { type: 'reveal', line: 3, file: '/etc/passwd' }, { type: 'open', line: 3 }]) {
      await api.diagramTesting.deliver(doc.uri, model.name, bad);
    }
    assert.strictEqual(vscode.window.activeTextEditor!.document.uri.toString(), doc.uri.toString());
    assert.strictEqual(vscode.window.activeTextEditor!.selection.active.line, stem.line - 1);

    // layer1.conv1 is built in res-block.ts: the click names the node and the editor opens that file.
    const conv1 = graph.nodes.find((n) => n.name === 'layer1.conv1')!;
    assert.ok(conv1.file?.endsWith('res-block.ts'));
    await api.diagramTesting.deliver(doc.uri, model.name, { type: 'reveal', line: conv1.line, id: conv1.id });
    active = vscode.window.activeTextEditor!;
    assert.strictEqual(path.basename(active.document.uri.fsPath), 'res-block.ts');
    assert.strictEqual(active.selection.active.line, conv1.line - 1);
    assert.match(active.document.lineAt(conv1.line - 1).text, /this\.conv1 = new nn\.Conv2d/);
  });

  it('follows edits live, and shows a forward pass as badges until an edit drops it', async () => {
    const doc = await openExample('simple-mlp.ts');
    const [model] = models('simple-mlp.ts');
    const graph = buildDiagramGraph(model);
    await vscode.commands.executeCommand('modellens.showDiagram', doc.uri, model.name);
    await rendered(doc.uri, model.name, 'the graph', drew(graph));

    // The pass's summary panel opens beside the diagram, never over it: the diagram stays on screen with its badges.
    const where = () => {
      const groupOf = (match: (t: vscode.Tab) => boolean) => vscode.window.tabGroups.all.find((g) => g.tabs.some(match));
      const diagram = groupOf((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('modellens.diagram'));
      const summary = groupOf((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('modellens.summary'));
      return { diagram, summary, diagramShown: diagram?.activeTab?.label === `Diagram: ${model.name}` };
    };
    const result = await vscode.commands.executeCommand<{ layers: { id: number }[]; findings: unknown[] }>('modellens.runForwardPass', doc.uri, model.name);
    assert.ok(result && !('error' in result), JSON.stringify(result).slice(0, 300));
    assert.deepStrictEqual(result.findings, []);
    let w = where();
    assert.ok(w.summary && w.diagram && w.summary.viewColumn !== w.diagram.viewColumn, `summary panel in group ${w.summary?.viewColumn}, diagram in ${w.diagram?.viewColumn}`);
    assert.ok(w.diagramShown, 'the diagram is still the visible tab of its group');
    await rendered(doc.uri, model.name, `${result.layers.length} badges`, (r) => r.badges === result.layers.length && r.mismatches === 0 && drew(graph)(r));
    // The diagram's own "Run forward pass" button: the same, the panel staying where it is.
    await api.diagramTesting.deliver(doc.uri, model.name, { type: 'runForward' });
    w = where();
    assert.ok(w.summary && w.diagram && w.summary.viewColumn !== w.diagram.viewColumn && w.diagramShown, 'run from the diagram: still not covered');

    // An edit: relu2 applied a second time adds a node (and drops the pass's results).
    const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
    const at = doc.positionAt(doc.getText().indexOf('    x = this.fc3.forward(x);'));
    try {
      assert.ok(await editor.edit((e) => e.insert(at, '    x = this.relu2.forward(x);\n')));
      const edited = buildDiagramGraph(models('simple-mlp.ts', doc.getText())[0]);
      assert.strictEqual(edited.nodes.length, graph.nodes.length + 1);
      await rendered(doc.uri, model.name, 'the edited graph without badges', (r) => drew(edited)(r) && r.badges === 0);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await rendered(doc.uri, model.name, 'the original graph again', drew(graph));
  });

  it('export writes the webview\'s SVG and PNG where the save dialog says', async () => {
    const doc = await openExample('cnn.ts');
    const [model] = models('cnn.ts');
    await vscode.commands.executeCommand('modellens.showDiagram', doc.uri, model.name);
    await rendered(doc.uri, model.name, 'the graph', drew(buildDiagramGraph(model)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-export-'));
    const window = vscode.window as { showSaveDialog: typeof vscode.window.showSaveDialog };
    const real = window.showSaveDialog;
    const asked: vscode.SaveDialogOptions[] = [];
    try {
      // The dialog is the one thing stubbed: it "answers" a file in a temp folder.
      window.showSaveDialog = async (o?: vscode.SaveDialogOptions) => {
        asked.push(o ?? {});
        return vscode.Uri.file(path.join(dir, path.basename(o?.defaultUri?.fsPath ?? 'diagram')));
      };
      const svg = '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
      await api.diagramTesting.deliver(doc.uri, model.name, { type: 'export', format: 'svg', data: svg });
      // A 1×1 PNG.
      const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
      await api.diagramTesting.deliver(doc.uri, model.name, { type: 'export', format: 'png', data: png });
      // Not an SVG: never reaches the dialog.
      await api.diagramTesting.deliver(doc.uri, model.name, { type: 'export', format: 'svg', data: '<script>alert(1)</script>' });
      assert.strictEqual(asked.length, 2, 'the save dialog was asked twice');
      assert.strictEqual(path.basename(asked[0].defaultUri!.fsPath), 'SmallCNN.svg');
      assert.deepStrictEqual(asked[1].filters, { 'PNG image': ['png'] });
      assert.strictEqual(fs.readFileSync(path.join(dir, 'SmallCNN.svg'), 'utf8'), svg);
      assert.deepStrictEqual(fs.readFileSync(path.join(dir, 'SmallCNN.png')), Buffer.from(png, 'base64'));
    } finally {
      window.showSaveDialog = real;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
