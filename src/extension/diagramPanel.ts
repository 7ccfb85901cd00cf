import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { buildDiagramGraph } from '../core/graph/build';
import { parseDiagramMessage, type FromDiagram, type ToDiagram } from '../core/graph/messages';
import type { ModelSummary } from '../core/summary';
import { diagramHtml } from '../../webview/diagram/page';

/**
 * The "Show Model Diagram" panel: one webview per (document, model), drawing
 * webview/diagram (bundled to dist/webview/diagram.js, ELK in dist/webview/diagram-layout-worker.js).
 *
 * Wiring (extension.ts): `showDiagram(context, model, document)` from the command, and
 * `refreshDiagrams(document, summary.models)` from every finished analysis so open diagrams
 * follow edits (the webview keeps its viewport). The editor's cursor line is sent to the
 * webview, which highlights the layer defined there; a click on a node reveals its line.
 */
export const DIAGRAM_VIEW_TYPE = 'modellens.diagram';

const panels = new Map<string, DiagramPanel>();
const key = (uri: vscode.Uri, model: string) => `${uri.toString()}#${model}`;

export function showDiagram(context: vscode.ExtensionContext, model: ModelSummary, document: vscode.TextDocument): vscode.WebviewPanel {
  const existing = panels.get(key(document.uri, model.name));
  if (existing) {
    existing.update(model);
    existing.panel.reveal(undefined, true);
    return existing.panel;
  }
  const p = new DiagramPanel(context, model, document);
  panels.set(key(document.uri, model.name), p);
  return p.panel;
}

/** Sends fresh graphs to the open diagrams of `document` (call after each analysis). */
export function refreshDiagrams(document: vscode.TextDocument, models: readonly ModelSummary[]): void {
  for (const m of models) panels.get(key(document.uri, m.name))?.update(m);
}

/** Closes every diagram (deactivation). */
export function disposeDiagrams(): void {
  for (const p of [...panels.values()]) p.panel.dispose();
}

class DiagramPanel {
  readonly panel: vscode.WebviewPanel;
  private readonly subscriptions: vscode.Disposable[] = [];
  private model: ModelSummary;
  private cursorLine: number | null = null;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    model: ModelSummary,
    private readonly document: vscode.TextDocument,
  ) {
    this.model = model;
    const root = context.extensionUri;
    this.panel = vscode.window.createWebviewPanel(DIAGRAM_VIEW_TYPE, `Diagram: ${model.name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: [vscode.Uri.joinPath(root, 'media'), vscode.Uri.joinPath(root, 'dist', 'webview')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(root, 'media', 'diagram.svg');
    this.panel.webview.html = this.html();
    this.subscriptions.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() !== this.document.uri.toString()) return;
        this.cursorLine = e.selections[0].active.line + 1;
        // Cursor moves come in bursts (typing, arrow keys held down): send the last one.
        clearTimeout(this.cursorTimer);
        this.cursorTimer = setTimeout(() => void this.post({ type: 'highlight', line: this.cursorLine }), 60);
      }),
    );
  }

  update(model: ModelSummary): void {
    this.model = model;
    this.panel.title = `Diagram: ${model.name}`;
    void this.post({ type: 'update', graph: buildDiagramGraph(model) });
  }

  private async post(msg: ToDiagram): Promise<void> {
    try {
      await this.panel.webview.postMessage(msg);
    } catch {
      // The panel closed between scheduling and sending.
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const msg = parseDiagramMessage(raw);
    if (!msg) return; // Anything else from the webview is ignored, never acted on.
    try {
      await this.handle(msg);
    } catch (e) {
      void vscode.window.showErrorMessage(`ModelLens diagram: ${(e as Error)?.message ?? e}`);
    }
  }

  private async handle(msg: FromDiagram): Promise<void> {
    switch (msg.type) {
      case 'ready':
        // A (re)loaded webview (first show, or shown again after being hidden): its state came
        // back through getState; it needs the graph and the current highlight.
        await this.post({ type: 'update', graph: buildDiagramGraph(this.model) });
        if (this.cursorLine !== null) await this.post({ type: 'highlight', line: this.cursorLine });
        return;
      case 'reveal': {
        const doc = this.document.isClosed ? await vscode.workspace.openTextDocument(this.document.uri) : this.document;
        const line = Math.min(msg.line - 1, doc.lineCount - 1);
        const column = vscode.window.visibleTextEditors.find((ed) => ed.document.uri.toString() === doc.uri.toString())?.viewColumn ?? vscode.ViewColumn.One;
        const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false });
        const at = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex);
        editor.selection = new vscode.Selection(at, at);
        editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case 'export': {
        const ext = msg.format;
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(this.document.uri, '..', `${this.model.name}.${ext}`),
          filters: ext === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
          title: `Export the ${this.model.name} diagram`,
        });
        if (!target) return;
        const bytes = ext === 'svg' ? new TextEncoder().encode(msg.data) : Buffer.from(msg.data, 'base64');
        await vscode.workspace.fs.writeFile(target, bytes);
        void vscode.window.setStatusBarMessage(`ModelLens: saved ${vscode.workspace.asRelativePath(target)}`, 4000);
        return;
      }
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...p)).toString();
    return diagramHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      script: asset('dist', 'webview', 'diagram.js'),
      layoutScript: asset('dist', 'webview', 'diagram-layout-worker.js'),
      css: asset('media', 'diagram.css'),
    });
  }

  private dispose(): void {
    clearTimeout(this.cursorTimer);
    panels.delete(key(this.document.uri, this.model.name));
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
