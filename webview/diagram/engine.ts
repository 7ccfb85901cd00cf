import type { ElkNode } from 'elkjs/lib/elk-api';

/**
 * Runs ELK off the UI thread when it can. In a VS Code webview the bundle is served from a
 * resource origin a Worker cannot be constructed from, so the worker script is fetched (the
 * webview's service worker answers that) and started from a blob: URL (CSP `worker-src blob:`,
 * `connect-src` for the fetch). If any of that fails, the same script is loaded into the page
 * as a classic script (with the page's nonce) and ELK runs inline.
 */
export type LayoutMode = 'worker' | 'inline';

interface Pending {
  resolve(g: ElkNode): void;
  reject(e: Error): void;
  graph: ElkNode;
}

type InlineLayout = (g: ElkNode) => Promise<ElkNode>;

declare global {
  interface Window {
    modelLensLayout?: InlineLayout;
  }
}

export class LayoutEngine {
  private worker: Worker | undefined;
  private workerReady: Promise<Worker | undefined> | undefined;
  private inline: Promise<InlineLayout> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Which engine ran the last layout (reported by the tests and the benchmark). */
  lastMode: LayoutMode | undefined;

  constructor(
    private readonly scriptUrl: string,
    private readonly mode: LayoutMode,
    private readonly nonce: string,
  ) {
    // Start the worker now: parsing ELK (1.6 MB) overlaps with the first message from the host.
    if (mode === 'worker') this.workerReady = this.startWorker();
  }

  private async startWorker(): Promise<Worker | undefined> {
    try {
      const text = await (await fetch(this.scriptUrl)).text();
      const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
      const worker = new Worker(url);
      worker.onmessage = (ev: MessageEvent<{ id: number; graph?: ElkNode; error?: string }>) => {
        const p = this.pending.get(ev.data.id);
        if (!p) return;
        this.pending.delete(ev.data.id);
        if (ev.data.graph) p.resolve(ev.data.graph);
        else p.reject(new Error(ev.data.error ?? 'layout failed'));
      };
      worker.onerror = (ev) => {
        ev.preventDefault();
        // A dead worker: finish what was asked for inline, and stay inline.
        this.worker = undefined;
        this.workerReady = Promise.resolve(undefined);
        const waiting = [...this.pending.values()];
        this.pending.clear();
        for (const p of waiting) this.layoutInline(p.graph).then(p.resolve, p.reject);
      };
      this.worker = worker;
      return worker;
    } catch (e) {
      console.warn(`ModelLens: layout worker unavailable (${(e as Error).message}); laying out in the page`);
      return undefined;
    }
  }

  private loadInline(): Promise<InlineLayout> {
    if (!this.inline) {
      this.inline = new Promise((resolve, reject) => {
        if (window.modelLensLayout) return resolve(window.modelLensLayout);
        const s = document.createElement('script');
        s.nonce = this.nonce;
        s.src = this.scriptUrl;
        s.onload = () => (window.modelLensLayout ? resolve(window.modelLensLayout) : reject(new Error('layout script did not load')));
        s.onerror = () => reject(new Error('layout script did not load'));
        document.head.appendChild(s);
      });
    }
    return this.inline;
  }

  private async layoutInline(graph: ElkNode): Promise<ElkNode> {
    const run = await this.loadInline();
    this.lastMode = 'inline';
    return run(graph);
  }

  async layout(graph: ElkNode): Promise<ElkNode> {
    const worker = this.workerReady ? await this.workerReady : undefined;
    if (!worker) return this.layoutInline(graph);
    this.lastMode = 'worker';
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, graph });
      worker.postMessage({ id, graph });
    });
  }
}
