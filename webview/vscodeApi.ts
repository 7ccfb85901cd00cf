/** The webview side of the VS Code bridge (injected by VS Code into every webview). */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export const vscodeApi: VsCodeApi = acquireVsCodeApi();

/** What survives the panel being hidden and shown again. */
export interface PanelState {
  scrollY: number;
  collapsed: number[];
  model?: string;
}

export function loadState(): PanelState {
  const s = vscodeApi.getState() as Partial<PanelState> | undefined;
  return {
    scrollY: typeof s?.scrollY === 'number' ? s.scrollY : 0,
    collapsed: Array.isArray(s?.collapsed) ? s.collapsed.filter((x): x is number => typeof x === 'number') : [],
    model: typeof s?.model === 'string' ? s.model : undefined,
  };
}
