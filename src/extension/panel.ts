import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import { COMMANDS } from './codeLens';
import { core } from './core';
import type { ForwardResults } from './forwardResults';
import { logError } from './log';
import { iconFreeLine, plainLine } from '../core/escape/plain';
import { ToWebview, panelModel } from './panelModel';
import { settings } from './settings';
import { parseWebviewMessage } from './webviewMessages';

export const PANEL_VIEW_TYPE = 'modellens.summary';

interface PanelTarget {
  uri: vscode.Uri;
  modelName: string;
}

/**
 * The "Summarize Model" panel: one webview, retargeted by each summarize. The front-end is
 * webview/main.ts bundled to dist/webview/main.js (@vscode-elements/elements), loaded only
 * here, never at activation. It follows the target document's analyses live.
 */
export class SummaryPanel implements vscode.Disposable {
  private static instance: SummaryPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private target: PanelTarget;

  /**
   * Opens (or retargets) the panel; `forward` adds the last forward pass's columns and section.
   * `avoid`: an editor group the panel must not cover (the model's diagram is showing there):
   * the panel opens, or moves, to the group after it.
   */
  static show(extensionUri: vscode.Uri, analyses: AnalysisService, target: PanelTarget, forward?: ForwardResults, avoid?: vscode.ViewColumn): SummaryPanel {
    const beside = avoid === undefined ? undefined : ((avoid + 1) as vscode.ViewColumn);
    if (SummaryPanel.instance) {
      if (forward) SummaryPanel.instance.useForwardResults(forward);
      SummaryPanel.instance.retarget(target);
      const inTheWay = avoid !== undefined && SummaryPanel.instance.panel.viewColumn === avoid;
      SummaryPanel.instance.panel.reveal(inTheWay ? beside : undefined, true);
    } else {
      SummaryPanel.instance = new SummaryPanel(extensionUri, analyses, target, beside);
      if (forward) SummaryPanel.instance.useForwardResults(forward);
    }
    return SummaryPanel.instance;
  }

  static get current(): SummaryPanel | undefined {
    return SummaryPanel.instance;
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly analyses: AnalysisService,
    target: PanelTarget,
    column: vscode.ViewColumn = vscode.ViewColumn.Beside,
  ) {
    this.target = target;
    this.panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, this.title(), { viewColumn: column, preserveFocus: true }, {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    });
    this.panel.webview.html = this.html();
    this.subscriptions.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((m) => void this.receive(m)),
      analyses.onDidAnalyze(({ document }) => {
        if (document.uri.toString() === this.target.uri.toString()) void this.post();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('modellens')) void this.post();
      }),
    );
  }

  private forward: ForwardResults | undefined;

  private useForwardResults(forward: ForwardResults): void {
    if (this.forward === forward) return;
    this.forward = forward;
    this.subscriptions.push(
      forward.onDidChange((uri) => {
        if (uri.toString() === this.target.uri.toString()) void this.post();
      }),
    );
  }

  private title(): string {
    return plainLine(`Summary: ${this.target.modelName}`);
  }

  retarget(target: PanelTarget): void {
    this.target = target;
    this.panel.title = this.title();
    void this.post();
  }

  private async current() {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.target.uri.toString()) ?? (await vscode.workspace.openTextDocument(this.target.uri));
    const summary = await this.analyses.request(document);
    const model = summary?.models.find((m) => m.name === this.target.modelName);
    return { document, summary, model };
  }

  /** Sends the target model's view to the webview (it keeps its scroll position across updates). */
  private async post(): Promise<void> {
    try {
      const { document, summary, model } = await this.current();
      const run = model && this.forward?.get(document, model.name);
      const msg: ToWebview =
        summary && model
          ? { type: 'summary', model: panelModel(summary, model, vscode.workspace.asRelativePath(this.target.uri), settings(this.target.uri).numberFormat, run) }
          : { type: 'missing', message: plainLine(`${this.target.modelName} is no longer in ${vscode.workspace.asRelativePath(this.target.uri)}.`, 1000) };
      await this.panel.webview.postMessage(msg);
    } catch (e) {
      logError('updating the summary panel', e);
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      logError('summary panel', `ignored an unexpected message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    try {
      switch (msg.type) {
        case 'ready':
          await this.post();
          break;
        case 'reveal': {
          const { document } = await this.current();
          const line = Math.min(msg.line - 1, document.lineCount - 1);
          const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
          const at = new vscode.Position(line, document.lineAt(line).firstNonWhitespaceCharacterIndex);
          editor.selection = new vscode.Selection(at, at);
          editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
          break;
        }
        case 'copy': {
          const { model } = await this.current();
          if (!model) return;
          await vscode.env.clipboard.writeText(core().formatSummary(model, msg.format));
          void vscode.window.setStatusBarMessage(iconFreeLine(`ModelLens: copied the ${msg.format === 'seed' ? 'text table' : 'markdown'} summary of ${model.name}`), 3000);
          break;
        }
        case 'showDiagram':
          await vscode.commands.executeCommand(COMMANDS.diagram, this.target.uri, this.target.modelName);
          break;
        case 'runForwardPass':
          // The command resolves the panel's own target; its progress notification has Cancel.
          await vscode.commands.executeCommand(COMMANDS.forward, this.target.uri, this.target.modelName);
          break;
      }
    } catch (e) {
      logError(`summary panel (${msg.type})`, e);
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'main.js'));
    const css = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css'));
    // No remote content: scripts only with the nonce, styles and fonts only from the extension.
    const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource}`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}">
<title>ModelLens summary</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Analyzing…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (SummaryPanel.instance === this) SummaryPanel.instance = undefined;
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions.length = 0;
    this.panel.dispose();
  }
}
