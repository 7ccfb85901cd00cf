// `ModelLens: Summarize Model`: returns the CLI's JSON contract and opens the summary panel.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { activate, example, openExample, waitFor } from './helpers';

interface LayerJson { name: string; type: string; line: number; params: number | null; outputShape: (number | null)[] | null }
interface ModelJson { name: string; totalParams: number | null; outputShape: (number | null)[] | null; inputShape: (number | null)[] | null; layers: LayerJson[] }
interface FileJson { file: string; models: ModelJson[]; diagnostics: unknown[] }

function summaryTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('modellens.summary'));
}

/** The CLI (dist/cli.js, the same core) on the same file: the command must return its JSON. */
function cliJson(extensionPath: string, file: string, model: string): FileJson {
  const out = execFileSync(process.execPath, [path.join(extensionPath, 'dist', 'cli.js'), 'summary', file, '--model', model, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  return JSON.parse(out) as FileJson;
}

describe('Summarize Model', () => {
  let extensionPath = '';
  before(async () => {
    extensionPath = (await activate()).extensionPath;
  });

  it('executeCommand(summarizeModel, uri, name) returns the JSON contract for that model', async () => {
    const uri = example('simple-mlp.ts');
    const json = await vscode.commands.executeCommand<FileJson>('modellens.summarizeModel', uri, 'SimpleMLP');
    assert.ok(json, 'the command returned nothing');
    assert.strictEqual(json.file, uri.fsPath);
    assert.strictEqual(json.models.length, 1);
    const [m] = json.models;
    assert.strictEqual(m.name, 'SimpleMLP');
    assert.strictEqual(m.totalParams, 333853);
    assert.deepStrictEqual(m.inputShape, [64, 128]);
    assert.deepStrictEqual(m.outputShape, [64, 1]);
    // PyTorch: [p.numel() summed per layer] for Linear(128,516), ReLU, Linear(516,516), ReLU, Linear(516,1).
    assert.deepStrictEqual(m.layers.map((l) => [l.name, l.type, l.params]), [
      ['fc1', 'Linear', 66564],
      ['relu1', 'ReLU', 0],
      ['fc2', 'Linear', 266772],
      ['relu2', 'ReLU', 0],
      ['fc3', 'Linear', 517],
    ]);
    assert.deepStrictEqual(json, cliJson(extensionPath, uri.fsPath, 'SimpleMLP'));
  });

  it('opens the summary panel', async () => {
    await vscode.commands.executeCommand('modellens.summarizeModel', example('simple-mlp.tfjs.ts'), 'SimpleMLP');
    const tabs = await waitFor('a ModelLens summary tab', () => (summaryTabs().length > 0 ? summaryTabs() : undefined));
    assert.strictEqual(tabs.length, 1);
    assert.strictEqual(tabs[0].label, 'Summary: SimpleMLP');
    // A second summarize reuses the panel.
    await vscode.commands.executeCommand('modellens.summarizeModel', example('cnn.ts'));
    assert.strictEqual(summaryTabs().length, 1);
  });

  it('without arguments summarizes the model under the cursor of the active editor', async () => {
    const doc = await openExample('simple-mlp.tfjs.ts');
    const editor = vscode.window.activeTextEditor!;
    const pos = doc.positionAt(doc.getText().indexOf('tf.layers.dense'));
    editor.selection = new vscode.Selection(pos, pos);
    const json = await vscode.commands.executeCommand<FileJson>('modellens.summarizeModel');
    assert.ok(json);
    assert.strictEqual(json.models[0].name, 'SimpleMLP');
    assert.deepStrictEqual(json.models[0].outputShape, [null, 1]);
    assert.strictEqual(json.models[0].totalParams, 333853);
  });

  it('an unknown model name returns nothing (and says so)', async () => {
    const json = await vscode.commands.executeCommand('modellens.summarizeModel', example('simple-mlp.ts'), 'NoSuchModel');
    assert.strictEqual(json, undefined);
  });

  it('Diagram opens the model\'s diagram (details: diagram.test.ts; Run forward pass: forwardPass.test.ts)', async () => {
    // SimpleMLP's five layers in a chain, plus its input and output: 7 nodes, 6 edges.
    assert.deepStrictEqual(await vscode.commands.executeCommand('modellens.showDiagram', example('simple-mlp.ts'), 'SimpleMLP'), { model: 'SimpleMLP', nodes: 7, edges: 6, groups: 0 });
    const diagramTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('modellens.diagram'));
    const tabs = await waitFor('the diagram tab', () => (diagramTabs().length ? diagramTabs() : undefined));
    assert.deepStrictEqual(tabs.map((t) => t.label), ['Diagram: SimpleMLP']);
    await vscode.window.tabGroups.close(tabs);
  });
});
