import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { buildDiagramGraph } from '../core/graph/build';
import { fileNamePart, iconFreeLine, plainLine } from '../core/escape/plain';
import { parseDiagramMessage, type DiagramRendered, type FromDiagram, type ToDiagram } from '../core/graph/messages';
import type { DiagramGraph } from '../core/graph/types';
import type { ModelSummary } from '../core/summary';
import { diagramHtml } from '../../webview/diagram/page';
import { diagramBadges } from './diagramForward';
import { uriForPath } from './documents';
import type { ForwardResults } from './forwardResults';

/**
 * The "Show Model Diagram" panel: one webview per (document, model), drawing
 * webview/diagram (bundled to dist/webview/diagram.js, ELK in dist/webview/diagram-layout-worker.js).
 *
 * Wiring (extension.ts): `showDiagram(context, model, document)` from the command, and
 * `refreshDiagrams(document, summary.models)` from every finished analysis so open diagrams
 * follow edits (the webview keeps its viewport). The editor's cursor line is sent to the
 * webview, which highlights the layer defined there; a click on a node reveals its line.
 * `connectForwardResults(results)` puts the last forward pass of a model on its open diagram
 * as badges (cleared when an edit drops the results).
 */
export const DIAGRAM_VIEW_TYPE = 'modellens.diagram';

const panels = new Map<string, DiagramPanel>();
const key = (uri: vscode.Uri, model: string) => `${uri.toString()}#${model}`;

let forwardResults: ForwardResults | undefined;

export interface ShownDiagram {
  panel: vscode.WebviewPanel;
  /** The graph sent to the webview. */
  graph: DiagramGraph;
}

/** Opens the diagram of `model` beside the editor, or reveals (and refreshes) the one already open. */
export function showDiagram(context: vscode.ExtensionContext, model: ModelSummary, document: vscode.TextDocument): ShownDiagram {
  const existing = panels.get(key(document.uri, model.name));
  if (existing) {
    existing.update(model);
    existing.panel.reveal(undefined, true);
    return { panel: existing.panel, graph: existing.graph };
  }
  const p = new DiagramPanel(context, model, document);
  panels.set(key(document.uri, model.name), p);
  return { panel: p.panel, graph: p.graph };
}

/** Forward-pass results go to the open diagrams of their document from now on. */
export function connectForwardResults(results: ForwardResults): vscode.Disposable {
  forwardResults = results;
  const sub = results.onDidChange((uri) => {
    for (const p of panels.values()) if (p.uri.toString() === uri.toString()) p.postForward();
  });
  return {
    dispose: () => {
      sub.dispose();
      if (forwardResults === results) forwardResults = undefined;
    },
  };
}

/** Sends fresh graphs to the open diagrams of `document` (call after each analysis). */
export function refreshDiagrams(document: vscode.TextDocument, models: readonly ModelSummary[]): void {
  for (const m of models) panels.get(key(document.uri, m.name))?.update(m);
}

/**
 * The editor group showing the diagram of `model` in `uri`, when it is on screen: results of a
 * forward pass of that model go elsewhere (its badges show on the diagram itself).
 */
export function visibleDiagramColumn(uri: vscode.Uri, model: string): vscode.ViewColumn | undefined {
  const p = panels.get(key(uri, model));
  return p?.panel.visible ? p.panel.viewColumn : undefined;
}

/** Closes every diagram (deactivation). */
export function disposeDiagrams(): void {
  for (const p of [...panels.values()]) p.panel.dispose();
}

function panelFor(uri: vscode.Uri, model: string): DiagramPanel {
  const p = panels.get(key(uri, model));
  if (!p) throw new Error(`no diagram of ${model} in ${uri.toString(true)} is open`);
  return p;
}

/**
 * For the integration tests (exported by `activate`): `deliver` hands a message to the panel
 * through the very handler its webview's `postMessage` reaches (validation included), and
 * `rendered` is what the webview last reported having on screen.
 */
export const diagramTesting = {
  deliver: (uri: vscode.Uri, model: string, raw: unknown): Promise<void> => panelFor(uri, model).receive(raw),
  rendered: (uri: vscode.Uri, model: string): DiagramRendered | undefined => panels.get(key(uri, model))?.rendered,
  isOpen: (uri: vscode.Uri, model: string): boolean => panels.has(key(uri, model)),
  isVisible: (uri: vscode.Uri, model: string): boolean => !!panels.get(key(uri, model))?.panel.visible,
  /** Brings the diagram's tab to the front, as a click on the tab does (without taking focus). */
  reveal: (uri: vscode.Uri, model: string): void => panelFor(uri, model).panel.reveal(undefined, true),
  /**
   * When (performance.now() in this host) the webview last had the graph on screen after being
   * shown or (re)drawn, and how many nodes it counted: a `painted` answer to `visible`, or a `rendered` report.
   */
  painted: (uri: vscode.Uri, model: string): { at: number; nodes: number } | undefined => panels.get(key(uri, model))?.painted,
};

class DiagramPanel {
  readonly panel: vscode.WebviewPanel;
  private readonly subscriptions: vscode.Disposable[] = [];
  private model: ModelSummary;
  graph: DiagramGraph;
  /** JSON of the graph last sent: an analysis that changes nothing the diagram shows sends nothing. */
  private sent = '';
  /** What the webview last reported having on screen. */
  rendered: DiagramRendered | undefined;
  painted: { at: number; nodes: number } | undefined;
  private cursorLine: number | null = null;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    model: ModelSummary,
    private readonly document: vscode.TextDocument,
  ) {
    this.model = model;
    this.graph = buildDiagramGraph(model);
    // The node of the line the cursor is on lights up from the start.
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString());
    if (editor) this.cursorLine = editor.selection.active.line + 1;
    const root = context.extensionUri;
    this.panel = vscode.window.createWebviewPanel(DIAGRAM_VIEW_TYPE, plainLine(`Diagram: ${model.name}`), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      // Switching back to the diagram's tab shows it at once: without this VS Code throws the
      // page away when hidden and the graph is laid out again from scratch (seconds on a big
      // model). The cost is the page's memory while hidden.
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(root, 'media'), vscode.Uri.joinPath(root, 'dist', 'webview')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(root, 'media', 'diagram.svg');
    this.panel.webview.html = this.html();
    this.subscriptions.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) void this.post({ type: 'visible' });
      }),
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

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  update(model: ModelSummary): void {
    this.model = model;
    this.graph = buildDiagramGraph(model);
    this.panel.title = plainLine(`Diagram: ${model.name}`);
    const json = JSON.stringify(this.graph);
    if (json === this.sent) return;
    this.sent = json;
    void this.post({ type: 'update', graph: this.graph });
  }

  /** The model's last forward pass on this version of the document as badges, or none. */
  postForward(): void {
    const run = forwardResults?.get(this.document, this.model.name);
    const badges = run?.state === 'done' ? diagramBadges(this.model, run.outcome) : null;
    void this.post({ type: 'forward', badges });
  }

  private async post(msg: ToDiagram): Promise<void> {
    try {
      await this.panel.webview.postMessage(msg);
    } catch {
      // The panel closed between scheduling and sending.
    }
  }

  async receive(raw: unknown): Promise<void> {
    const msg = parseDiagramMessage(raw);
    if (!msg) return; // Anything else from the webview is ignored, never acted on.
    try {
      await this.handle(msg);
    } catch (e) {
      void vscode.window.showErrorMessage(iconFreeLine(`ModelLens diagram: ${(e as Error)?.message ?? e}`, 1000));
    }
  }

  private async handle(msg: FromDiagram): Promise<void> {
    switch (msg.type) {
      case 'ready':
        // A (re)loaded webview (first show, or shown again after being hidden): its state came
        // back through getState; it needs the graph and the current highlight.
        this.sent = JSON.stringify(this.graph);
        await this.post({ type: 'update', graph: this.graph });
        if (this.cursorLine !== null) await this.post({ type: 'highlight', line: this.cursorLine });
        this.postForward();
        return;
      case 'rendered':
        this.rendered = msg;
        if (msg.nodes > 0) this.painted = { at: performance.now(), nodes: msg.nodes };
        return;
      case 'painted':
        if (msg.nodes > 0) this.painted = { at: performance.now(), nodes: msg.nodes };
        return;
      case 'runForward':
        // The command keeps the summary panel out of this diagram's group (visibleDiagramColumn).
        await vscode.commands.executeCommand('modellens.runForwardPass', this.document.uri, this.model.name);
        return;
      case 'reveal': {
        // A layer built in an imported file (the node the webview names, looked up in our own
        // graph) is revealed in that file; anything else is a line of the model's document.
        const item = msg.id === undefined ? undefined : [...this.graph.nodes, ...this.graph.groups].find((n) => n.id === msg.id);
        const elsewhere = item?.file !== undefined ? uriForPath(this.document.uri, item.file) : undefined;
        const doc = elsewhere ? await vscode.workspace.openTextDocument(elsewhere) : this.document.isClosed ? await vscode.workspace.openTextDocument(this.document.uri) : this.document;
        const line = Math.max(0, Math.min((item?.file !== undefined ? item.line : msg.line) - 1, doc.lineCount - 1));
        // The editor already showing that file, else the one showing the model (not the diagram's column).
        const columnOf = (uri: vscode.Uri) => vscode.window.visibleTextEditors.find((ed) => ed.document.uri.toString() === uri.toString())?.viewColumn;
        const column = columnOf(doc.uri) ?? columnOf(this.document.uri) ?? vscode.ViewColumn.One;
        const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false });
        const at = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex);
        editor.selection = new vscode.Selection(at, at);
        editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return;
      }
      case 'export': {
        const ext = msg.format;
        const target = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(this.document.uri, '..', `${fileNamePart(this.model.name)}.${ext}`),
          filters: ext === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
          title: plainLine(`Export the ${this.model.name} diagram`),
        });
        if (!target) return;
        const bytes = ext === 'svg' ? new TextEncoder().encode(msg.data) : Buffer.from(msg.data, 'base64');
        await vscode.workspace.fs.writeFile(target, bytes);
        void vscode.window.setStatusBarMessage(iconFreeLine(`ModelLens: saved ${vscode.workspace.asRelativePath(target)}`), 4000);
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
