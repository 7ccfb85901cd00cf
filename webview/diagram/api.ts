/**
 * The VS Code bridge. Inside a webview `acquireVsCodeApi` exists; in a plain browser page (the
 * Playwright tests, the benchmark) a stub stands in: posted messages are kept on
 * `window.modelLensPosted` and state in memory (`window.modelLensState()`), so the page behaves the same and tests can read
 * what would have gone to the extension.
 */
export interface Bridge {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => Bridge;
    modelLensPosted?: unknown[];
    modelLensState?: () => unknown;
  }
}

export function acquireBridge(): Bridge {
  if (typeof window.acquireVsCodeApi === 'function') return window.acquireVsCodeApi();
  const posted: unknown[] = (window.modelLensPosted = []);
  let state: unknown;
  window.modelLensState = () => state;
  return {
    postMessage: (m) => void posted.push(m),
    getState: () => state,
    setState: (s) => void (state = s),
  };
}
