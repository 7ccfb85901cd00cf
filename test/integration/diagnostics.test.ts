// Diagnostics and quick fixes on an untitled document (unsaved text, no file on disk).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, lenses, modellensDiagnostics, openUntitled, waitFor } from './helpers';

// fc1 produces 256 features, fc2 was written for 516: PyTorch raises "mat1 and mat2 shapes
// cannot be multiplied (64x256 and 516x10)" on this model.
const MISMATCH = [
  "import { nn, Tensor } from 'js-pytorch';",
  '',
  '/** @inputShape [64, 128] */',
  'export class Mismatch extends nn.Module {',
  '  fc1: nn.Linear;',
  '  relu1: nn.ReLU;',
  '  fc2: nn.Linear;',
  '  constructor() {',
  '    super();',
  '    this.fc1 = new nn.Linear(128, 256);',
  '    this.relu1 = new nn.ReLU();',
  '    this.fc2 = new nn.Linear(516, 10);',
  '  }',
  '  forward(x: Tensor): Tensor {',
  '    return this.fc2.forward(this.relu1.forward(this.fc1.forward(x)));',
  '  }',
  '}',
].join('\n');

describe('diagnostics', () => {
  before(activate);

  it('a shape mismatch is reported with its exact range and a readable message', async () => {
    const doc = await openUntitled(MISMATCH);
    const diags = await waitFor('a ModelLens diagnostic', () => {
      const d = modellensDiagnostics(doc.uri);
      return d.length > 0 ? d : undefined;
    });
    assert.strictEqual(diags.length, 1, diags.map((d) => d.message).join('\n'));
    const [d] = diags;
    assert.strictEqual(d.message, 'fc2 expects 516 input features but receives 256 from relu1');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.code, 'shape-mismatch');
    assert.strictEqual(doc.getText(d.range), 'new nn.Linear(516, 10)');
    assert.strictEqual(d.range.start.line, 11);
  });

  it('the quick fix changes in_features to 256 and the problem goes away', async () => {
    const doc = await openUntitled(MISMATCH);
    const [d] = await waitFor('the mismatch diagnostic', () => {
      const x = modellensDiagnostics(doc.uri);
      return x.length > 0 ? x : undefined;
    });
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range)) ?? [];
    const fix = actions.find((a) => a.title === 'Change in_features to 256');
    assert.ok(fix, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.strictEqual(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(fix.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.lineAt(11).text.trim(), 'this.fc2 = new nn.Linear(256, 10);');
    await waitFor('the diagnostic to clear', () => (modellensDiagnostics(doc.uri).length === 0 ? true : undefined));
    // 128·256+256 + 256·10+10 = 33,024 + 2,570 (PyTorch parameter counts).
    assert.strictEqual((await lenses(doc.uri))[0].title, '35,594 params · 139.0 KB · [64, 10]');
  });

  it('a bad @inputShape tag is reported on the tag', async () => {
    const doc = await openUntitled(MISMATCH.replace('@inputShape [64, 128]', '@inputShape 64 by 128'));
    const d = await waitFor('the bad-input-shape diagnostic', () => modellensDiagnostics(doc.uri).find((x) => x.code === 'bad-input-shape'));
    assert.match(d.message, /@inputShape should list sizes/);
    assert.strictEqual(doc.getText(d.range), '@inputShape 64 by 128 ');
  });

  it('an unknown layer kind close to a catalog name: "Did you mean nn.Linear?", and the quick fix makes it known', async () => {
    const doc = await openUntitled(
      [
        "import { nn, Tensor } from 'js-pytorch';",
        '/** @inputShape [2, 4] */',
        'export class Typo extends nn.Module {',
        '  fc: nn.Linear;',
        '  constructor() {',
        '    super();',
        '    this.fc = new nn.Lineer(4, 8);',
        '  }',
        '  forward(x: Tensor): Tensor {',
        '    return this.fc.forward(x);',
        '  }',
        '}',
      ].join('\n'),
    );
    const d = await waitFor('the unknown-layer diagnostic', () => modellensDiagnostics(doc.uri).find((x) => x.code === 'unknown-layer'));
    assert.strictEqual(d.message, 'Unknown layer `nn.Lineer`: its parameters and shape are unknown. Did you mean `nn.Linear`?');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range)) ?? [];
    const fix = actions.find((a) => a.title === 'Change to nn.Linear');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.strictEqual(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.lineAt(6).text.trim(), 'this.fc = new nn.Linear(4, 8);');
    await waitFor('the diagnostic to clear', () => (modellensDiagnostics(doc.uri).length === 0 ? true : undefined));
    // Linear(4, 8): 4·8 + 8 = 40 parameters (PyTorch).
    await waitFor('the lens to count 40', async () => ((await lenses(doc.uri))[0]?.title === '40 params · 160 B · [2, 8]' ? true : undefined));
  });
});
