/**
 * Text that may wrap where it reads well. A name or a shape list wraps only when it is longer
 * than its column's cap (panel.css `.wrap`); these line-break opportunities (<wbr>, never markup
 * from the string: the text goes in as text nodes) say where: after the `.` of a path or the `_`
 * of a snake_case name, between the words of a CamelCase name, and between the shapes of a
 * multi-output list, so `[64, 10, 256]` itself never splits.
 */

/** `a.b_cDe` → `a.`, <wbr>, `b_`, <wbr>, `c`, <wbr>, `De`. */
export function breakableName(text: string): Node[] {
  return breakAt(text, /[._/](?=.)|[a-z0-9](?=[A-Z])/g);
}

/**
 * `[[64, 10, 256], [2, 64, 128]]` → `[[64, 10, 256],` and `[2, 64, 128]]`, each unbreakable
 * (nowrap), with a space between them where the line may break.
 */
export function breakableShape(text: string): Node[] {
  const parts = text.split(/(?<=\],) /);
  if (parts.length === 1) return [document.createTextNode(text)];
  const out: Node[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(document.createTextNode(' '));
    const span = document.createElement('span');
    span.className = 'nobr';
    span.textContent = p;
    out.push(span);
  });
  return out;
}

/** The text with a <wbr> after each match of `at`. */
function breakAt(text: string, at: RegExp): Node[] {
  const out: Node[] = [];
  let from = 0;
  for (const m of text.matchAll(at)) {
    const end = m.index! + m[0].length;
    out.push(document.createTextNode(text.slice(from, end)), document.createElement('wbr'));
    from = end;
  }
  out.push(document.createTextNode(text.slice(from)));
  return out;
}
