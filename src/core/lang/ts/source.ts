// `import = require` keeps the bundle from wrapping the module in per-property getters (hot in switches).
import ts = require('typescript');
import { type Loc, Site, type SourceText } from '../../framework/values';
import { lineStarts } from '../../lines';

/** A parsed file plus the cheap lookups the analyzer needs (lines). */
export class SourceInfo implements SourceText {
  readonly lineStarts: ArrayLike<number>;
  private tree: ts.SourceFile | undefined;
  constructor(
    readonly path: string,
    readonly text: string,
    sf: ts.SourceFile,
  ) {
    this.tree = sf;
    this.lineStarts = lineStarts(text);
  }

  /** The syntax tree, until `release()`. */
  get sf(): ts.SourceFile {
    if (!this.tree) throw new Error(`${this.path}: its analysis has finished`);
    return this.tree;
  }

  /** Drops the tree when the analysis is done (see Project.release). */
  release(): void {
    this.tree = undefined;
  }

  /** The line (0-based) of the last `lineOf` answer: the next question is usually near it. */
  private near = 0;

  /**
   * 1-based line of a character offset. The analysis asks in source order, a few lines apart,
   * so a short walk from the previous answer finds most lines; far jumps binary-search.
   */
  lineOf(pos: number): number {
    const starts = this.lineStarts;
    let line = this.near;
    if (starts[line] <= pos) {
      for (let k = 0; k < 16; k++) {
        if (line + 1 >= starts.length || starts[line + 1] > pos) {
          this.near = line;
          return line + 1;
        }
        line++;
      }
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    this.near = lo;
    return lo + 1;
  }

  /**
   * Start of a node's own text (after leading trivia): `node.getStart()`, with the common cases
   * (spaces, line breaks and comments before it: a model's doc comment) answered here.
   * TypeScript's own skip handles conflict markers, a shebang and Unicode spaces, so anything
   * else goes to it.
   */
  start(node: Loc): number {
    const text = this.text;
    const end = node.end;
    for (let p = node.pos; p < end; p++) {
      const c = text.charCodeAt(p);
      if (c === 32 || c === 10 || c === 9 || c === 13 || c === 11 || c === 12) continue;
      if (c === 47 /* / */) {
        const next = text.charCodeAt(p + 1);
        if (next === 47) {
          // A line comment ends at the line's end (TypeScript's line breaks: also \r, U+2028/9).
          const nl = text.indexOf('\n', p);
          if (nl === -1 || hasOtherBreak(text, p, nl)) break;
          p = nl;
          continue;
        }
        if (next === 42 /* * */) {
          const close = text.indexOf('*/', p + 2);
          if (close === -1) break;
          p = close + 1;
          continue;
        }
        break;
      }
      // Conflict markers (< = > |), a shebang (#) or non-ASCII: TypeScript decides.
      if (c === 60 || c === 61 || c === 62 || c === 124 || c === 35 || c > 127) break;
      return p;
    }
    // Every location the TypeScript interpreter sees is a TypeScript node.
    return (node as ts.Node).getStart(this.sf);
  }

  lineOfNode(node: Loc): number {
    return this.lineOf(this.start(node));
  }

  /**
   * Set on the prelude (PyTorch's composite modules, transcribed) while it runs for a layer of
   * the user's: whatever it makes or records there is sited at that layer's construction.
   */
  anchor?: Site;

  site(node: Loc): Site {
    if (this.anchor) return this.anchor;
    const start = this.start(node);
    return new Site(this, start, this.lineOf(start));
  }
}

/** Whether text[from, to) holds \r, U+2028 or U+2029, which also end a line comment in TypeScript. */
function hasOtherBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

export function parse(path: string, text: string): ts.SourceFile {
  const kind = /\.[cm]?jsx?$/.test(path) ? ts.ScriptKind.JS : /\.tsx$/.test(path) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  // JSDoc is not parsed into the tree: the analyzer reads `@inputShape` from the comment text
  // itself, and skipping TypeScript's JSDoc parser makes every parse cheaper.
  const options: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  return ts.createSourceFile(path, text, options, /* setParentNodes: not needed, and it costs */ false, kind);
}
