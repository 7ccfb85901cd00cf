// The layout script: ELK (elkjs, GWT-compiled Java) behind a tiny protocol. Run as a Web Worker
// it answers `{id, graph}` messages with `{id, graph}` (laid out) or `{id, error}`; loaded into a
// page as a classic script (the fallback when no worker can be started) it exposes
// `window.modelLensLayout(graph)` instead.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';

const elk = new ELK();
const layout = (graph: ElkNode): Promise<ElkNode> => elk.layout(graph);

interface WorkerScope {
  onmessage: ((ev: MessageEvent<{ id: number; graph: ElkNode }>) => void) | null;
  postMessage(message: unknown): void;
}

if (typeof document === 'undefined') {
  // elkjs's bundle registers its own `onmessage` when it finds itself in a worker; ours replaces it.
  const scope = self as unknown as WorkerScope;
  scope.onmessage = (ev) => {
    const { id, graph } = ev.data;
    layout(graph).then(
      (out) => scope.postMessage({ id, graph: out }),
      (e: unknown) => scope.postMessage({ id, error: String((e as Error)?.message ?? e) }),
    );
  };
} else {
  (window as unknown as { modelLensLayout: typeof layout }).modelLensLayout = layout;
}
