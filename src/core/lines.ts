/**
 * Line starts as editors count lines: after `\r\n`, `\r` or `\n`. That is VS Code's rule (its
 * text model splits on exactly these); TypeScript also breaks lines at U+2028 and U+2029, which
 * would put a lens on the wrong line of a file holding one. Native `indexOf('\n')` in one pass,
 * into an array grown by doubling, when the text has no `\r`; a character loop otherwise.
 */
export function lineStarts(text: string): ArrayLike<number> {
  if (text.indexOf('\r') !== -1) return lineStartsWithCR(text);
  // Source lines average 30–40 characters: a guess of 20 rarely needs to grow.
  let starts = new Uint32Array(Math.ceil(text.length / 20) + 16);
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (n === starts.length) {
      const bigger = new Uint32Array(starts.length * 2);
      bigger.set(starts);
      starts = bigger;
    }
    starts[n++] = i + 1;
  }
  return starts.subarray(0, n);
}

function lineStartsWithCR(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) starts.push(i + 1);
  }
  return starts;
}
