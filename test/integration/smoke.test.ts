// Runs inside a real VS Code extension host (see test/integration/index.ts).
import * as assert from 'assert';
import * as vscode from 'vscode';

// `${publisher}.${name}` from package.json.
const EXTENSION_ID = 'modellens.modellens';

describe('extension smoke', () => {
  it('is installed in the extension host under its manifest id', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not found; loaded: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
    assert.strictEqual(ext.packageJSON.name, 'modellens');
  });

  it('activates without throwing', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('registers modellens.summarizeModel', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('modellens.summarizeModel'), 'modellens.summarizeModel is not a registered command');
  });
});
