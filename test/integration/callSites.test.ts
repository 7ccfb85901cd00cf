import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type * as Tf from '@tensorflow/tfjs';
import type { ModelLensExports } from '../../src/extension/extension';
import { activate, waitFor } from './helpers';

/**
 * Call sites in other files, as the editor keeps them fresh: the analysis worker keeps the
 * workspace's files and listing across analyses, and the extension's file watcher tells it (and
 * re-runs the analyses that depend on them) when files change on the disk. Each step waits for
 * the builder's next analysis event, never for time. The files are made in the second root, a
 * temp copy (scripts/run-integration.mjs). Truth: the same builder source built by real tfjs.
 */

const BUILDER = `const tf = require('@tensorflow/tfjs');

function buildMlp(inputSize) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [inputSize], units: 32, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

module.exports = { buildMlp };
`;

const importer = (n: number) => `const { buildMlp } = require('./models');\nconst model = buildMlp(${n});\n`;

/** Real tfjs's countParams() of the builder run with `n` (tfjs loaded only here, when first needed). */
function truth(n: number): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs') as typeof Tf;
  const build = new Function('tf', 'module', `${BUILDER.replace(/^const tf = .*$/m, '')}\nreturn buildMlp(${n});`) as (t: typeof Tf, m: unknown) => Tf.LayersModel;
  return build(tf, { exports: {} }).countParams();
}

describe('call sites in other files, kept fresh by the file watcher', function () {
  let api: ModelLensExports;
  let dir: string;
  const subs: vscode.Disposable[] = [];

  before(async () => {
    api = (await activate()).exports as ModelLensExports;
    dir = path.join(vscode.workspace.workspaceFolders![1].uri.fsPath, 'callsites-watch');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'models.js'), BUILDER);
    fs.writeFileSync(path.join(dir, 'train.js'), importer(784));
  });
  after(async () => {
    for (const s of subs) s.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The next analysis of `uri` whose model satisfies `ok` (events, with a generous backstop that fails loudly). */
  function nextAnalysis(uri: vscode.Uri, what: string, ok: (m: { totalParams: number | null; why: string }) => boolean): Promise<{ revised: boolean }> {
    return new Promise((resolve, reject) => {
      const backstop = setTimeout(() => reject(new Error(`no analysis of ${path.basename(uri.fsPath)} with ${what} within 90 s`)), 90_000);
      subs.push(
        api.analyses.onDidAnalyze((a) => {
          if (a.document.uri.toString() !== uri.toString()) return;
          const m = a.summary.models.find((x) => x.name === 'buildMlp');
          if (!m || !ok({ totalParams: m.totalParams, why: m.layers[0]?.unknownReason ?? '' })) return;
          clearTimeout(backstop);
          resolve({ revised: a.revised });
        }),
      );
    });
  }

  it('an importer edited on the disk, a new importer with another value, and one deleted: each reaches the open builder’s analysis', async () => {
    const models = vscode.Uri.file(path.join(dir, 'models.js'));
    const doc = await vscode.workspace.openTextDocument(models);
    await vscode.window.showTextDocument(doc);
    const count = async () => (await vscode.commands.executeCommand<{ models: { name: string; totalParams: number | null }[] }>('modellens.summarizeModel', models, 'buildMlp'))?.models?.[0]?.totalParams;
    await waitFor('the builder analysed with train.js’s value', async () => ((await count()) === truth(784) ? true : undefined));

    // The call site changed on the disk (not in an editor): the watcher's event re-runs the builder's analysis.
    let next = nextAnalysis(models, 'train.js’s new value', (m) => m.totalParams === truth(512));
    fs.writeFileSync(path.join(dir, 'train.js'), importer(512));
    // The builder's text did not change, so the editor would not ask for its lenses again by itself: the provider must say they changed.
    assert.strictEqual((await next).revised, true, 'a re-analysis of the same version is announced as revised');

    // A new file calling it with another value: ? naming both, never one of them.
    next = nextAnalysis(models, 'the two values', (m) => m.totalParams === null && /inputSize gets different values at the 2 call sites of buildMlp/.test(m.why));
    fs.writeFileSync(path.join(dir, 'eval.js'), importer(256));
    await next;
    assert.strictEqual(await count(), null);

    // Deleted: exact again.
    next = nextAnalysis(models, 'train.js’s value alone', (m) => m.totalParams === truth(512));
    fs.rmSync(path.join(dir, 'eval.js'));
    await next;

    // An edit of the builder itself: the editor asks for the new text's lenses by itself (revised is false, so the provider stays quiet).
    next = nextAnalysis(models, 'the edited text', (m) => m.totalParams === truth(512));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(models, new vscode.Position(0, 0), '// edited\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.strictEqual((await next).revised, false, 'an analysis of a new version is not announced as revised');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
