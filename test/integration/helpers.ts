// Shared by the integration suites: they run inside a real VS Code extension host with the
// examples/ folder open (scripts/run-integration.mjs).
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'modellens.modellens';

export async function activate(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
  await ext.activate();
  return ext;
}

export function example(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration run must open the examples/ folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

export async function openExample(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(example(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

export async function openUntitled(content: string, language = 'typescript'): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  await vscode.window.showTextDocument(doc);
  return doc;
}

export interface LensInfo {
  /** 1-based line the lens sits above. */
  line: number;
  title: string;
  command: string;
  args: unknown[];
}

export async function lenses(uri: vscode.Uri): Promise<LensInfo[]> {
  const got = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return got
    // ModelLens's buttons, and its statements (a lens with an empty command, drawn as plain text).
    .filter((l) => l.command !== undefined && (l.command.command.startsWith('modellens.') || (l.command.command === '' && !l.command.arguments)))
    .map((l) => ({ line: l.range.start.line + 1, title: l.command!.title, command: l.command!.command, args: l.command!.arguments ?? [] }))
    .sort((a, b) => a.line - b.line);
}

/**
 * Waits for a condition: re-checks until `check` returns a value (not undefined). The timeout is
 * a generous backstop that fails loudly, not a speed assertion: on a loaded 2-core machine an
 * analysis or a webview round trip can take many seconds.
 */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n---\n');
}

/** Position of the n-th (0-based) occurrence of `needle` in the document, plus `delta` characters. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 0, nth = 0): vscode.Position {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (#${nth}) not found in ${doc.uri.toString(true)}`);
  }
  return doc.positionAt(at + delta);
}

export function modellensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ModelLens');
}
