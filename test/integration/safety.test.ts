import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ModelLensExports } from '../../src/extension/extension';
import { activate, waitFor } from './helpers';

/**
 * Safe in any workspace, in the real extension host: analyses run in the worker (the host keeps
 * answering while a pathological file is analysed; an edit cancels the run in flight and its
 * stale result is never published), and imports are read only as regular files inside the
 * workspace folders. The files are made in the second root, a temp copy (scripts/run-integration.mjs).
 */

const SECRET = 'SECRET_FROM_OUTSIDE_9b2e';

/**
 * Many models, each spending its whole per-model step budget, and big imports to parse: seconds
 * of work in the worker, however fast the steps.
 */
function heavy(n: number): string {
  let s = "import * as nn from 'torch/nn';\n";
  for (let i = 0; i < n; i++) s += `export class Spin${i} extends nn.Module {\n  n = (() => { let t = 0; for (let a = 0; a < 9000; a++) for (let b = 0; b < 9000; b++) t += b; return t; })();\n  fc = new nn.Linear(4, 3);\n}\n`;
  return s;
}

function modelImporting(spec: string): string {
  return `import * as nn from 'torch/nn';\nimport { WIDTH } from '${spec}';\n/** @inputShape [2, 7] */\nexport class Net extends nn.Module {\n  fc = new nn.Linear(WIDTH, 4);\n  forward(x) { return this.fc(x); }\n}\n`;
}

interface ModelJson {
  models: { totalParams: number | null; layers: { unknownReason?: string | null }[] }[];
  diagnostics: { message: string }[];
}

describe('safe in any workspace', function () {
  let api: ModelLensExports;
  let root: vscode.Uri;
  let outside: string;
  const made: string[] = [];

  before(async () => {
    api = (await activate()).exports as ModelLensExports;
    assert.ok(api?.analyses, 'activate() exports the analysis events');
    root = vscode.workspace.workspaceFolders![1].uri;
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'modellens-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.ts'), `export const WIDTH = 7;\nexport const NOTE = '${SECRET}';\n`);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const p of made) fs.rmSync(p, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  function file(name: string, text?: string): vscode.Uri {
    const uri = vscode.Uri.joinPath(root, name);
    made.push(uri.fsPath);
    if (text !== undefined) fs.writeFileSync(uri.fsPath, text);
    return uri;
  }

  async function summary(uri: vscode.Uri): Promise<ModelJson> {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    return waitFor(`the summary of ${path.basename(uri.fsPath)}`, async () => (await vscode.commands.executeCommand<ModelJson>('modellens.summarizeModel', uri, 'Net')) ?? undefined);
  }

  it('the host answers while a pathological file is analysed, and an edit cancels the run in flight', async () => {
    const tiny = vscode.Uri.joinPath(root, 'tiny.ts');
    await waitFor('tiny.ts analysed', async () => ((await vscode.commands.executeCommand<ModelJson>('modellens.summarizeModel', tiny)) ? true : undefined));
    let imports = '';
    for (let k = 0; k < 8; k++) {
      file(`spin-lib${k}.ts`, `export const W${k} = 4;\n` + `export const pad${k} = [${'1, '.repeat(150_000)}];\n`);
      imports += `import { W${k} } from './spin-lib${k}';\n`;
    }
    const uri = file('spin.ts', imports + heavy(40).replace('new nn.Linear(4, 3)', 'new nn.Linear(W0 + W1 + W2 + W3 + W4 + W5 + W6 + W7, 3)'));
    const events: string[] = [];
    const subs = [
      api.analyses.onDidStartAnalysis((d) => d.uri.toString() === uri.toString() && events.push(`start v${d.version}`)),
      api.analyses.onDidCancelAnalysis((d) => d.uri.toString() === uri.toString() && events.push(`cancel v${d.version}`)),
      api.analyses.onDidAnalyze((a) => a.document.uri.toString() === uri.toString() && events.push(`done v${a.version}`)),
    ];
    try {
      const started = new Promise<void>((resolve) => subs.push(api.analyses.onDidStartAnalysis((d) => d.uri.toString() === uri.toString() && resolve())));
      const doc = await vscode.workspace.openTextDocument(uri);
      // Not awaited before the edit: showing the editor is a round trip to the workbench, long
      // enough on a fast machine for the whole run to finish before it returns. The edit follows
      // the start event in the same turn of the host's event loop, so it always lands in flight.
      const shown = vscode.window.showTextDocument(doc);
      await started;
      const v1 = doc.version;
      // An edit while the run is in the worker: it is cancelled; only the new version is published.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '// edited\n');
      const applied = vscode.workspace.applyEdit(edit);
      events.push('edit');
      // The host's own event loop turns while the worker analyses (an analysis on this thread
      // would finish first: its result would be announced before this turn).
      await new Promise((resolve) => setImmediate(resolve));
      events.push('host turn');
      assert.deepStrictEqual(events.slice(0, 3), [`start v${v1}`, 'edit', 'host turn'], events.join(', '));
      // Providers and commands answer meanwhile.
      const tinyLenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', tiny);
      assert.ok((tinyLenses ?? []).length > 0);
      assert.ok(await applied);
      await shown;
      await waitFor('the edited version analysed', () => (events.includes(`done v${doc.version}`) ? true : undefined));
      // The stale result is never published after the edit: the run was cancelled, or (a machine
      // fast enough) it had finished before the edit reached the document.
      const doneV1 = events.indexOf(`done v${v1}`);
      const cancelled = events.some((e) => e.startsWith('cancel'));
      assert.ok(cancelled !== (doneV1 >= 0), `exactly one of a cancel and the old version's result: ${events.join(', ')}`);
      // Bounded: the file's budget ended it with finished models exact and the rest `?` with the reason.
      const r = await vscode.commands.executeCommand<ModelJson>('modellens.summarizeModel', uri, 'Spin0');
      assert.ok(r, 'Spin0 is listed');
    } finally {
      for (const s of subs) s.dispose();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it('imports outside the workspace, through symlinks out, of /dev/zero, of a FIFO or above the size limit are not read', async () => {
    fs.symlinkSync(path.join(outside, 'secret.ts'), file('link-out.ts').fsPath);
    execFileSync('mkfifo', [file('pipe.ts').fsPath]);
    file('huge.ts', `export const WIDTH = 7;\n// ${'x'.repeat(1100 * 1024)}\n`);
    const rel = path.relative(root.fsPath, path.join(outside, 'secret'));
    const cases: [string, string, RegExp][] = [
      ['imp-outside.ts', `./${rel}`, /outside the workspace/],
      ['imp-link.ts', './link-out', /outside the workspace/],
      ['imp-zero.ts', '../'.repeat(root.fsPath.split(path.sep).length + 2) + 'dev/zero', /outside the workspace/],
      ['imp-fifo.ts', './pipe', /not a regular file/],
      ['imp-huge.ts', './huge', /larger than 1,024 KB/],
    ];
    for (const [name, spec, why] of cases) {
      const r = await summary(file(name, modelImporting(spec)));
      assert.strictEqual(r.models[0].totalParams, null, name);
      assert.match(r.models[0].layers[0].unknownReason ?? '', why, name);
      assert.ok(!JSON.stringify(r).includes(SECRET), `${name}: a string of the unread file appears`);
    }
    // The control case: an import inside the workspace is read (7 × 4 + 4 = 32).
    file('width-in.ts', 'export const WIDTH = 7;\n');
    assert.strictEqual((await summary(file('imp-in.ts', modelImporting('./width-in')))).models[0].totalParams, 32);
  });

  it('an unsaved import is seen as the editor shows it', async () => {
    const lib = file('width-dirty.ts', 'export const WIDTH = 7;\n');
    const libDoc = await vscode.workspace.openTextDocument(lib);
    await vscode.window.showTextDocument(libDoc);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(lib, new vscode.Range(0, 0, 1, 0), 'export const WIDTH = 9;\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(libDoc.isDirty);
    const main = file('imp-dirty.ts', modelImporting('./width-dirty'));
    const r = await waitFor('9 × 4 + 4 = 40 params', async () => {
      const s = await summary(main);
      return s.models[0].totalParams === 40 ? s : undefined;
    });
    assert.strictEqual(r.models[0].totalParams, 40);
    await vscode.commands.executeCommand('workbench.action.files.revert', lib);
  });

  it('a file above modellens.maxFileSizeKB gets one notice instead of an analysis', async () => {
    const uri = file('big-model.ts', modelImporting('./width-in') + `// ${'x'.repeat(1100 * 1024)}\n`);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('the size notice', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 ? d : undefined;
    });
    assert.strictEqual(diags.length, 1);
    assert.match(diags[0].message, /modellens\.maxFileSizeKB/);
  });
});
