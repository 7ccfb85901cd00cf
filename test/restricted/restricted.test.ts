// Restricted Mode in a real VS Code: workspace trust on, the folder (a temp copy of examples/)
// never trusted, and its .vscode/settings.json raising every limit ModelLens declares restricted
// (scripts/run-integration.mjs --restricted writes it; one user setting is given too). ModelLens
// must still work, and every limit it applies must be the user's value or the default, never
// the workspace's: read through the extension's own settings functions, and shown by behaviour
// (a file above the default size limit still gets the size notice; a forward pass still runs on
// the default backend).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { sizeLimitMessage } from '../../src/core/fileAccess';
import { RESTRICTED_SETTINGS } from '../../src/extension/restricted';
import { DEFAULT_MAX_FILE_KB, settings } from '../../src/extension/settings';
import { forwardSettings } from '../../src/extension/forwardPass';
import { activate, example, lenses, modellensDiagnostics, openExample, waitFor } from '../integration/helpers';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
const declared = pkg.contributes.configuration.properties as Record<string, { default: unknown }>;
const defaultOf = (key: string): unknown => declared[`modellens.${key}`].default;

describe('Restricted Mode: an untrusted workspace that raises every limit', function () {
  this.timeout(180_000);
  const made: string[] = [];
  let workspaceSettings: Record<string, unknown>;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the restricted run opens one folder');
    workspaceSettings = JSON.parse(fs.readFileSync(path.join(folder.uri.fsPath, '.vscode', 'settings.json'), 'utf8'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const p of made) fs.rmSync(p, { force: true });
  });

  it('the workspace is untrusted, and its own settings loosen every restricted limit', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the test workbench trusted the folder: this run would show nothing');
    for (const key of RESTRICTED_SETTINGS) {
      const raised = workspaceSettings[`modellens.${key}`];
      assert.ok(raised !== undefined, `the workspace's settings.json does not set modellens.${key}`);
      assert.notDeepStrictEqual(raised, defaultOf(key), `modellens.${key} is not raised above its default`);
      if (typeof raised === 'number') assert.ok(raised > (defaultOf(key) as number) * 100, `modellens.${key}: ${raised} is not far above the default`);
    }
  });

  it('ModelLens activates and shows its lenses', async () => {
    await activate();
    const doc = await openExample('simple-mlp.ts');
    const got = await waitFor('lenses on simple-mlp.ts', async () => {
      const ls = await lenses(doc.uri);
      return ls.some((l) => l.title.startsWith('333,853 params')) ? ls : undefined;
    });
    assert.ok(got.length > 1, JSON.stringify(got));
  });

  it('every limit ModelLens applies is the user\'s value or the default, not the workspace\'s', () => {
    const uri = example('simple-mlp.ts');
    const c = vscode.workspace.getConfiguration('modellens', uri);
    // The user's own value (user settings.json) still counts in Restricted Mode.
    const userTimeout = c.inspect<number>('forwardPass.timeoutSeconds')?.globalValue;
    assert.ok(typeof userTimeout === 'number' && userTimeout !== workspaceSettings['modellens.forwardPass.timeoutSeconds'], `the run gives a user value for the timeout (${userTimeout})`);

    assert.strictEqual(settings(uri).maxFileBytes, DEFAULT_MAX_FILE_KB * 1024);
    assert.strictEqual(DEFAULT_MAX_FILE_KB, defaultOf('maxFileSizeKB'));
    const f = forwardSettings(uri);
    assert.deepStrictEqual(
      { confirmAboveBytes: f.confirmAboveBytes, timeoutMs: f.timeoutMs, backend: f.backend },
      {
        confirmAboveBytes: (defaultOf('forwardPass.confirmAboveMB') as number) * 1024 * 1024,
        timeoutMs: userTimeout * 1000,
        backend: defaultOf('forwardPass.backend'),
      },
    );
  });

  it('a file above the default size limit still gets the size notice instead of an analysis', async () => {
    const limit = DEFAULT_MAX_FILE_KB * 1024;
    const uri = example('oversize-restricted.ts');
    made.push(uri.fsPath);
    // A real model followed by a long comment: 1.5× the default limit, far below the workspace's.
    const model = fs.readFileSync(example('simple-mlp.ts').fsPath, 'utf8');
    const pad = `// ${'x'.repeat(97)}\n`.repeat(Math.ceil((limit * 1.5) / 101));
    fs.writeFileSync(uri.fsPath, model + pad);
    assert.ok(fs.statSync(uri.fsPath).size > limit);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const notice = await waitFor('the size notice', () => {
      const ds = modellensDiagnostics(uri);
      return ds.length > 0 ? ds : undefined;
    });
    assert.strictEqual(notice.length, 1, notice.map((d) => d.message).join('\n'));
    assert.strictEqual(notice[0].message, sizeLimitMessage(Buffer.byteLength(doc.getText()), limit));
    assert.deepStrictEqual(await lenses(uri), [], 'an oversize file is not analysed');
  });

  it('a forward pass runs on the default backend (wasm), not the workspace\'s (cpu)', async () => {
    const out = await vscode.commands.executeCommand<{ backend?: string; error?: unknown }>('modellens.runForwardPass', example('simple-mlp.ts'), 'SimpleMLP');
    assert.ok(out && !out.error, `the pass failed: ${JSON.stringify(out?.error)}`);
    assert.strictEqual(out.backend, 'wasm');
  });
});
