import { lineStarts } from '../../lines';
import { type Loc, Site, type SourceText } from '../../framework/values';
import type { Module } from './nodes';

/**
 * A Python file as the evaluator and the shared semantics see it: its path, text, line map and
 * typed tree. Python nodes start exactly where their text does, so a location's start is its `pos`.
 */
export class PySource implements SourceText {
  private readonly starts: ArrayLike<number>;
  constructor(
    readonly path: string,
    readonly text: string,
    readonly tree: Module,
  ) {
    this.starts = lineStarts(text);
  }

  lineOf(pos: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  start(node: Loc): number {
    return node.pos;
  }

  /**
   * Set on the prelude (PyTorch's composite modules, transcribed) while it makes a layer of the
   * user's as its module: whatever it makes or records there is sited at that layer's construction.
   */
  anchor?: Site;

  site(node: Loc): Site {
    if (this.anchor) return this.anchor;
    return new Site(this, node.pos, this.lineOf(node.pos));
  }
}
