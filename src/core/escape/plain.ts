/**
 * Plain text from the user's code (layer and model names, config strings, messages that quote
 * them) made safe to show as one line: nothing in it may act on the terminal or the reader.
 * Control characters (ANSI escapes included), bidi overrides and isolates (which reorder what is
 * displayed around them), line and paragraph separators and BOMs (lone surrogates and
 * U+FFFE/U+FFFF too: XML can't carry them) are shown as `\uNNNN`, as JSON and JavaScript write
 * them, so JSON text stays valid JSON with the same meaning; line breaks and tabs become spaces;
 * very long text is cut with `…`.
 */

/** Characters that act instead of showing: C0/C1 controls, DEL, bidi controls, line/paragraph separators, BOM, lone surrogates. */
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ACTIVE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The default bound on one shown string: names this long are already unreadable. */
export const MAX_SHOWN = 200;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n' || c === '\r' || c === '\t') return ' ';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Cuts `s` to at most `max` UTF-16 units (`…` included), never inside a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** One inert line: active characters shown as escapes, line breaks as spaces, at most `max` long. */
export function plainLine(s: string, max = MAX_SHOWN): string {
  // Cut first (a megabyte name costs no more than a short one), then again after the escapes grew it.
  return truncate(truncate(String(s), max).replace(ACTIVE, visible), max);
}

/** Inert text that keeps its line breaks (stack traces in the output channel); no length bound. */
export function plainLines(s: string): string {
  return String(s).replace(/\r\n?/g, '\n').replace(ACTIVE_BUT_NEWLINE, visible);
}

/**
 * A CodeLens title or status-bar text: VS Code renders `$(name)` there as an icon, so every
 * `$(` from the user's code is escaped the way VS Code's own `escapeIcons` does (`\$(`).
 */
export function iconFreeLine(s: string, max = MAX_SHOWN): string {
  return truncate(plainLine(s, max).replace(/\$\(/g, '\\$('), max);
}

/** A file name from a model name (the diagram export's default): no separators, no dots in front. */
export function fileNamePart(s: string): string {
  const safe = plainLine(s, 80).replace(/[\\/:*?"<>|\x00-\x1f]/g, '_').replace(/^\.+/, '_');
  return safe || 'model';
}

/**
 * Every string in a JSON-shaped value (a message posted to a webview) made inert, line breaks
 * kept, each at most `max` long: data from the user's code stays data wherever it lands.
 */
export function inertStrings<T>(value: T, max = 4000): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return truncate(plainLines(truncate(v, max)), max);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * A notification or progress title: VS Code renders `[text](https://…)` there as a link and
 * `$(name)` as an icon. A link needs `](` together, so a space goes between them.
 */
export function notificationText(s: string, max = 1000): string {
  return truncate(iconFreeLine(s, max).replace(/\]\(/g, '] ('), max);
}
