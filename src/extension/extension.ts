// Placeholder entry point so the integration and UI harness has a real extension to load.
// The lead replaces it with the CodeLens / hover / panel wiring.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('modellens.summarizeModel', () => ({ ok: true })),
  );
}

export function deactivate(): void {
  // Nothing to release yet: subscriptions are disposed by VS Code.
}
