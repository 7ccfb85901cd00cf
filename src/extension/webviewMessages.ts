/**
 * Messages the summary webview may send. The webview is untrusted input like any other: every
 * message is checked field by field before the extension acts on it. Pure.
 */

export type FromWebview = { type: 'ready' } | { type: 'reveal'; line: number } | { type: 'copy'; format: 'seed' | 'markdown' } | { type: 'runForwardPass' } | { type: 'showDiagram' };

const MAX_LINE = 10_000_000;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The message if it is one of the known shapes with valid fields, else undefined. */
export function parseWebviewMessage(x: unknown): FromWebview | undefined {
  if (!isRecord(x)) return undefined;
  const keys = Object.keys(x);
  switch (x.type) {
    case 'ready':
      return keys.length === 1 ? { type: 'ready' } : undefined;
    case 'runForwardPass':
      // No arguments: the extension runs the panel's own model, never one the webview names.
      return keys.length === 1 ? { type: 'runForwardPass' } : undefined;
    case 'showDiagram':
      // Likewise: the diagram of the panel's own model.
      return keys.length === 1 ? { type: 'showDiagram' } : undefined;
    case 'reveal':
      if (keys.length !== 2 || typeof x.line !== 'number' || !Number.isInteger(x.line) || x.line < 1 || x.line > MAX_LINE) return undefined;
      return { type: 'reveal', line: x.line };
    case 'copy':
      if (keys.length !== 2 || (x.format !== 'seed' && x.format !== 'markdown')) return undefined;
      return { type: 'copy', format: x.format };
    default:
      return undefined;
  }
}
