/**
 * The `Set input shape…` edit: validating what the user typed and writing it as an
 * `@inputShape` JSDoc tag above the model class (where the analyzer reads it). Pure.
 */

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

const DIM = /^(\d+|\?|None|null)$/;

/**
 * `64, 128`, `[64, 128]` or several inputs `[8, 50] [8, 50]` → `[64, 128]` / `[8, 50] [8, 50]`;
 * `{ error }` with a sentence for the input box otherwise.
 */
export function parseShapeInput(input: string): { tag: string } | { error: string } {
  const s = input.trim();
  if (s === '') return { error: 'Type the input size, batch first, e.g. 64, 128' };
  const groups = s.includes('[') ? [...s.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]) : [s];
  if (s.includes('[') && s.replace(/\[[^\]]*\]/g, '').replace(/[\s,]/g, '') !== '') {
    return { error: 'Write one bracketed shape per input, e.g. [8, 50] [8, 50]' };
  }
  const shapes: string[] = [];
  for (const g of groups) {
    const dims = g.split(/[\s,]+/).filter((d) => d !== '');
    if (dims.length === 0) return { error: 'A shape needs at least one size' };
    const bad = dims.find((d) => !DIM.test(d) || d === '0' || /^0\d/.test(d));
    if (bad !== undefined) return { error: `"${bad}" is not a size: use positive whole numbers (or ? for an unknown batch)` };
    shapes.push(`[${dims.join(', ')}]`);
  }
  return { tag: shapes.join(' ') };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * The edit that puts `@inputShape <tag>` in the JSDoc directly above `declStart` (the class or
 * its `export`): replaces an existing tag's value, adds a line to an existing block, or inserts
 * a one-line JSDoc with the declaration's indentation.
 */
export function inputShapeEdit(text: string, declStart: number, tag: string): TextEdit {
  const declLine = lineStart(text, declStart);
  const indent = /^[ \t]*/.exec(text.slice(declLine))![0];
  const before = text.slice(0, declLine);
  const doc = /\/\*\*([\s\S]*?)\*\/[ \t]*\r?\n?[ \t\r\n]*$/.exec(before);
  // The block must be the last thing before the declaration and contain no other comment end.
  if (doc && !doc[1].includes('*/')) {
    const blockStart = doc.index;
    const blockEnd = doc.index + doc[0].lastIndexOf('*/') + 2;
    const block = text.slice(blockStart, blockEnd);
    const existing = /@inputShape\b[^\n@*]*/.exec(block);
    if (existing) {
      const start = blockStart + existing.index;
      // Keep a single-line block's closing ` */` spacing.
      const trailing = /\s*$/.exec(existing[0])![0];
      return { start, end: start + existing[0].length, text: `@inputShape ${tag}${trailing}` };
    }
    if (!block.includes('\n')) {
      // `/** text */` → a multi-line block with the tag under the text.
      const body = block.slice(3, -2).trim();
      const lines = [`/**`, ...(body ? [`${indent} * ${body}`] : []), `${indent} * @inputShape ${tag}`, `${indent} */`];
      return { start: blockStart, end: blockEnd, text: lines.join('\n') };
    }
    // Insert a line before the closing `*/` line.
    const closeLineStart = lineStart(text, blockEnd - 2);
    return { start: closeLineStart, end: closeLineStart, text: `${indent} * @inputShape ${tag}\n` };
  }
  return { start: declLine, end: declLine, text: `${indent}/** @inputShape ${tag} */\n` };
}

/**
 * The Python form (where src/core/lang/python/classes.ts reads it): an `@inputShape` in the class's
 * docstring keeps its place with the new value; else a `# @inputShape <tag>` comment on the lines
 * directly above the class (`declStart`: its first decorator, or `class`) is rewritten or inserted
 * with the declaration's indentation.
 */
export function pythonInputShapeEdit(text: string, declStart: number, tag: string): TextEdit {
  const declLine = lineStart(text, declStart);
  const indent = /^[ \t]*/.exec(text.slice(declLine))![0];
  // The docstring: the first statement of the class body, after a one-line `class …:` header.
  const classAt = text.slice(declStart).search(/(^|\n)[ \t]*class\b/);
  if (classAt >= 0) {
    const header = /[ \t]*class\b[^\n]*:[ \t]*(#[^\n]*)?\r?\n(?:[ \t]*\r?\n)*[ \t]*[rRuU]?("""|''')([\s\S]*?)\2/y;
    header.lastIndex = declStart + classAt + (text[declStart + classAt] === '\n' ? 1 : 0);
    const doc = header.exec(text);
    if (doc) {
      const bodyStart = doc.index + doc[0].length - doc[2].length - doc[3].length;
      const existing = /@inputShape\b[^\n]*/.exec(doc[3]);
      if (existing) {
        const start = bodyStart + existing.index;
        return { start, end: start + existing[0].length, text: `@inputShape ${tag}` };
      }
    }
  }
  // Comment lines directly above the declaration.
  let p = declLine;
  while (p > 0) {
    const prev = lineStart(text, p - 1);
    const line = text.slice(prev, p).replace(/\r?\n$/, '');
    if (!/^\s*#/.test(line)) break;
    const t = /@inputShape\b.*$/.exec(line);
    if (t) return { start: prev + t.index, end: prev + line.length, text: `@inputShape ${tag}` };
    p = prev;
  }
  return { start: declLine, end: declLine, text: `${indent}# @inputShape ${tag}\n` };
}
