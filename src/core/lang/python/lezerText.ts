/**
 * The text lezer parses, as long as the user's and position for position the same: @lezer/python
 * (1.1.19) does not read a float with nothing after its dot (`drop=0.`, `mlp_ratio=4.`, `1. / 3`,
 * common in model code) as a number, but as a member access with no name, and its recovery from
 * that error can swallow the rest of an expression (`a if p > 0. else b` loses its `else`). Such a
 * dot is replaced by `j` here (`0j` is one number token of the same length), and the converter reads
 * every literal from the user's own text (`0.`), so positions, spans and values are unchanged.
 *
 * A small scan, not a tokenizer: it skips comments, string literals (any prefix, single or triple
 * quotes, escapes) and names (the `1` of `conv1.weight` is no number), and touches only a run of
 * digits that starts a number and ends in a dot followed by anything that cannot continue a number
 * or a name (`1.e5` and `1.j` are left as they are: lezer misreads them too, and they are rare).
 */
export function lezerText(text: string): string {
  let out: string[] | undefined;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      i = stringEnd(text, i);
    } else if (isNameStart(c)) {
      const start = i;
      while (i < n && isNameChar(text[i])) i++;
      // A string prefix (r, b, f, rb, …) directly before a quote starts a string.
      if (i < n && (text[i] === '"' || text[i] === "'") && i - start <= 2 && /^[rRbBuUfF]+$/.test(text.slice(start, i))) i = stringEnd(text, i);
    } else if (isDigit(c)) {
      while (i < n && (isDigit(text[i]) || text[i] === '_')) i++;
      if (text[i] === '.' && !continuesNumber(text[i + 1])) {
        (out ??= text.split(''))[i] = 'j';
        i++;
      } else {
        // The rest of the number (a fraction, an exponent, a hex digit run) is nothing to change.
        while (i < n && (isNameChar(text[i]) || text[i] === '.')) i++;
      }
    } else {
      i++;
    }
  }
  return out ? out.join('') : text;
}

/** Whether a character after `1.` continues the literal (a fraction, an exponent, `j`) or makes it no float at all. */
function continuesNumber(c: string | undefined): boolean {
  return c !== undefined && (isNameChar(c) || c === '.');
}

/** The index after the string literal whose quote is at `i`. */
function stringEnd(text: string, i: number): number {
  const q = text[i];
  const triple = text.startsWith(q + q + q, i);
  const close = triple ? q + q + q : q;
  let j = i + close.length;
  while (j < text.length) {
    if (text[j] === '\\') j += 2;
    else if (text.startsWith(close, j)) return j + close.length;
    else if (!triple && text[j] === '\n') return j; // an unclosed one-line string ends at its line
    else j++;
  }
  return j;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || isDigit(c);
}
