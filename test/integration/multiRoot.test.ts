import * as assert from 'assert';
import * as vscode from 'vscode';
import { activate, waitFor } from './helpers';

/**
 * The suites run in a multi-root workspace (scripts/run-integration.mjs): temp copies of
 * examples/ and test/fixtures/second-root/. A model in the second root gets its lenses like any other.
 */
describe('multi-root workspace', () => {
  before(activate);

  it('both folders are open', () => {
    const names = (vscode.workspace.workspaceFolders ?? []).map((f) => f.name);
    assert.deepStrictEqual(names, ['examples', 'second-root']);
  });

  it('a model in the second folder gets its CodeLens (Linear(4, 3) = 4 × 3 + 3 = 15 params)', async () => {
    const folder = vscode.workspace.workspaceFolders![1];
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'tiny.ts'));
    await vscode.window.showTextDocument(doc);
    const titles = await waitFor('a "15 params" lens in the second root', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
      const t = lenses.map((l) => l.command?.title ?? '');
      return t.some((x) => x.startsWith('15 params')) ? t : undefined;
    });
    assert.ok(titles.includes('15 params · [2, 3]'), JSON.stringify(titles));
    assert.ok(titles.some((t) => t.startsWith('15 params · ') && t.endsWith('· [2, 3]') && t.includes(' · 60 B · ')), JSON.stringify(titles));
  });
});
